package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/audit"
)

// TestProjectApplyOnFullDiskKeepsEveryRecord applies four accounts of a
// project in parallel, all recording to one audit log, while the log's file
// system fills up (a file-size limit on the wxmenu process). Every
// mutating call WeChat received must have its intent record in the log:
// a failed write never removes another account's records, and once a write
// failed no account sharing the log makes another call.
func TestProjectApplyOnFullDiskKeepsEveryRecord(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	bin := wxmenuBinary(t)
	work := t.TempDir()
	var project strings.Builder
	serveArgs := []string{}
	project.WriteString("accounts:\n")
	for i := range 4 {
		appid := fmt.Sprintf("wx%016d", i+1)
		secret := fmt.Sprintf("secret-%d-0123456789", i)
		serveArgs = append(serveArgs, "--account", appid+":"+secret)
		fmt.Fprintf(&project, "  - {name: acct-%d, appid: %s, file: menus.yaml, secret_env: SECRET_%d}\n", i, appid, i)
		t.Setenv(fmt.Sprintf("SECRET_%d", i), secret)
	}
	var menus strings.Builder
	menus.WriteString("default:\n  button:\n    - {type: click, name: Home, key: HOME}\nconditional:\n")
	for tag := 101; tag <= 106; tag++ {
		fmt.Fprintf(&menus, "  - {name: t%d, matchrule: {tag_id: \"%d\"}, button: [{type: click, name: T%d, key: T%d}]}\n", tag, tag, tag, tag)
	}
	for name, content := range map[string]string{"wxmenu.yaml": project.String(), "menus.yaml": menus.String()} {
		if err := os.WriteFile(filepath.Join(work, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := startSandbox(t, bin, filepath.Join(t.TempDir(), "state.json"), serveArgs...)
	logPath := filepath.Join(work, "audit.jsonl")
	// Room for a few records of the 4 × 8 steps' worth, then the disk is full.
	const limit = 6000
	cmd := exec.Command(prlimit, fmt.Sprintf("--fsize=%d", limit), bin, "apply", "--auto-approve", "--parallel", "4", "--audit-log", logPath)
	cmd.Dir = work
	cmd.Env = append(cliEnv(filepath.Join(work, "xdg"), srv.base), os.Environ()...)
	out, err := cmd.CombinedOutput()
	code := exitCode(t, err)
	if code == 0 {
		t.Fatalf("apply succeeded although the audit log could not hold its records:\n%s", out)
	}
	checkAuditLines(t, logPath)
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	intents := 0
	for line := range strings.Lines(string(data)) {
		var r audit.Record
		if json.Unmarshal([]byte(line), &r) == nil && r.Event == audit.EventIntent {
			intents++
		}
	}
	srv.setLatency(0)
	if calls := srv.mutatingCalls(); calls > intents {
		t.Errorf("WeChat received %d mutating calls, the audit log records %d intents: records were lost or calls made unrecorded\n%s", calls, intents, out)
	}
	if strings.Contains(string(out), "applied,") || strings.Contains(string(out), " applied\n") {
		t.Errorf("an account reports applied although the audit log failed:\n%s", out)
	}
}
