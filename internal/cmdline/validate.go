package cmdline

import (
	"context"

	"github.com/wxmenu/wxmenu/reconcile/desired"
)

// Validate is validate's check of one menus file, offline: it loads
// (strict decoding and validation) and declares no more conditional menus
// than maxConditional (--max-conditional), so that validate catches what
// plan would refuse. The warnings (desired.Warnings) are those of a valid
// file; an invalid one has none.
func Validate(ctx context.Context, file string, maxConditional int) (ds *desired.State, warnings desired.Diagnostics, err error) {
	ds, err = desired.LoadContext(ctx, file)
	if err == nil {
		err = desired.CheckCount(ds, maxConditional)
	}
	if err != nil {
		return nil, nil, err
	}
	return ds, desired.Warnings(ds), nil
}
