//go:build unix

package runcmd

import (
	"os"
	"os/exec"
	"sync"
	"syscall"

	"golang.org/x/term"
)

// onTerminal says whether wxmenu runs on a terminal (its standard input or
// error is one), where a program may prompt (a password manager, ssh or
// gpg asking on /dev/tty).
var onTerminal = sync.OnceValue(func() bool {
	return term.IsTerminal(int(os.Stdin.Fd())) || term.IsTerminal(int(os.Stderr.Fd()))
})

// startGroup makes the program the leader of a process group of its own,
// and has cancelling kill the whole group. On a terminal the program
// stays in wxmenu's group instead, the terminal's foreground group: in a
// group of its own it would be stopped as soon as it read the terminal.
// Only the program is killed then; the terminal's own signals (Ctrl-C, a
// hangup) reach its children.
func startGroup(cmd *exec.Cmd) {
	if onTerminal() {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { killGroup(cmd); return nil }
}

// killGroup kills what is left of the program's process group, or on a
// terminal the program, if it still runs.
func killGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil || !cmd.SysProcAttr.Setpgid {
		cmd.Process.Kill() // an error when it exited
		return
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // ESRCH when nothing is left
}
