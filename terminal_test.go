package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/internal/cmdline"
)

// TestApplyOnATerminal runs apply -f on a pseudo-terminal (util-linux
// script(1)) as a person would: it asks, "no" cancels with exit 5 and
// changes nothing, "yes" applies; colour appears on the terminal unless
// NO_COLOR is set.
func TestApplyOnATerminal(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script(1) is not installed; it provides the pseudo-terminal")
	}
	bin := wxmenuBinary(t)
	menus := filepath.Join(packageDir, "examples", "basic", "menus.yaml")
	state := t.TempDir()
	onTerminal := func(answer string, extraEnv ...string) (int, string) {
		t.Helper()
		cmd := exec.Command("script", "-qefc", bin+" --sandbox apply -f "+menus, "/dev/null")
		cmd.Env = append(slices.DeleteFunc(cliEnv(state, ""), func(kv string) bool { return kv == "NO_COLOR=1" }), extraEnv...)
		cmd.Stdin = strings.NewReader(answer + "\n")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			return ee.ExitCode(), string(out)
		case err != nil:
			t.Fatalf("script: %v\n%s", err, out)
		}
		return 0, string(out)
	}

	code, out := onTerminal("no", "NO_COLOR=1")
	if code != cmdline.ExitDeclined {
		t.Fatalf("answer no: exit %d, want %d\n%s", code, cmdline.ExitDeclined, out)
	}
	for _, want := range []string{"Only 'yes' is accepted", "apply cancelled; nothing was changed"} {
		if !strings.Contains(out, want) {
			t.Errorf("answer no: output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("NO_COLOR is set but the output has ANSI escapes:\n%q", out)
	}

	code, out = onTerminal("yes")
	if code != cmdline.ExitOK {
		t.Fatalf("answer yes: exit %d, want 0\n%s", code, out)
	}
	if !strings.Contains(out, "Apply complete") || !strings.Contains(out, "\x1b[32mdone") {
		t.Errorf("answer yes: want a coloured, complete apply:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(state, "wxmenu", "sandbox.json")); err != nil {
		t.Errorf("sandbox state: %v", err)
	}
}
