package interrupt

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/wxmenu/wxmenu/internal/runcmd"
)

// ExitCode is the exit status after a second signal (128 + SIGINT).
const ExitCode = 130

// Context returns a context cancelled by the first SIGINT, SIGTERM or
// SIGHUP (the terminal closed), which is announced on w; the second signal
// kills the commands still running (runcmd.KillAll) and exits the process
// with ExitCode.
// stop releases the signals.
func Context(parent context.Context, w io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		fmt.Fprintln(w, "wxmenu: interrupted; stopping after the call in flight, if any (interrupt again to exit at once)")
		cancel()
		select {
		case <-sigs:
			fmt.Fprintln(w, "wxmenu: interrupted again; exiting at once (a call in flight has an unknown outcome: run plan again)")
			runcmd.KillAll() // a command's group would outlive the exit
			os.Exit(ExitCode)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
