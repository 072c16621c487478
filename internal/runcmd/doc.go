// Package runcmd runs an external program the project names (a token
// command, an account generator) without a shell, and reads what it prints.
//
// One Run is bounded three ways, each of which ends the program's process
// group: on Unix it is started in a group of its own, and the group is
// killed (a child that left the group, with setsid, is not). On a terminal
// (wxmenu's standard input or error is one) it stays in wxmenu's group,
// the terminal's foreground group, so that it can prompt on /dev/tty (a
// password manager, ssh, gpg): in a background group reading the terminal
// would stop it. Then, as on other systems, only the program is killed;
// the terminal's own signals (Ctrl-C, a hangup) reach its children.
//
//   - its output: the caller's cap on standard output. A program that prints
//     more is killed and the run is an error; no more than the cap is ever
//     held in memory, and with Command.Lines, which is given the output a
//     line at a time as it comes, no more than one line (capped too);
//   - its time: the caller's timeout, and the caller's context;
//   - its exit: when the program exits, what it printed is its answer even if
//     a child it left in the background still holds standard output open
//     (Wait stops waiting for the output shortly after the exit), and the
//     group, that child included, is killed.
//
// Standard error is discarded: it may hold credentials. For the same
// reason errors never quote the output or the arguments; they name the
// program by its base name and say what happened (exit status, timeout,
// output too large, cannot run it).
package runcmd
