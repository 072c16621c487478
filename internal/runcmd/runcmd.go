package runcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"time"
)

// waitDelay is how long Run reads the output after the program exited: long
// enough to drain what it wrote, short enough that a background child
// holding standard output open does not hold the run.
const waitDelay = 500 * time.Millisecond

// Command is one run of a program.
type Command struct {
	Argv      []string      // the program (found on PATH as exec.Command does) and its arguments
	Dir       string        // the working directory; the caller's when empty
	Stdin     []byte        // standard input; empty when nil
	MaxOutput int           // the most bytes of standard output read; more is an error
	Timeout   time.Duration // no limit but ctx's when 0
}

// ErrOutputTooLarge matches the error of a program that printed more than
// Command.MaxOutput bytes.
var ErrOutputTooLarge = errors.New("output too large")

// Run runs c and returns its standard output. Errors start with the
// program's base name in quotes, e.g. `"wechat-token": timed out after 30s`.
func Run(ctx context.Context, c Command) ([]byte, error) {
	if len(c.Argv) == 0 || c.Argv[0] == "" {
		return nil, errors.New("no program given")
	}
	name := fmt.Sprintf("%q", filepath.Base(c.Argv[0]))
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)

	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	if c.Stdin != nil {
		cmd.Stdin = bytes.NewReader(c.Stdin)
	}
	out := &capped{max: c.MaxOutput, full: func() { stop(ErrOutputTooLarge) }}
	cmd.Stdout = out // not an *os.File: exec copies through a pipe with out.Write
	cmd.Stderr = nil // the null device
	cmd.WaitDelay = waitDelay
	startGroup(cmd)
	err := cmd.Run()
	if cmd.Process != nil {
		killGroup(cmd) // a background child the program left
	}
	switch {
	case out.overflow:
		return nil, fmt.Errorf("%s printed more than %d bytes: %w", name, c.MaxOutput, ErrOutputTooLarge)
	case err == nil, errors.Is(err, exec.ErrWaitDelay) && cmd.ProcessState.Success():
		return out.buf, nil
	case errors.Is(context.Cause(ctx), context.DeadlineExceeded) && c.Timeout > 0:
		return nil, fmt.Errorf("%s: timed out after %v", name, c.Timeout)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%s: %w", name, context.Cause(ctx))
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return nil, fmt.Errorf("%s failed: %s (its stderr is not shown: it may hold credentials)", name, exit.ProcessState)
	}
	var execErr *exec.Error
	if errors.As(err, &execErr) {
		return nil, fmt.Errorf("%s: cannot run it: %w", name, execErr.Err)
	}
	var pathErr *fs.PathError // its path could carry a secret
	if errors.As(err, &pathErr) {
		return nil, fmt.Errorf("%s: cannot run it: %w", name, pathErr.Err)
	}
	return nil, fmt.Errorf("%s: cannot run it", name)
}

// capped keeps at most max bytes; past that it calls full (which kills the
// program) and fails the write, so that nothing more is read.
type capped struct {
	buf      []byte
	max      int
	overflow bool
	full     func()
}

func (w *capped) Write(p []byte) (int, error) {
	if len(p) > w.max-len(w.buf) {
		w.overflow = true
		w.full()
		return 0, ErrOutputTooLarge
	}
	if need := len(w.buf) + len(p); need > cap(w.buf) {
		grown := make([]byte, len(w.buf), min(max(2*cap(w.buf), need, 512), w.max))
		copy(grown, w.buf)
		w.buf = grown
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}
