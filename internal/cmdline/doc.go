// Package cmdline is what wxmenu's command line shares and tests on its
// own, with plain values (no CLI types: package main parses the flags):
//
//   - Exits: the exit codes; the errors with exit codes, usage lines and
//     hints that commands return (Error, Fail, Reported, DetailedExit),
//     the exit of a run's result (ExitFor), of a project's report
//     (ExitForFleet) and of a project command's reported problems
//     (ExitForProblems); and Report, which prints an error as one
//     `wxmenu: error: …` line with its hint and returns the exit code.
//   - Hints made safe to run as written: HintGlobals and WithGlobals
//     repeat --sandbox in every command a hint names, Quote quotes
//     arguments for a shell.
//   - The did-you-mean for mistyped flags and commands (Closest).
//   - Writing a file atomically, and the one-line error when that fails
//     (WriteOut, WriteError, UnwrapPathError).
package cmdline
