package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// templatedFleet is a project of n accounts of one template, listed by a
// CSV file, in a directory of its own, run against the embedded sandbox
// (--sandbox; its state under the directory).
type templatedFleet struct {
	dir, config, template string
}

func newTemplatedFleet(t *testing.T, n int) *templatedFleet {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, ".state"))
	const secret = "store-secret-0123456789"
	t.Setenv("STORE_SECRET", secret)
	var csv strings.Builder
	csv.WriteString("name,appid,vars.store_id\n")
	for i := range n {
		appID := fmt.Sprintf("wx%016x", 0x1000+i)
		fmt.Fprintf(&csv, "store-%04d,%s,%04d\n", i, appID, i)
	}
	f := &templatedFleet{dir: dir, config: filepath.Join(dir, "wxmenu.yaml"), template: filepath.Join(dir, "templates", "shop.yaml")}
	write(t, filepath.Join(dir, "stores.csv"), csv.String())
	write(t, f.config, "templates: {shop: templates/shop.yaml}\naccounts_from:\n  - {file: stores.csv, defaults: {template: shop, secret_env: STORE_SECRET}}\n")
	write(t, f.template, `default:
  button:
    - {type: view, name: Store, url: "https://shop.example.com/s/${store_id}"}
conditional:
  - name: vip
    matchrule: {tag_id: "101"}
    button:
      - {type: view, name: VIP, url: "https://shop.example.com/s/${store_id}/vip"}
      - {type: click, name: Help, key: "HELP_${store_id}"}
`)
	return f
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// plan plans every account into a saved plan file and reads it back.
func (f *templatedFleet) plan(t *testing.T) *plans.File {
	t.Helper()
	out := filepath.Join(f.dir, "plan.json")
	if code, stdout, stderr := runCLI(t, "--sandbox", "plan", "--config", f.config, "--out", out, "--format", "json"); code != 0 {
		t.Fatalf("plan: exit %d\n%.2000s\n%.2000s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var file plans.File
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	return &file
}

// stepShape is what a step does, without what differs by account (menuids,
// the values of its vars in URLs and keys): its action, reason, menu and
// the names of the buttons it sends.
func stepShape(s plans.Step) string {
	names := make([]string, len(s.After))
	for i, b := range s.After {
		names[i] = b.Name
	}
	return fmt.Sprintf("%s %s %q %v", s.Action, s.ReasonCode, s.Name, names)
}

// TestTemplatedFleet applies a project of 1,000 sandbox accounts of one template,
// changes one button of the template and plans again: every account has
// the same changes, the plan pins the template, and the review is one
// group: one Markdown part saying "1,000 accounts: the same 2 steps" with
// the buttons as the template writes them, and one group in the JSON.
func TestTemplatedFleet(t *testing.T) {
	scaleTest(t, "applies and plans 1,000 accounts")
	const n = 1000
	f := newTemplatedFleet(t, n)
	if code, stdout, stderr := runCLI(t, "--sandbox", "apply", "--config", f.config, "--auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%.2000s\n%.2000s", code, stdout, stderr)
	}
	if code, stdout, stderr := runCLI(t, "--sandbox", "plan", "--config", f.config, "--detailed-exitcode"); code != 0 {
		t.Fatalf("plan after apply: exit %d, want 0 (no changes)\n%.2000s\n%.2000s", code, stdout, stderr)
	}

	edited, err := os.ReadFile(f.template)
	if err != nil {
		t.Fatal(err)
	}
	write(t, f.template, strings.Replace(string(edited), "name: VIP,", "name: VIP Club,", 1))
	file := f.plan(t)
	if len(file.Accounts) != n {
		t.Fatalf("plan: %d accounts, want %d", len(file.Accounts), n)
	}
	want := []string{
		`add_conditional buttons_changed "vip" [VIP Club Help]`,
		`del_conditional replaced "vip" []`,
	}
	for _, a := range file.Accounts {
		var got []string
		for _, s := range a.Plan.Steps {
			got = append(got, stepShape(s))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("account %s: steps (-want +got):\n%s", a.Name, diff)
		}
		if a.Plan.Template != "shop" || a.Plan.TemplateDigest != file.Accounts[0].Plan.TemplateDigest {
			t.Fatalf("account %s: template %q %s, want shop and the digest every account has", a.Name, a.Plan.Template, a.Plan.TemplateDigest)
		}
	}

	code, md, stderr := runCLI(t, "--sandbox", "plan", "--config", f.config, "--format", "markdown")
	if code != 0 {
		t.Fatalf("plan --format markdown: exit %d\n%.2000s", code, stderr)
	}
	if n := strings.Count(md, "<!-- wxmenu-plan part "); n != 1 || !strings.Contains(md, "<!-- wxmenu-plan part 1/1 -->") {
		t.Errorf("the Markdown plan has %d parts, want one (part 1/1)", n)
	}
	for _, want := range []string{"**1,000 accounts: the same 2 steps**: `store-0000`…`store-0999`", "url=https://shop.example.com/s/${store_id}/vip", "key=HELP_${store_id}"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown plan lacks %q:\n%.3000s", want, md)
		}
	}
	if strings.Contains(md, "=== store-0001") || strings.Contains(md, "s/0001/vip") {
		t.Errorf("the Markdown plan shows an account on its own:\n%.3000s", md)
	}
	code, js, stderr := runCLI(t, "--sandbox", "plan", "--config", f.config, "--format", "json")
	if code != 0 {
		t.Fatalf("plan --format json: exit %d\n%.2000s", code, stderr)
	}
	var doc struct {
		Groups []struct {
			Accounts []string     `json:"accounts"`
			Steps    []plans.Step `json:"steps"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 1 || len(doc.Groups[0].Accounts) != n || len(doc.Groups[0].Steps) != 2 {
		t.Fatalf("JSON groups: %d, want one of %d accounts and 2 steps", len(doc.Groups), n)
	}
}
