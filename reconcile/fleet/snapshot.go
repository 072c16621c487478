package fleet

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/snapshot"
)

// Taken is one account's part of a snapshot (export --snapshot): what was
// read, or why it could not be.
type Taken struct {
	Name, AppID string
	Account     *snapshot.Account
	Err         error
}

// Snapshot reads every account (in parallel, bounded by opts.Parallel)
// as plan reads it, the console menu when menu/get reports none, and its
// tags always: a later file may name tags. It changes nothing.
func Snapshot(ctx context.Context, opts Options) []Taken {
	out := make([]Taken, len(opts.Accounts))
	opts.each(func(i int) {
		a := opts.Accounts[i]
		out[i] = Taken{Name: a.Name, AppID: a.AppID}
		if a.AppID == "" {
			// A static token's account is unknown, and a snapshot is
			// matched to accounts by appid.
			out[i].Err = errtext.Errorf("give it with --appid (WECHAT_APPID)", "a snapshot names the account it was taken of, and its appid is not known")
			return
		}
		api, err := opts.Open(ctx, a)
		if err != nil {
			out[i].Err = err
			return
		}
		at := time.Now()
		read, err := (&reconcile.Session{Client: api, AppID: a.AppID}).Read(ctx, true)
		if err != nil {
			out[i].Err = err
			return
		}
		entry := snapshot.Take(a.Name, a.AppID, read, at)
		out[i].Account = &entry
	})
	return out
}

// SaveSnapshot writes the snapshot of taken to path: every account, or,
// when one could not be read, nothing (a snapshot covers every selected
// account, so a plan from it never lacks one in silence). project is the
// project file ("" for a menus file).
func SaveSnapshot(path, project, toolVersion string, taken []Taken) (*snapshot.File, error) {
	var accounts []snapshot.Account
	var failed []string
	for _, t := range taken {
		if t.Err != nil {
			failed = append(failed, t.Name)
			continue
		}
		accounts = append(accounts, *t.Account)
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("the snapshot was not written: %s could not be read", strings.Join(failed, ", "))
	}
	// The snapshot was taken when its first account was read.
	first := slices.MinFunc(accounts, func(a, b snapshot.Account) int { return a.TakenAt.Compare(b.TakenAt) })
	f, err := snapshot.New(project, toolVersion, first.TakenAt, accounts)
	if err != nil {
		return nil, err
	}
	return f, snapshot.WriteFile(path, f)
}
