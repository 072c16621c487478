package render

import "github.com/wxmenu/wxmenu/wechat"

// ButtonDiff is buttonDiff with each line as its op character, a space and
// its text, for the external tests.
func ButtonDiff(before, after []wechat.Button) []string {
	var out []string
	for _, l := range buttonDiff(before, after) {
		out = append(out, string(l.op)+" "+l.text)
	}
	return out
}
