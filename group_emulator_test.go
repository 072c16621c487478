package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// TestGroupedReviewOverEmulator plans a project of 1,000 accounts sharing
// one menus file against the emulator (real HTTP): applied, then
// the file changed by one button, the Markdown plan is one comment part
// showing one group of every account, and the JSON has that one group.
// Once one account's live menu differs, it is shown on its own and the
// group holds the other 999.
func TestGroupedReviewOverEmulator(t *testing.T) {
	scaleTest(t, "applies and plans 1,000 accounts")
	const n = 1000
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	menus, err := os.ReadFile("examples/basic/menus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "menus.yaml")
	write := func(data string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(string(menus))
	var project strings.Builder
	project.WriteString("accounts:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&project, "  - {name: store-%04d, appid: wx%016d, file: menus.yaml, secret_env: STORE_SECRET}\n", i, i)
	}
	config := filepath.Join(dir, "wxmenu.yaml")
	if err := os.WriteFile(config, []byte(project.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// The emulator in memory, every account with the demo menus.
	cfg := wechattest.Config{Seed: 5}
	for i := 1; i <= n; i++ {
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: fmt.Sprintf("wx%016d", i), Secret: "store-secret-0123456789"})
	}
	emu := wechattest.New(cfg)
	emu.SeedDemoAll()
	srv := httptest.NewServer(emu)
	defer srv.Close()
	t.Setenv("WECHAT_API_BASE", srv.URL)
	t.Setenv("WECHAT_ACCESS_TOKEN", "")
	t.Setenv("STORE_SECRET", "store-secret-0123456789")
	cli := func(want int, args ...string) string {
		t.Helper()
		code, stdout, stderr := runCLI(t, append(args, "--config", config)...)
		if code != want {
			t.Fatalf("wxmenu %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), code, want, stdout[max(0, len(stdout)-2000):], stderr[:min(len(stderr), 2000)])
		}
		return stdout
	}
	cli(0, "apply", "--auto-approve", "--allow-many-deletes", "--allow-protected")
	if out := cli(0, "plan"); !strings.Contains(out, "1,000 accounts: 1,000 no changes") && !strings.Contains(out, "1000 accounts: 1000 no changes") {
		t.Fatalf("after apply the accounts differ from the file:\n%s", out[max(0, len(out)-400):])
	}

	// One button renamed in the file every account shares.
	edited := strings.Replace(string(menus), "name: 签到", "name: 每日签到", 1)
	if edited == string(menus) {
		t.Fatal("examples/basic/menus.yaml has no button 签到")
	}
	write(edited)
	md := cli(0, "plan", "--format", "markdown")
	if got := regexp.MustCompile(`<!-- wxmenu-plan part \d+/\d+ -->`).FindAllString(md, -1); len(got) != 1 || got[0] != "<!-- wxmenu-plan part 1/1 -->" {
		t.Errorf("comment parts %q, want one", got)
	}
	if want := "**1,000 accounts: the same 1 step**: `store-0001`…`store-1000`\n"; !strings.Contains(md, want) {
		t.Errorf("the comment lacks %q:\n%s", want, md[:min(len(md), 2000)])
	}
	groups := jsonGroups(t, cli(0, "plan", "--format", "json"))
	if len(groups) != 1 || len(groups[0].Accounts) != n || groups[0].Summary != "1,000 accounts: the same 1 step" {
		t.Errorf("JSON groups %+v, want one of %d accounts", summaries(groups), n)
	}

	// store-0500 gets the renamed button now; then the file changes a key
	// too: its steps differ from everyone else's.
	cli(0, "apply", "--auto-approve", "--account", "store-0500")
	write(strings.Replace(edited, "key: STAFF_ROTA", "key: STAFF_ROTA_V2", 1))
	md = cli(0, "plan", "--format", "markdown")
	for _, want := range []string{
		"**999 accounts: the same 3 steps**: `store-0001`…`store-0499`, `store-0501`…`store-1000`\n",
		"| `store-0500` | `wx0000000000000500` | changes | 2 |",
		"<details><summary>store-0500 (wx0000000000000500): changes</summary>",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the comment lacks %q:\n%s", want, md[:min(len(md), 3000)])
		}
	}
	groups = jsonGroups(t, cli(0, "plan", "--format", "json"))
	if len(groups) != 1 || len(groups[0].Accounts) != n-1 || strings.Contains(strings.Join(groups[0].Accounts, ","), "store-0500") {
		t.Errorf("JSON groups %+v, want one of %d accounts without store-0500", summaries(groups), n-1)
	}
}

type jsonGroup struct {
	Key      string   `json:"key"`
	Summary  string   `json:"summary"`
	Accounts []string `json:"accounts"`
}

func jsonGroups(t *testing.T, doc string) []jsonGroup {
	t.Helper()
	var d struct {
		Groups []jsonGroup `json:"groups"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	return d.Groups
}

func summaries(gs []jsonGroup) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Summary)
	}
	return out
}
