package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
)

// Check is one account's file as validate found it: its state, or every
// problem of the file (Err, usually desired.Diagnostics).
type Check struct {
	Name  string
	State *desired.State
	Err   error
}

// Validate loads every account's file offline, giving up on one when ctx
// is done (a named pipe nobody writes); every problem of every file is
// kept, none stops the others.
func Validate(ctx context.Context, accounts []project.Account) []Check {
	checks := make([]Check, len(accounts))
	for i, a := range accounts {
		ds, err := desired.LoadContext(ctx, a.Path)
		checks[i] = Check{Name: a.Name, State: ds, Err: err}
	}
	return checks
}

// Exported is one account's export.
type Exported struct {
	Name, File string
	Live       *wechat.MenuSet
	Err        error
}

// Export reads every account (in parallel, bounded by opts.Parallel) and
// writes it to its file, creating directories as needed, so that the next
// plan shows no changes. An account whose file exists is not read, and
// its file is left as it is (an *ExistsError), unless opts.ReplaceFiles:
// the file may be a hand-written menus.yaml with comments and protect:
// marks that an export would lose.
func Export(ctx context.Context, opts Options) []Exported {
	out := make([]Exported, len(opts.Accounts))
	each(opts.parallel(), len(opts.Accounts), func(i int) {
		a := opts.Accounts[i]
		out[i] = Exported{Name: a.Name, File: a.Path}
		out[i].Live, out[i].Err = exportOne(ctx, &opts, a)
	})
	return out
}

func exportOne(ctx context.Context, opts *Options, a project.Account) (*wechat.MenuSet, error) {
	write := atomicfile.Write
	if !opts.ReplaceFiles {
		// Checked first so that a refused account costs no call; WriteNew
		// refuses a file that appeared since.
		if _, err := os.Lstat(a.Path); err == nil {
			return nil, &ExistsError{File: a.File}
		}
		write = atomicfile.WriteNew
	}
	api, err := opts.Open(ctx, a)
	if err != nil {
		return nil, err
	}
	live, err := api.GetMenu(ctx)
	if err != nil {
		return nil, &reconcile.ReadError{Err: err}
	}
	data, err := desired.Export(live)
	if err != nil {
		return nil, fmt.Errorf("exporting: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(a.Path), 0o755); err != nil {
		return nil, fmt.Errorf("creating the directory of %s: %w", a.File, errtext.PathReason(err))
	}
	if err := write(a.Path, func(w io.Writer) error { _, err := w.Write(data); return err }); errors.Is(err, fs.ErrExist) {
		return nil, &ExistsError{File: a.File}
	} else if err != nil {
		return nil, fmt.Errorf("writing %s: %w", a.File, errtext.PathReason(err))
	}
	return live, nil
}

// ExistsError is an export that left File, an account's file that exists,
// as it is.
type ExistsError struct{ File string }

func (e *ExistsError) Error() string { return e.File + " exists; export leaves it as it is" }

// ErrorHint is the hint for people. --force replaces every selected
// account's file, so it says how to narrow it to one.
func (e *ExistsError) ErrorHint() string {
	return "add --force to replace it (and the other selected accounts' files; --account NAME selects one)"
}

// Matched is what one account shows a user (menu/trymatch).
type Matched struct {
	Name string
	// State is the account's file, to name the menu seen; nil when it
	// does not load.
	State   *desired.State
	Buttons []wechat.Button
	Err     error
}

// TryMatch asks every account which menu user sees, in parallel.
func TryMatch(ctx context.Context, opts Options, user string) []Matched {
	out := make([]Matched, len(opts.Accounts))
	each(opts.parallel(), len(opts.Accounts), func(i int) {
		a := opts.Accounts[i]
		out[i].Name = a.Name
		out[i].State, _ = desired.LoadContext(ctx, a.Path)
		api, err := opts.Open(ctx, a)
		if err != nil {
			out[i].Err = err
			return
		}
		tm, ok := api.(interface {
			TryMatch(ctx context.Context, user string) ([]wechat.Button, error)
		})
		if !ok {
			out[i].Err = errors.New("the client cannot call menu/trymatch")
			return
		}
		if out[i].Buttons, err = tm.TryMatch(ctx, user); err != nil {
			out[i].Err = fmt.Errorf("trymatch %s: %w", user, err)
		}
	})
	return out
}
