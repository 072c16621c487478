package snapshot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/snapshot"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

var (
	planTime  = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	takenTime = time.Date(2025, 3, 4, 5, 0, 0, 0, time.UTC)
)

// session is a session of the emulated account e serves, read over HTTP.
func session(t *testing.T, e *wechattest.Emulator) *reconcile.Session {
	t.Helper()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	c, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret), wechat.WithRetry(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return &reconcile.Session{Client: c, AppID: wechattest.DefaultAppID, ToolVersion: "test", Now: func() time.Time { return planTime }}
}

// writeFile writes data to name in a fresh directory and returns its path.
func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// roundTrip takes a snapshot of s's account, writes it and reads it back
// as plan --live does.
func roundTrip(t *testing.T, s *reconcile.Session) *snapshot.File {
	t.Helper()
	read, err := s.Read(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	f, err := snapshot.New("", "test", takenTime, []snapshot.Account{snapshot.Take("", s.AppID, read, takenTime)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := snapshot.Read(buf.Bytes())
	if err != nil {
		t.Fatalf("reading the snapshot written: %v\n%s", err, buf.Bytes())
	}
	// menu/get's "sub_button": [] on leaves is written as nothing, and
	// read back as no list: the same buttons (canon compares them so).
	if diff := cmp.Diff(f, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("the snapshot read back differs from the one written (-written +read):\n%s", diff)
	}
	return got
}

// TestPlanFromSnapshotIsTheLivePlan checks that a plan made from a snapshot
// written and read back is the plan made from a read of the account, as
// its document writes it (what reviewers, digests and apply see), but for
// the snapshot it names: the same steps, review, warnings, reads and live
// digest, for API menus, a menu published in the console, no menu, and a
// file that names tags (checked against the tags the snapshot holds).
func TestPlanFromSnapshotIsTheLivePlan(t *testing.T) {
	basic, err := os.ReadFile("../../examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withTags := string(basic) + "tags:\n  \"101\": vip\n  \"102\": 员工\n  \"103\": gone\n"
	tests := []struct {
		name  string
		setup func(e *wechattest.Emulator)
		file  string
	}{
		{"api menus", func(e *wechattest.Emulator) { e.SeedDemo() }, string(basic)},
		{"file names tags", func(e *wechattest.Emulator) { e.SeedDemo() }, withTags},
		{"console menu", func(e *wechattest.Emulator) {
			e.Default().SetConsoleMenu([]wechat.Button{{Type: "view", Name: "官网", URL: "https://www.example.com/?a=1&b=2"}})
		}, string(basic)},
		{"no menu", func(*wechattest.Emulator) {}, string(basic)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := wechattest.New(wechattest.Config{Seed: 11})
			tt.setup(e)
			s := session(t, e)
			ds, err := desired.Load(writeFile(t, "menus.yaml", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			live := s.Plan(context.Background(), ds, reconcile.PlanOptions{})
			if live.Err != nil {
				t.Fatal(live.Err)
			}
			f := roundTrip(t, s)
			entry, err := f.For("", "")
			if err != nil {
				t.Fatal(err)
			}
			source := f.Source("snap.json", entry)
			fromSnapshot := (&reconcile.Session{AppID: entry.AppID, ToolVersion: "test", Now: s.Now}).
				PlanRead(entry.Read(), ds, reconcile.PlanOptions{Snapshot: source})
			if fromSnapshot.Err != nil {
				t.Fatal(fromSnapshot.Err)
			}
			got := *fromSnapshot.Plan
			if diff := cmp.Diff(&plans.SnapshotSource{File: "snap.json", TakenAt: takenTime, Digest: f.Digest}, got.Snapshot); diff != "" {
				t.Errorf("the plan's snapshot (-want +got):\n%s", diff)
			}
			got.Snapshot, got.PlanDigest, live.Plan.PlanDigest = nil, "", ""
			if diff := cmp.Diff(document(t, live.Plan), document(t, &got)); diff != "" {
				t.Errorf("plan from the snapshot differs from the live plan (-live +snapshot):\n%s", diff)
			}
			if fromSnapshot.Status != live.Status || fromSnapshot.Console != live.Console {
				t.Errorf("status %s, console %v; the live plan's: %s, %v", fromSnapshot.Status, fromSnapshot.Console, live.Status, live.Console)
			}
			// Apply refuses it before anything else, as stale (exit 3: plan
			// again, from the live account); the live plan passes.
			err = reconcile.CheckOffline(fromSnapshot.Plan, reconcile.ApplyOptions{AppID: entry.AppID, Desired: ds})
			want := "plan is stale: it was made from the snapshot snap.json taken at 2025-03-04T05:00:00Z, not from the live account; a plan from a snapshot is for review only and cannot be applied"
			if got := fmt.Sprint(err); got != want || reconcile.Classify(fromSnapshot.Plan, err, false) != reconcile.StatusStale {
				t.Errorf("CheckOffline of the plan from the snapshot: %v, want %s (stale)", err, want)
			}
			if err := reconcile.CheckOffline(live.Plan, reconcile.ApplyOptions{AppID: entry.AppID, Desired: ds}); err != nil {
				t.Errorf("CheckOffline of the live plan: %v", err)
			}
		})
	}
}

// document is p as its JSON document holds it.
func document(t *testing.T, p *plans.Plan) map[string]any {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestTakeKeepsEveryAnswer checks that a snapshot keeps what each read
// returned, as it returned it, and gives it back as a LiveRead: a console
// menu with console-only buttons (news_info kept as JSON), tags that
// could not be read, and an account with no tags at all (read, and empty,
// which is not "not read").
func TestTakeKeepsEveryAnswer(t *testing.T) {
	var info wechat.SelfMenuInfo
	if err := json.Unmarshal([]byte(`{"is_menu_open": 1, "selfmenu_info": {"button": [
		{"type": "news", "name": "图文", "value": "KQb_w_Tiz-nSdVLoTV35Psmty8hGBulGhEdbb9SKs-o", "news_info": {"list": [{"title": "t", "content_url": "https://mp.weixin.qq.com/s?a=1&b=2"}]}},
		{"name": "更多", "sub_button": {"list": [{"type": "view", "name": "官网", "url": "https://www.example.com/"}]}}]}}`), &info); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		read *reconcile.LiveRead
	}{
		{"console menu, tags failed", reconcile.Recorded(&wechat.MenuSet{}, &info, nil, &wechat.APIError{Code: 48001, Message: "api unauthorized"})},
		{"no tags", reconcile.Recorded(&wechat.MenuSet{Default: &wechat.Menu{Buttons: []wechat.Button{{Type: "click", Name: "a", Key: "A"}}}}, nil, []wechat.Tag{}, nil)},
		{"tags", reconcile.Recorded(&wechat.MenuSet{}, nil, []wechat.Tag{{ID: "101", Name: "vip", Count: 3}}, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := snapshot.New("", "test", takenTime, []snapshot.Account{snapshot.Take("", "wx5a9db0e1sandbox", tt.read, takenTime)})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			back, err := snapshot.Read(buf.Bytes())
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.Bytes())
			}
			got := back.Accounts[0].Read()
			want := *tt.read
			// An error is kept as its text: compare the texts.
			errText := func(err error) string {
				if err == nil {
					return ""
				}
				return err.Error()
			}
			if diff := cmp.Diff(errText(want.TagsErr), errText(got.TagsErr)); diff != "" {
				t.Errorf("tags error (-want +got):\n%s", diff)
			}
			want.TagsErr, got.TagsErr = nil, nil
			if diff := cmp.Diff(want, got, compactJSON); diff != "" {
				t.Errorf("read back (-want +got):\n%s", diff)
			}
		})
	}
}

// compactJSON compares raw JSON (news_info) compacted: the snapshot is
// written indented.
var compactJSON = cmp.Transformer("compact", func(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
})

// TestReadRefuses checks that Read refuses what is not a whole snapshot of
// this format, saying why.
func TestReadRefuses(t *testing.T) {
	valid := func() map[string]any {
		read := reconcile.Recorded(&wechat.MenuSet{}, nil, []wechat.Tag{}, nil)
		f, err := snapshot.New("", "test", takenTime, []snapshot.Account{snapshot.Take("", "wx5a9db0e1sandbox", read, takenTime)})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	encode := func(doc map[string]any) string {
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	edit := func(f func(doc map[string]any)) string {
		doc := valid()
		f(doc)
		return encode(doc)
	}
	account := func(doc map[string]any) map[string]any { return doc["accounts"].([]any)[0].(map[string]any) }
	whole := encode(valid())
	tests := []struct {
		name, data, want string
	}{
		{"empty", "  \n", "empty, not a wxmenu snapshot"},
		{"not json", "kind: wxmenu-snapshot\n", "1:1: not JSON, or cut short: invalid character 'k' looking for beginning of value"},
		{"cut short", whole[:40], "1:41: not JSON, or cut short: unexpected end of file"},
		{"a plan", `{"format_version": 3, "accounts": []}`, "a wxmenu plan, not a snapshot: plan --live takes the file export --snapshot writes"},
		{"another kind", `{"kind": "other", "format_version": 1}`, `not a wxmenu snapshot (kind "other")`},
		{"no kind", `{"accounts": []}`, "not a wxmenu snapshot: kind is missing"},
		{"no version", `{"kind": "wxmenu-snapshot"}`, "format_version is missing"},
		{"future", edit(func(d map[string]any) { d["format_version"] = 2 }), "a snapshot of format 2, newer than this wxmenu reads (1): use the wxmenu that took it, or a later one"},
		{"past", edit(func(d map[string]any) { d["format_version"] = 0 }), "a snapshot of format 0, which this wxmenu does not read (it reads format 1)"},
		{"unknown field", edit(func(d map[string]any) { d["access_token"] = "x" }), `1:2: invalid snapshot: unknown field "access_token"`},
		{"data after", whole + "{}", fmt.Sprintf("1:%d: not JSON, or cut short: invalid character '{' after top-level value", len(whole)+1)},
		{"no accounts", edit(func(d map[string]any) { d["accounts"] = []any{} }), "invalid snapshot: it has no accounts"},
		{"no menus", edit(func(d map[string]any) { delete(account(d), "menus") }), "invalid snapshot: account 1: menus (the answer of menu/get) is missing"},
		{"bad appid", edit(func(d map[string]any) { account(d)["appid"] = "<b>" }), `invalid snapshot: account 1: appid "<b>" is not an appid`},
		{"no time", edit(func(d map[string]any) { delete(d, "taken_at") }), "invalid snapshot: taken_at is missing"},
		{"named in a menus file's", edit(func(d map[string]any) { account(d)["name"] = "shop" }), "invalid snapshot: a snapshot of one menus file holds one unnamed account"},
		{"edited", edit(func(d map[string]any) { account(d)["tags"] = []any{map[string]any{"id": "1", "name": "x", "count": 0}} }), "the snapshot was edited or damaged after it was taken (its digest does not match)"},
		{"no digest", edit(func(d map[string]any) { d["digest"] = "" }), "the snapshot was edited or damaged after it was taken (its digest does not match)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := snapshot.Read([]byte(tt.data))
			if err == nil {
				t.Fatalf("Read accepted %s", tt.data)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFor checks which entry of a snapshot each account of a run is
// planned from.
func TestFor(t *testing.T) {
	read := reconcile.Recorded(&wechat.MenuSet{}, nil, nil, nil)
	project, err := snapshot.New("wxmenu.yaml", "test", takenTime, []snapshot.Account{
		snapshot.Take("shop", "wx1111111111111111", read, takenTime),
		snapshot.Take("brand", "wx2222222222222222", read, takenTime),
	})
	if err != nil {
		t.Fatal(err)
	}
	single, err := snapshot.New("", "test", takenTime, []snapshot.Account{snapshot.Take("", "wx3333333333333333", read, takenTime)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		f           *snapshot.File
		who, appid  string
		want, wantE string
	}{
		{"by name", project, "brand", "wx2222222222222222", "wx2222222222222222", ""},
		{"renamed, by appid", project, "brand-new", "wx2222222222222222", "wx2222222222222222", ""},
		{"by appid, -f", project, "", "wx1111111111111111", "wx1111111111111111", ""},
		{"name with another appid", project, "brand", "wx9999999999999999", "", "the snapshot's account brand is wx2222222222222222, not wx9999999999999999"},
		{"not there", project, "other", "wx9999999999999999", "", "the snapshot has no account other"},
		{"which one", project, "", "", "", "the snapshot holds 2 accounts; which one is the account of this plan"},
		{"-f, appid unknown", single, "", "", "wx3333333333333333", ""},
		{"-f, same appid", single, "", "wx3333333333333333", "wx3333333333333333", ""},
		{"-f, another appid", single, "", "wx9999999999999999", "", "the snapshot was taken of account wx3333333333333333, not wx9999999999999999"},
		{"project account, -f snapshot", single, "shop", "wx3333333333333333", "wx3333333333333333", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := tt.f.For(tt.who, tt.appid)
			got, gotE := "", ""
			if a != nil {
				got = a.AppID
			}
			if err != nil {
				gotE = err.Error()
			}
			if diff := cmp.Diff([2]string{tt.want, tt.wantE}, [2]string{got, gotE}); diff != "" {
				t.Errorf("For(%q, %q) (-want +got):\n%s", tt.who, tt.appid, diff)
			}
		})
	}
}
