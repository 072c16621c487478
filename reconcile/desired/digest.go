package desired

import (
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/wechat"
)

// Digest returns the digest (canon.Digest) of the canonical desired state:
// the document
//
//	{"default": buttons or null,
//	 "conditional": [{"name", "matchrule", "button", "protect"}, ...],
//	 "unmanaged": [matchrule, ...], "tags": {id: name, ...}}
//
// with the conditional menus in priority order, buttons in their canonical
// value (canon.Buttons) and tags left out when the file names none. Path
// and positions are left out, so moving or reformatting the file does not
// change it.
func (ds *State) Digest() string {
	type menu struct {
		Name      string            `json:"name"`
		MatchRule *wechat.MatchRule `json:"matchrule"`
		Buttons   []wechat.Button   `json:"button"`
		Protect   bool              `json:"protect"`
	}
	doc := struct {
		Default     []wechat.Button     `json:"default"`
		Conditional []menu              `json:"conditional"`
		Unmanaged   []*wechat.MatchRule `json:"unmanaged"`
		Tags        map[string]string   `json:"tags,omitempty"`
	}{Conditional: []menu{}, Unmanaged: []*wechat.MatchRule{}}
	if ds != nil {
		if ds.Default != nil {
			doc.Default = canon.Buttons(ds.Default.Buttons)
		}
		for i := range ds.Conditional {
			c := &ds.Conditional[i]
			doc.Conditional = append(doc.Conditional, menu{Name: c.Name, MatchRule: &c.MatchRule, Buttons: canon.Buttons(c.Buttons), Protect: c.Protect})
		}
		for i := range ds.Unmanaged {
			doc.Unmanaged = append(doc.Unmanaged, &ds.Unmanaged[i].MatchRule)
		}
		doc.Tags = ds.Tags
	}
	return canon.Digest(doc)
}
