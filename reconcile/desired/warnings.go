package desired

import (
	"fmt"

	"github.com/wxmenu/wxmenu/reconcile/preview"
	"github.com/wxmenu/wxmenu/wechat"
)

// Warnings lists what WeChat accepts but followers will not see as
// written: button names the phone cuts off (preview.CutOffs; the widths are
// UNCONFIRMED approximations of common phones). They are located like
// Validate's diagnostics and never make a file invalid. Warnings expects a
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
	return v.diags.Sorted()
}
