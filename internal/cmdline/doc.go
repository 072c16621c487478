// Package cmdline is the shape of wxmenu's command line, kept out of
// package main so that every choice it makes can be tested on its own:
//
//   - App: the commands, their usage and flags (the flags every command
//     shares and the subsets each one uses), and which commands take no
//     arguments; package main gives each its action (Actions).
//   - The flags as plain values for the packages that do the work:
//     AccountSpec, FleetSpec and FleetOptions, Session, PlanOptions and
//     RunOptions, ServeSpec.
//   - The commands' inputs, decided from plain values: which plan and
//     menus file apply works on (ApplyInput, ApplyFormat), which files
//     validate checks (ValidateInput, Validate), show's and trymatch's
//     arguments (ShowArgs, TryMatchInput), the accounts of a fleet run
//     (FleetAccounts, FleetApplyAccounts); plan's, checked before any
//     call (ReadPlanInput, PlanRenderer).
//   - What a command does with its result: plan shows and saves its plan
//     (PlanInput.Done), apply shows, asks and reports (ApplyView), a fleet
//     report goes out in its --format (FleetView), export writes its file
//     (WriteExport, FleetExport), schema picks its schema (Schema).
//   - Exits: the errors with exit codes, usage lines and hints that
//     package main returns (Fail, Reported, DetailedExit, RunError), the
//     exit of a run's result (ExitFor), of a fleet report (ExitForFleet)
//     and of a fleet command's reported problems (ExitForProblems), and
//     Report, which prints an error and returns the exit code.
//   - The did-you-mean for mistyped flags and commands, and the rewriting
//     of hints so that each one is safe to run as written (it repeats
//     --sandbox when the failing command had it).
//
// Nothing here opens an account: package main opens accounts with these
// specs and hands what it opened to reconcile, or to the functions here
// that run a fleet step on them (FleetExport).
package cmdline
