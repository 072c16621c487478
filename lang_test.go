package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

var (
	// timestamp is a time as JSON documents, the audit log and drift's
	// causes write it.
	timestamp = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})|\d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Z]+`)
	// duration is a call's duration in the audit log (left out when 0).
	duration = regexp.MustCompile(`,"duration_ms":\d+`)
	// timed are the values made from a time: a plan's digest (it seals
	// created_at) and an apply's ID.
	timed = regexp.MustCompile(`"(plan_digest|file_digest|id)":\s*"([^"]+)"`)
)

// masked is doc with its timestamps and the values made from them
// replaced, each value by its number of first appearance: the only bytes
// of machine output that differ between two runs of the same commands.
func masked(doc string) string {
	doc = duration.ReplaceAllString(timestamp.ReplaceAllString(doc, "TIME"), "")
	var values []string
	for _, m := range timed.FindAllStringSubmatch(doc, -1) {
		if !slices.Contains(values, m[2]) {
			values = append(values, m[2])
		}
	}
	for i, v := range values {
		doc = strings.ReplaceAll(doc, v, "TIMED"+strconv.Itoa(i+1))
	}
	return doc
}

// TestMachineOutputIsTheSameInEveryLanguage runs the same scenario against
// the same sandbox account in English and in zh-CN: plan --format json,
// plan --out, apply --format json with an audit log, a changed file planned
// again, drift --format json, history --format json. Every JSON document,
// the saved plan, the audit log and every exit code are the same bytes in
// both languages, timestamps masked; a saved plan's digests are compared
// by sealing the zh-CN plan at the English plan's time, which must give
// the English file byte for byte.
func TestMachineOutputIsTheSameInEveryLanguage(t *testing.T) {
	menus, err := os.ReadFile(filepath.Join("examples", "basic", "menus.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// One sandbox account, copied into each language's run.
	seed := t.TempDir()
	t.Setenv("XDG_STATE_HOME", seed)
	t.Setenv("NO_COLOR", "1")
	for _, v := range []string{"WXMENU_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "WXMENU_AUDIT_LOG", "WXMENU_CONFIG"} {
		t.Setenv(v, "")
	}
	if code := run([]string{"wxmenu", "sandbox", "reset"}, strings.NewReader(""), new(bytes.Buffer), new(bytes.Buffer)); code != 0 {
		t.Fatalf("sandbox reset: exit %d", code)
	}
	state, err := os.ReadFile(filepath.Join(seed, "wxmenu", "sandbox.json"))
	if err != nil {
		t.Fatal(err)
	}

	type output struct {
		docs  map[string]string // name → bytes, timestamps masked
		codes []int
		plan  []byte // plan.json as written
	}
	runIn := func(lang string) output {
		dir := t.TempDir()
		t.Chdir(dir)
		t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
		if err := os.MkdirAll(filepath.Join(dir, "state", "wxmenu"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "state", "wxmenu", "sandbox.json"), state, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("menus.yaml", menus, 0o644); err != nil {
			t.Fatal(err)
		}
		out := output{docs: map[string]string{}}
		wx := func(name string, args ...string) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"wxmenu", "--sandbox", "--lang", lang}, args...), strings.NewReader(""), &stdout, &stderr)
			out.codes = append(out.codes, code)
			if name != "" {
				out.docs[name] = masked(stdout.String())
			}
		}
		wx("plan", "plan", "-f", "menus.yaml", "--format", "json", "--detailed-exitcode")
		wx("", "plan", "-f", "menus.yaml", "--out", "plan.json", "--detailed-exitcode")
		wx("apply", "apply", "--audit-log", "audit.jsonl", "--format", "json", "plan.json")
		wx("stale apply", "apply", "--audit-log", "audit.jsonl", "--format", "json", "plan.json")
		changed := strings.Replace(string(menus), "name: 官网", "name: 官方网站", 1)
		if changed == string(menus) {
			t.Fatal("examples/basic/menus.yaml has no button 官网 to rename")
		}
		if err := os.WriteFile("menus.yaml", []byte(changed), 0o644); err != nil {
			t.Fatal(err)
		}
		wx("changed plan", "plan", "-f", "menus.yaml", "--format", "json", "--detailed-exitcode")
		wx("drift", "drift", "-f", "menus.yaml", "--audit-log", "audit.jsonl", "--format", "json")
		wx("", "apply", "-f", "menus.yaml", "--audit-log", "audit.jsonl", "--auto-approve")
		wx("history", "history", "--audit-log", "audit.jsonl", "--format", "json")
		wx("no changes", "plan", "-f", "menus.yaml", "--format", "json", "--detailed-exitcode")
		var err error
		if out.plan, err = os.ReadFile("plan.json"); err != nil {
			t.Fatal(err)
		}
		audit, err := os.ReadFile("audit.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		out.docs["audit log"] = masked(string(audit))
		return out
	}
	en, zh := runIn("en"), runIn("zh-CN")

	if diff := cmp.Diff([]int{2, 2, 0, 3, 2, 2, 0, 0, 0}, en.codes); diff != "" {
		t.Errorf("exit codes in English (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(en.codes, zh.codes); diff != "" {
		t.Errorf("exit codes (-en +zh-CN):\n%s", diff)
	}
	// The saved plan: sealed again at the English plan's time, the zh-CN
	// plan is the English file, digests included.
	var enFile, zhFile plans.File
	if err := json.Unmarshal(en.plan, &enFile); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(zh.plan, &zhFile); err != nil {
		t.Fatal(err)
	}
	for _, a := range zhFile.Accounts {
		a.Plan.CreatedAt = enFile.Accounts[0].Plan.CreatedAt
		if err := plans.Seal(a.Plan); err != nil {
			t.Fatal(err)
		}
	}
	resealed, err := plans.NewFile(zhFile.Project, zhFile.ToolVersion, enFile.CreatedAt, zhFile.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plans.WriteFile(&buf, resealed); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(en.plan), buf.String()); diff != "" {
		t.Errorf("plan.json (-en +zh-CN sealed at the same time):\n%s", diff)
	}
	for name, doc := range en.docs {
		if diff := cmp.Diff(doc, zh.docs[name]); diff != "" {
			t.Errorf("%s (-en +zh-CN):\n%s", name, diff)
		}
		if len(doc) < 20 {
			t.Errorf("%s is %q: the scenario printed no document", name, doc)
		}
	}
}

// TestChineseDocShowsTheGolden keeps the comment docs/chinese.md shows
// equal to the golden file it names: what wxmenu writes today.
func TestChineseDocShowsTheGolden(t *testing.T) {
	doc := readDoc(t, filepath.Join("docs", "chinese.md"))
	m := regexp.MustCompile("(?s)<!-- golden: (\\S+) -->\n````markdown\n(.*?)````\n").FindStringSubmatch(doc)
	if m == nil {
		t.Fatal("docs/chinese.md shows no golden comment (<!-- golden: FILE --> and a ````markdown block)")
	}
	if diff := cmp.Diff(readDoc(t, filepath.FromSlash(m[1])), m[2]); diff != "" {
		t.Errorf("docs/chinese.md differs from %s (-golden +doc); copy the golden file into it:\n%s", m[1], diff)
	}
}
