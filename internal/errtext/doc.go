// Package errtext is how an error reads to people, the same at every
// place that words one: the line "wxmenu: error: …" says what failed, and
// a "hint: …" line under it says what to do.
//
// An error carries its hint by implementing Hinter (Error is the plain
// one: an error and its hint); Hint finds it anywhere in a chain of
// wrapped errors. PathReason drops what an *fs.PathError
// repeats ("open menus.yaml: no such file or directory") when the message
// around it already names the file and what was being done with it, so
// "writing plan.json: permission denied" says each thing once.
package errtext
