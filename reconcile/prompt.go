package reconcile

import (
	"bufio"
	"context"
	"io"
)

// ReadLine reads one line from r, or gives up with ctx's error once ctx is
// done, so an interrupt at a prompt ("Only 'yes' is accepted") cancels at
// once instead of waiting for Enter. The abandoned read is left to the
// exiting process.
func ReadLine(ctx context.Context, r io.Reader) (string, error) {
	type line struct {
		s   string
		err error
	}
	done := make(chan line, 1)
	go func() {
		s, err := bufio.NewReader(r).ReadString('\n')
		done <- line{s, err}
	}()
	select {
	case l := <-done:
		return l.s, l.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
