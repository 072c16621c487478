package desired

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/wechat"
)

// readLive decodes a menu/get response fixture.
func readLive(t *testing.T, file string) *wechat.MenuSet {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var live wechat.MenuSet
	if err := json.Unmarshal(data, &live); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return &live
}

// exportedMenu is what must survive Export then Parse.
type exportedMenu struct {
	Rule    wechat.MatchRule
	Buttons []wechat.Button
}

// checkRoundTrip asserts Parse(Export(live)) has live's buttons and rules
// in priority order, menus with privacy rules as unmanaged rules.
func checkRoundTrip(t *testing.T, live *wechat.MenuSet) *State {
	t.Helper()
	out, err := Export(live)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	ds, err := Parse("exported.yaml", out)
	if err != nil {
		t.Fatalf("Parse(Export(live)): %v\n%s", err, out)
	}
	equateEmpty := cmpopts.EquateEmpty()
	if (live.Default == nil) != (ds.Default == nil) {
		t.Fatalf("default menu: live %v, parsed %v", live.Default != nil, ds.Default != nil)
	}
	if live.Default != nil {
		if diff := cmp.Diff(withoutUnused(live.Default.Buttons), ds.Default.Buttons, equateEmpty); diff != "" {
			t.Errorf("default buttons (-live +parsed):\n%s", diff)
		}
	}
	var want, got []exportedMenu
	var wantDead, gotDead []wechat.MatchRule
	for _, m := range live.NewestFirst() {
		if m.MatchRule.IsDead() {
			if !slices.Contains(wantDead, m.MatchRule) {
				wantDead = append(wantDead, m.MatchRule)
			}
			continue
		}
		want = append(want, exportedMenu{m.MatchRule, withoutUnused(m.Buttons)})
	}
	for _, c := range ds.Conditional {
		got = append(got, exportedMenu{c.MatchRule, c.Buttons})
	}
	for _, u := range ds.Unmanaged {
		gotDead = append(gotDead, u.MatchRule)
	}
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		t.Errorf("conditional menus (-live +parsed):\n%s\n%s", diff, out)
	}
	if diff := cmp.Diff(wantDead, gotDead, equateEmpty); diff != "" {
		t.Errorf("unmanaged dead rules (-live +parsed):\n%s\n%s", diff, out)
	}
	return ds
}

// withoutUnused drops the fields each leaf's type does not use, which
// export leaves out (with a comment) and plan ignores.
func withoutUnused(bs []wechat.Button) []wechat.Button {
	var out []wechat.Button
	for _, b := range bs {
		if len(b.SubButtons) > 0 {
			b.SubButtons = withoutUnused(b.SubButtons)
		} else {
			b = b.WithoutUnusedFields()
		}
		out = append(out, b)
	}
	return out
}

func TestExportGolden(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/export/*.json")
	if len(files) < 4 {
		t.Fatalf("want at least 4 export fixtures, got %d", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			live := readLive(t, file)
			out, err := Export(live)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, strings.TrimSuffix(file, ".json")+".golden.yaml", out)
			checkRoundTrip(t, live)
		})
	}
}

func TestExportRoundTripTrickyStrings(t *testing.T) {
	names := []string{
		"true", "null", "~", "101", "1.5", "0x1F", "2024-01-01", "yes", "a: b", "#hash", "- dash", "[x]", "{y}",
		"&anchor", "*alias", "!tag", "@at", "`tick`", "'single'", `"double"`, " lead", "trail ", "%pct",
		"会员中心", "emoji 🎉", "tab\there", "line\nbreak", "back\\slash", "del\x7f", "c1\u0085nel", "bidi\u202e", "",
	}
	var subs []wechat.Button
	for i, n := range names {
		subs = append(subs, wechat.Button{Type: "click", Name: n, Key: n + "-key", SubButtons: []wechat.Button{}})
		if len(subs) == wechat.MaxSubButtons || i == len(names)-1 {
			live := &wechat.MenuSet{
				Default: &wechat.Menu{Buttons: []wechat.Button{
					{Name: "P", SubButtons: subs},
					{Type: "view", Name: "Q", URL: "https://www.example.com/a?b=1&c=2#frag"},
				}},
				Conditional: []wechat.ConditionalMenu{{
					MenuID:    "1",
					MatchRule: wechat.MatchRule{TagID: n, ClientPlatformType: n},
					Buttons:   []wechat.Button{{Type: "view", Name: n, URL: "https://x.example/?q=" + n + "&r=1"}},
				}},
			}
			checkRoundTrip(t, live)
			subs = nil
		}
	}
}

func TestExportOfValidAccountValidates(t *testing.T) {
	live := readLive(t, "../../testdata/export/tags-platforms.json")
	ds := checkRoundTrip(t, live)
	if diags := Validate(ds); diags != nil {
		t.Errorf("exported file of a valid account does not validate:\n%v", diags)
	}
	var names []string
	for _, c := range ds.Conditional {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"tag-101-ios", "tag-101", "android"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

func TestExportNames(t *testing.T) {
	rules := []wechat.MatchRule{
		{TagID: "101"},
		{TagID: "101", ClientPlatformType: "1"},
		{ClientPlatformType: "2"},
		{TagID: "101"},
		{TagID: "101"},
		{Sex: "1"},
		{TagID: "VIP Gold"},
		{ClientPlatformType: "9"},
		{},
		{TagID: "会员"},
		{TagID: strings.Repeat("9", 80)},
	}
	var menus []wechat.ConditionalMenu
	for _, r := range rules {
		menus = append(menus, wechat.ConditionalMenu{MatchRule: r})
	}
	want := []string{
		"tag-101", "tag-101-ios", "android", "tag-101-2", "tag-101-3", "privacy", "tag-vip-gold",
		"platform-9", "menu", "tag-x", "tag-" + strings.Repeat("9", 56),
	}
	got := exportNames(menus)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, n := range got {
		if !validName.MatchString(n) || len(n) > maxNameLen {
			t.Errorf("generated name %q is not a valid label", n)
		}
	}
}

func TestExportNil(t *testing.T) {
	if _, err := Export(nil); err == nil {
		t.Error("Export(nil) succeeded")
	}
}
