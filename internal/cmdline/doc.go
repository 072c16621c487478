// Package cmdline is what wxmenu's command line decides about errors and
// exits, with plain values (no CLI types: package main parses the flags):
// the exit codes; the errors with an exit code, a usage line and a hint
// that commands return (Error, Fail, Reported, DetailedExit); the exit of
// a run's result (ExitFor), of a run's report (ExitForFleet) and of a
// project command's reported problems (ExitForProblems); Report, which
// prints an error as one `wxmenu: error: …` line with its hint, made safe
// to run (render.WithGlobals), and returns the exit code; and the
// did-you-mean of mistyped flags and commands (Closest).
package cmdline
