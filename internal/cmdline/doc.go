// Package cmdline is what wxmenu's command line decides about errors and
// exits, with plain values (no CLI types: package main parses the flags):
// the exit codes; the errors with an exit code, a usage line and a hint
// that commands return (Error, Fail); the exit of a run's report
// (ExitForFleet) and of a project command's reported problems
// (ExitForProblems); and Report, which prints an error as one
// `wxmenu: error: …` line with its hint, made safe to run
// (render.WithGlobals), and returns the exit code.
package cmdline
