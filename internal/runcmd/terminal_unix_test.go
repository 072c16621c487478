//go:build unix

package runcmd_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/internal/runcmd"
)

// TestRunPromptsOnTerminal: run from a terminal, a program can prompt on
// it (/dev/tty), as a password manager's command does: it runs in the
// terminal's foreground process group, not in a background group of its
// own, where reading the terminal would stop it. The test runs itself on
// a terminal made by script(1), which types the answer.
func TestRunPromptsOnTerminal(t *testing.T) {
	if out := os.Getenv("RUNCMD_TEST_TERMINAL_OUT"); out != "" {
		got, err := runcmd.Run(t.Context(), runcmd.Command{
			Argv:      []string{"sh", "-c", "read x </dev/tty; echo tok-$x"},
			MaxOutput: 64,
			Timeout:   5 * time.Second,
		})
		result := strings.TrimSpace(string(got))
		if err != nil {
			result = err.Error()
		}
		if err := os.WriteFile(out, []byte(result), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	scriptPath, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1), which runs a program on a terminal, is not installed")
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(scriptPath, "-qec", fmt.Sprintf("%q -test.run='^TestRunPromptsOnTerminal$'", os.Args[0]), "/dev/null")
	cmd.Env = append(os.Environ(), "RUNCMD_TEST_TERMINAL_OUT="+out)
	cmd.Stdin = strings.NewReader("42\n")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("script: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "tok-42" {
		t.Errorf("the program prompting on the terminal gave %q, want tok-42", got)
	}
}
