//go:build !unix

package runcmd

import "os/exec"

// startGroup leaves exec's default: cancelling kills the process.
func startGroup(cmd *exec.Cmd) {}

// killGroup kills the process, if it still runs; its children are not
// known here.
func killGroup(cmd *exec.Cmd) {
	cmd.Process.Kill()
}
