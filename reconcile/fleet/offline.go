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

// Check is one account's file as validate found it: its state and its
// warnings, or every problem of the file (Err, usually
// desired.Diagnostics).
type Check struct {
	Name     string
	State    *desired.State
	Warnings desired.Diagnostics
	Err      error
}

// Validate checks every account's file offline as plan would: strict
// decoding and validation, and no more conditional menus than
// maxConditional. It gives up on a file when ctx is done (a named pipe
// nobody writes); every problem of every file is kept, none stops the
// others.
func Validate(ctx context.Context, accounts []project.Account, maxConditional int) []Check {
	checks := make([]Check, len(accounts))
	for i, a := range accounts {
		ds, err := a.Desired(ctx)
		if err == nil {
			err = desired.CheckCount(ds, maxConditional)
		}
		if err != nil {
			checks[i] = Check{Name: a.Name, Err: err}
			continue
		}
		checks[i] = Check{Name: a.Name, State: ds, Warnings: desired.Warnings(ds)}
	}
	return checks
}

// Exported is one account's export: what was read and written (or, for
// an account with no file, what would be).
type Exported struct {
	Name, File string
	*reconcile.Export
	// Template is set when Bootstrap bound the account to this template,
	// its live menus being the template's: nothing was written.
	Template string
	Err      error
}

// Export reads every account (in parallel, bounded by opts.Parallel) as
// plan reads it (a menu published in the console included, see
// reconcile.Session.Export) and writes it to its file, creating
// directories as needed, so that the next plan shows no changes; an
// account with no file (export of one account to standard output) is
// only read. An account whose file exists is not read, and its file is
// left as it is (an *ExistsError), unless opts.ReplaceFiles: the file may
// be a hand-written menus.yaml with comments and protect: marks that an
// export would lose.
func Export(ctx context.Context, opts Options) []Exported {
	out := make([]Exported, len(opts.Accounts))
	opts.each(func(i int) {
		a := opts.Accounts[i]
		out[i] = Exported{Name: a.Name, File: a.Path}
		out[i].Export, out[i].Err = exportOne(ctx, &opts, a)
	})
	return out
}

func exportOne(ctx context.Context, opts *Options, a project.Account) (*reconcile.Export, error) {
	if a.Template != "" {
		// Its file is the template other accounts share.
		return nil, &TemplatedError{Account: a.Name, Template: a.Template}
	}
	// Checked first so that a refused account costs no call; WriteNew
	// refuses a file that appeared since. A directory is never replaced.
	write := atomicfile.WriteNew
	if info, err := os.Lstat(a.Path); a.Path != "" && err == nil && (info.IsDir() || !opts.ReplaceFiles) {
		return nil, &ExistsError{File: a.File}
	} else if opts.ReplaceFiles {
		write = atomicfile.Write
	}
	api, err := opts.Open(ctx, a)
	if err != nil {
		return nil, err
	}
	exp, err := (&reconcile.Session{Client: api, AppID: a.AppID}).Export(ctx)
	if err != nil || a.Path == "" {
		return exp, err
	}
	if err := os.MkdirAll(filepath.Dir(a.Path), 0o755); err != nil {
		return nil, fmt.Errorf("creating the directory of %s: %w", a.File, errtext.PathReason(err))
	}
	if err := write(a.Path, func(w io.Writer) error { _, err := w.Write(exp.Data); return err }); errors.Is(err, fs.ErrExist) {
		return nil, &ExistsError{File: a.File}
	} else if err != nil {
		return nil, fmt.Errorf("writing %s: %w", a.File, errtext.PathReason(err))
	}
	return exp, nil
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

// TemplatedError is an export of an account rendered from a template:
// it has no file of its own to write.
type TemplatedError struct{ Account, Template string }

func (e *TemplatedError) Error() string {
	return fmt.Sprintf("account %s is rendered from template %s; export writes an account's own menus file", e.Account, e.Template)
}

// ErrorHint is the hint for people.
func (e *TemplatedError) ErrorHint() string {
	return "its desired state is the template rendered with its vars: wxmenu render shows it, and plan how the live account differs"
}

// Matched is what one account shows a user (menu/trymatch).
type Matched struct {
	Name string
	// State is the account's file, to name the menu seen; nil for an
	// account with no file (trymatch without -f).
	State   *desired.State
	Buttons []wechat.Button
	Err     error
}

// TryMatch asks every account which menu user sees, in parallel.
func TryMatch(ctx context.Context, opts Options, user string) []Matched {
	out := make([]Matched, len(opts.Accounts))
	opts.each(func(i int) {
		a := opts.Accounts[i]
		out[i].Name = a.Name
		if a.Path != "" {
			var err error
			if out[i].State, err = a.Desired(ctx); err != nil {
				out[i].Err = err // the file names the menu seen
				return
			}
		}
		api, err := opts.Open(ctx, a)
		if err != nil {
			out[i].Err = err
			return
		}
		if out[i].Buttons, err = api.TryMatch(ctx, user); err != nil {
			out[i].Err = fmt.Errorf("trymatch %s: %w", user, err)
		}
	})
	return out
}
