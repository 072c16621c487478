// Package cmdline is the shape of wxmenu's command line, kept out of
// package main so that it can be tested on its own:
//
//   - App: the commands, their usage and flags (the flags every command
//     shares and the subsets each one uses), and which commands take no
//     arguments; package main gives each its action (Actions).
//   - The flags as plain values for the packages that do the work:
//     AccountSpec, FleetSpec and FleetOptions, Session, PlanOptions and
//     RunOptions, ServeSpec; and the commands' inputs, decided from plain
//     values where they can be (ApplyInput, ShowArgs, ApplyFormat,
//     Validate) and checked before any call (ReadPlanInput).
//   - Exits: the errors with exit codes, usage lines and hints that
//     package main returns (Fail, Reported, DetailedExit), the exit of a
//     run's result (ExitFor) and of a fleet report (ExitForFleet), and
//     Report, which prints an error and returns the exit code.
//   - The did-you-mean for mistyped flags and commands, and the rewriting
//     of hints so that each one is safe to run as written (it repeats
//     --sandbox when the failing command had it).
//
// Nothing here talks to an account: package main opens accounts with
// these specs, runs reconcile and prints the results.
package cmdline
