package plans_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// richPlan is plantest.AccountPlan of an account whose menuids are
// shifted by shift.
func richPlan(t *testing.T, shift int, edit func(*wechat.MenuSet, *desired.State), safety reconcile.SafetyOptions) *plans.Plan {
	return plantest.AccountPlan(t, fmt.Sprintf("wx%016d", shift), shift, edit, safety)
}

func key(t *testing.T, p *plans.Plan) string {
	t.Helper()
	return plans.GroupKey(p)
}

// TestGroupKey: the key of the rich plan ignores the account's menuids
// and appid, and changes with anything a follower or a reviewer sees.
func TestGroupKey(t *testing.T) {
	allow := plantest.RichSafety
	base := richPlan(t, 0, nil, allow)
	if !strings.Contains(fmt.Sprint(base.Steps), "menuid 1004") {
		t.Fatal("the rich plan names no menuid in its text; the test tests nothing")
	}
	for _, shift := range []int{1, 1000, 123456} {
		if got, want := key(t, richPlan(t, shift, nil, allow)), key(t, base); got != want {
			t.Errorf("menuids shifted by %d: key %s, want %s", shift, got, want)
		}
	}
	fromSnapshot := richPlan(t, 2, nil, allow)
	fromSnapshot.Snapshot = &plans.SnapshotSource{File: "snapshot.json", TakenAt: plantest.Time, Digest: "sha256:00"}
	if key(t, fromSnapshot) == key(t, base) {
		t.Error("a plan made from a snapshot has the key of one made from a live read")
	}
	for _, tc := range []struct {
		name   string
		edit   func(*wechat.MenuSet, *desired.State)
		safety reconcile.SafetyOptions
	}{
		{name: "button name", edit: func(_ *wechat.MenuSet, ds *desired.State) { ds.Default.Buttons[0].Name = "首页2" }},
		{name: "button key", edit: func(_ *wechat.MenuSet, ds *desired.State) { ds.Default.Buttons[0].Key = "HOME_V3" }},
		{name: "URL", edit: func(_ *wechat.MenuSet, ds *desired.State) {
			ds.Default.Buttons[1].URL = "https://www.example.com/new?appid=wx0000000000000001"
		}},
		{name: "button order", edit: func(_ *wechat.MenuSet, ds *desired.State) {
			b := ds.Default.Buttons
			b[0], b[1] = b[1], b[0]
		}},
		{name: "tag id", edit: func(_ *wechat.MenuSet, ds *desired.State) { ds.Conditional[0].MatchRule.TagID = "777" }},
		{name: "menu name", edit: func(_ *wechat.MenuSet, ds *desired.State) { ds.Conditional[0].Name += "-2" }},
		{name: "menu order", edit: func(_ *wechat.MenuSet, ds *desired.State) {
			c := ds.Conditional
			c[0], c[1] = c[1], c[0]
		}},
		{name: "tag name", edit: func(_ *wechat.MenuSet, ds *desired.State) { ds.Tags = map[string]string{"101": "vip"} }},
		{name: "live button", edit: func(live *wechat.MenuSet, _ *desired.State) { live.Default.Buttons[0].Key = "HOME_OLD" }},
		{name: "blocked", safety: reconcile.SafetyOptions{AllowManyDeletes: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			safety := allow
			if tc.safety != (reconcile.SafetyOptions{}) {
				safety = tc.safety
			}
			if key(t, richPlan(t, 7, tc.edit, safety)) == key(t, base) {
				t.Error("the key did not change")
			}
		})
	}
}

// TestShared: a shared plan shows MenuIDMark wherever the plan shows a
// menuid, and leaves the plan it copies as it is.
func TestShared(t *testing.T) {
	p := richPlan(t, 0, nil, plantest.RichSafety)
	before := fmt.Sprintf("%+v", *p)
	s := plans.Shared(p)
	if after := fmt.Sprintf("%+v", *p); after != before {
		t.Error("Shared changed the plan")
	}
	var got []string
	for _, st := range s.Steps {
		got = append(got, st.Name+": "+st.Reason+" ["+st.MenuID+"|"+st.Replaces+"]")
	}
	want := []string{
		"default menu: default menu changed [|]",
		"tag 102 (menuid …): not in menus.yaml; deleted before creating spring-campaign, which would otherwise exceed WeChat's limit of 3 URL domains across conditional menus […|]",
		"spring-campaign: new [|]",
		"会员|vip: buttons changed (replaces menuid …) [|…]",
		"ios: unchanged, recreated to stay above 会员|vip [|…]",
		"sex 1 (dead) (menuid …): never matches: uses privacy field sex, which WeChat no longer matches […|]",
		"会员|vip: menuid …, replaced by the new 会员|vip […|]",
		"ios: menuid …, replaced by the new ios […|]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`menuid[^,]{0,4}[0-9]+`).FindAll(data, -1); len(m) > 0 || !strings.Contains(string(data), `"kept":[{`) {
		t.Errorf("the shared plan names menuids %q", m)
	}
}

// TestGroupKeyOfTemplateValues: accounts of one template whose buttons
// differ only by the values their placeholders took share a key, and their
// shared plan shows the placeholders; a value that is not the account's
// own keeps it apart.
func TestGroupKeyOfTemplateValues(t *testing.T) {
	store := func(shift int, storeID, inURL string) *plans.Plan {
		p := richPlan(t, shift, func(_ *wechat.MenuSet, ds *desired.State) {
			ds.Default.Buttons[1].URL = "https://shop.example.com/s/" + inURL + "?from=menu"
			ds.Default.Buttons[1].Name = "店 " + inURL
		}, plantest.RichSafety)
		p.Vars = map[string]string{"store_id": storeID, "empty": "", "account.name": "store-" + storeID}
		return p
	}
	a, b := store(0, "0001", "0001"), store(3, "0002", "0002")
	if key(t, a) != key(t, b) {
		t.Error("two accounts of a template whose buttons differ only by their values have different keys")
	}
	if other := store(5, "0002", "0003"); key(t, other) == key(t, a) {
		t.Error("an account whose URL holds a value that is not its own shares the key")
	}
	noVars := store(4, "0002", "0002")
	noVars.Vars = nil
	if key(t, noVars) == key(t, a) {
		t.Error("without the values a template gave, an account's own values keep it apart")
	}
	var urls []string
	for _, st := range plans.Shared(b).Steps {
		for _, btn := range st.After {
			if strings.Contains(btn.URL, "shop.example.com") {
				urls = append(urls, btn.Name+" "+btn.URL)
			}
		}
	}
	if diff := cmp.Diff([]string{"店 ${store_id} https://shop.example.com/s/${store_id}?from=menu"}, urls); diff != "" {
		t.Errorf("the shared plan's button (-want +got):\n%s", diff)
	}
	if strings.Contains(fmt.Sprint(b.Steps), "${") {
		t.Error("Shared changed the account's own plan")
	}
}

// TestGroupKeyOfLiteralPlaceholders: a literal "${x}" in an account's real
// buttons (a value left unfilled) is not taken for the placeholder another
// account's value was written back as, and a value too short to tell from
// the text around it is not written back at all (the display stays what
// the account gets).
func TestGroupKeyOfLiteralPlaceholders(t *testing.T) {
	store := func(shift int, vars map[string]string, url string) *plans.Plan {
		p := richPlan(t, shift, func(_ *wechat.MenuSet, ds *desired.State) { ds.Default.Buttons[1].URL = url }, plantest.RichSafety)
		p.Vars = vars
		return p
	}
	filled := store(0, map[string]string{"store_id": "0002"}, "https://shop.example.com/s/0002")
	unfilled := store(1, map[string]string{"store_id": "${store_id}"}, "https://shop.example.com/s/${store_id}")
	if key(t, filled) == key(t, unfilled) {
		t.Error("an account whose URL holds a literal ${store_id} shares the key of one whose URL holds its store id")
	}
	short := store(2, map[string]string{"store_id": "s"}, "https://shop.example.com/s/s")
	var urls []string
	for _, st := range plans.Shared(short).Steps {
		for _, b := range st.After {
			if strings.Contains(b.URL, "shop.example.com") {
				urls = append(urls, b.URL)
			}
		}
	}
	if diff := cmp.Diff([]string{"https://shop.example.com/s/s"}, urls); diff != "" {
		t.Errorf("a one-letter value written back as its placeholder (-want +got):\n%s", diff)
	}
}
