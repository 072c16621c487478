// Package cmdline is the shape of wxmenu's command line, kept out of
// package main so that it can be tested on its own: the flags every command
// shares and the subsets each one uses, the errors with exit codes, usage
// lines and hints that main prints, the did-you-mean for mistyped flags and
// commands, and the rewriting of hints so that each one is safe to run as
// written (it repeats --sandbox when the failing command had it).
//
// Nothing here talks to an account: package main wires these pieces to
// reconcile and prints their results.
package cmdline
