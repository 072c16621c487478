package desired

import (
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/preview"
	"github.com/wxmenu/wxmenu/wechat"
)

// Warnings lists what WeChat accepts but followers will not see as
// written: button names the phone cuts off (preview.CutOffs; the widths are
// UNCONFIRMED approximations of common phones). They are located like
// Validate's diagnostics and never make a file invalid. A rendered state
// (Template.Render) also warns of the account's vars its template does
// not use, located where the account is defined. Warnings expects a
// state that Validate accepts.
func Warnings(ds *State) Diagnostics {
	if ds == nil {
		return nil
	}
	v := &validator{ds: ds}
	menu := func(path, what string, buttons []wechat.Button) {
		for _, c := range preview.CutOffs(buttons) {
			v.report(path+"."+c.Path, what+": "+c.Warning(), "a shorter name shows whole")
		}
	}
	if ds.Default != nil {
		menu("default", "default menu", ds.Default.Buttons)
	}
	for i, c := range ds.Conditional {
		menu(fmt.Sprintf("conditional[%d]", i), fmt.Sprintf("menu %q", c.Name), c.Buttons)
	}
	if r := ds.Rendered; r != nil {
		for _, name := range r.Unused {
			v.diags = append(v.diags, Diagnostic{Path: r.Origin.Path, Pos: Pos{Line: r.Origin.Line, Column: r.Origin.Column},
				Message: fmt.Sprintf("account %s: variable %s is not used by template %s (%s)", r.Account, name, r.Template, ds.Path),
				Hint:    fmt.Sprintf("remove %s from the account's vars, or use ${%s} in %s", name, name, ds.Path)})
		}
	}
	return v.diags.Sorted()
}
