//go:build unix

package runcmd

import (
	"os/exec"
	"syscall"
)

// startGroup makes the program the leader of a process group of its own,
// and has cancelling kill the whole group.
func startGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { killGroup(cmd); return nil }
}

// killGroup kills what is left of the program's process group.
func killGroup(cmd *exec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // ESRCH when nothing is left
}
