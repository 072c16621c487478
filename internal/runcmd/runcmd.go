package runcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path/filepath"
	"sync"
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

	// Lines, if set, is given standard output a line at a time as it is
	// read (without its newline; a last line without one once the program
	// exited successfully), and Run returns no output: no more than
	// MaxLine bytes are held. A longer line is an error, like too much
	// output; an error of Lines ends the run, and Run returns it.
	Lines   func(line []byte) error
	MaxLine int
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
	out := &capped{max: c.MaxOutput, lines: c.Lines, maxLine: c.MaxLine, stop: stop}
	cmd.Stdout = out // not an *os.File: exec copies through a pipe with out.Write
	cmd.Stderr = nil // the null device
	cmd.WaitDelay = waitDelay
	startGroup(cmd)
	err := start(cmd)
	if err == nil {
		err = cmd.Wait()
		stopped(cmd)
	}
	if cmd.Process != nil {
		killGroup(cmd) // a background child the program left
	}
	switch {
	case out.overflow:
		return nil, fmt.Errorf("%s printed more than %d bytes: %w", name, c.MaxOutput, ErrOutputTooLarge)
	case out.err != nil:
		return nil, fmt.Errorf("%s: %w", name, out.err)
	case err == nil, errors.Is(err, exec.ErrWaitDelay) && cmd.ProcessState.Success():
		if c.Lines == nil {
			return out.buf, nil
		}
		if len(out.buf) > 0 {
			if err := c.Lines(out.buf); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil, nil
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
	if errors.Is(err, errExiting) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var pathErr *fs.PathError // its path could carry a secret
	if errors.As(err, &pathErr) {
		return nil, fmt.Errorf("%s: cannot run it: %w", name, pathErr.Err)
	}
	return nil, fmt.Errorf("%s: cannot run it", name)
}

// running are the programs Run started that have not exited yet, for
// KillAll.
var running struct {
	sync.Mutex
	cmds   map[*exec.Cmd]bool
	killed bool // by KillAll: no program starts
}

// errExiting is the error of a Run after KillAll.
var errExiting = errors.New("not started: exiting")

// start starts cmd, one of the running programs.
func start(cmd *exec.Cmd) error {
	running.Lock()
	defer running.Unlock()
	if running.killed {
		return errExiting
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if running.cmds == nil {
		running.cmds = map[*exec.Cmd]bool{}
	}
	running.cmds[cmd] = true
	return nil
}

// stopped says cmd exited.
func stopped(cmd *exec.Cmd) {
	running.Lock()
	defer running.Unlock()
	delete(running.cmds, cmd)
}

// KillAll kills every program Run started that still runs (its process
// group), for a process about to exit at once (os.Exit) without waiting
// for its Runs to end them. No program starts after it: a later Run fails.
func KillAll() {
	running.Lock()
	defer running.Unlock()
	running.killed = true
	for cmd := range running.cmds {
		killGroup(cmd)
	}
}

// capped keeps at most max bytes, or with lines, gives it the lines as
// they come, keeping no more than maxLine bytes of a line. Past max (or
// maxLine, or on an error of lines) it stops the program and fails the
// write, so that nothing more is read.
type capped struct {
	buf      []byte // the output, or with lines the line read so far
	max, n   int    // the cap, and the bytes written
	overflow bool
	lines    func([]byte) error
	maxLine  int
	line     int   // the lines given
	err      error // of lines, or a line too long
	stop     context.CancelCauseFunc
}

func (w *capped) Write(p []byte) (int, error) {
	if w.lines == nil {
		if !w.count(len(p)) {
			return 0, ErrOutputTooLarge
		}
		w.buf = grow(w.buf, len(p), w.max)
		w.buf = append(w.buf, p...)
		return len(p), nil
	}
	for written := len(p); ; {
		i := bytes.IndexByte(p, '\n')
		part := p
		if i >= 0 {
			part = p[:i]
		}
		if len(w.buf)+len(part) > w.maxLine {
			w.err = fmt.Errorf("line %d of its output is longer than %d bytes: %w", w.line+1, w.maxLine, ErrOutputTooLarge)
			w.stop(w.err)
			return 0, w.err
		}
		if !w.count(min(len(part)+1, len(p))) { // the newline too
			return 0, ErrOutputTooLarge
		}
		if i < 0 {
			w.buf = grow(w.buf, len(part), w.maxLine)
			w.buf = append(w.buf, part...)
			return written, nil
		}
		line := part
		if len(w.buf) > 0 {
			w.buf = grow(w.buf, len(part), w.maxLine)
			line = append(w.buf, part...)
		}
		w.line++
		if err := w.lines(line); err != nil {
			w.err = err
			w.stop(err)
			return 0, err
		}
		w.buf, p = w.buf[:0], p[i+1:]
	}
}

// count counts n more bytes written; past max it stops the program.
func (w *capped) count(n int) bool {
	if n > w.max-w.n {
		w.overflow = true
		w.stop(ErrOutputTooLarge)
		return false
	}
	w.n += n
	return true
}

// grow makes room in buf for n more bytes, doubling up to limit.
func grow(buf []byte, n, limit int) []byte {
	need := len(buf) + n
	if need <= cap(buf) {
		return buf
	}
	grown := make([]byte, len(buf), min(max(2*cap(buf), need, 512), limit))
	copy(grown, buf)
	return grown
}
