package desired

import (
	"context"
	"errors"
	"fmt"

	"github.com/wxmenu/wxmenu/internal/errtext"
)

// LoadContext is Load that gives up when ctx is done. Opening a named pipe
// (validate -f FIFO, or a plan whose desired_file is one) blocks until a
// writer appears, and a read of one until it writes; an interrupt or the
// command's --timeout (ctx's deadline) must still stop the command, and
// the error says which. The abandoned read is left to the exiting
// process.
func LoadContext(ctx context.Context, path string) (*State, error) {
	type loaded struct {
		ds  *State
		err error
	}
	done := make(chan loaded, 1)
	go func() {
		ds, err := Load(path)
		done <- loaded{ds, err}
	}()
	select {
	case l := <-done:
		return l.ds, l.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &errtext.Error{Message: fmt.Sprintf("reading %s: timed out", path), Err: ctx.Err(),
				Hint: "nothing was read from it within --timeout; if it is a named pipe, something must write to it, or allow more time with --timeout"}
		}
		return nil, &errtext.Error{Message: fmt.Sprintf("reading %s: interrupted", path), Err: ctx.Err()}
	}
}
