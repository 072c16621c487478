package wechat_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// The test binary doubles as the token command: with WXMENU_TOKEN_HELPER set,
// TestTokenCommandHelper behaves as the mode says and exits.
const helperEnv = "WXMENU_TOKEN_HELPER"

// commandLeak is what the helper writes to stderr: it must never surface.
const commandLeak = "stderr-" + leakMarker

func TestTokenCommandHelper(t *testing.T) {
	mode, arg, _ := strings.Cut(os.Getenv(helperEnv), ":")
	if mode == "" {
		t.Skip("only runs as a token command")
	}
	fmt.Fprintln(os.Stderr, commandLeak)
	switch mode {
	case "file": // print the token stored in the file
		b, err := os.ReadFile(arg)
		if err != nil {
			os.Exit(9)
		}
		fmt.Println(string(b))
	case "json":
		fmt.Printf(`{"access_token":%q,"expires_in":7200}`+"\n", arg)
	case "print":
		fmt.Print(arg)
	case "fail":
		fmt.Println("tok-" + leakMarker) // stdout of a failed command is not used either
		os.Exit(3)
	case "hang":
		time.Sleep(time.Minute)
	}
	os.Exit(0)
}

// tokenCommand returns argv running this test binary as a token command.
func tokenCommand(t *testing.T, mode string) []string {
	t.Helper()
	t.Setenv(helperEnv, mode)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return []string{exe, "-test.run=^TestTokenCommandHelper$"}
}

// TestCommandTokenSource runs a token command against the emulator: its
// token is used and cached, and when WeChat rejects it the command runs
// again.
func TestCommandTokenSource(t *testing.T) {
	emu, base := startEmulator(t)
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(emu.IssueToken()), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := wechat.CommandTokenSource(tokenCommand(t, "file:"+file), 0)
	if err != nil {
		t.Fatal(err)
	}
	c := tokenSourceClient(t, base, src)
	ctx := t.Context()
	for range 2 {
		if _, err := c.GetMenu(ctx); err != nil {
			t.Fatal(err)
		}
	}
	emu.ExpireTokens()
	if err := os.WriteFile(file, []byte(emu.IssueToken()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateMenu(ctx, defaultButtons); err != nil {
		t.Fatalf("CreateMenu after the command's token expired: %v", err)
	}
	if n := emu.Calls()["menu/create"]; n != 2 {
		t.Errorf("menu/create called %d times, want 2 (rejected, then with the new token)", n)
	}
}

func TestCommandTokenSourceJSON(t *testing.T) {
	emu, base := startEmulator(t)
	src, err := wechat.CommandTokenSource(tokenCommand(t, "json:"+emu.IssueToken()), 0)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if left := time.Until(tok.Expiry); left < time.Hour || left > 2*time.Hour {
		t.Errorf("expiry in %v, want about 2h from expires_in 7200", left)
	}
	if _, err := tokenSourceClient(t, base, src).GetMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestCommandTokenSourceFailures: a failing command is reported by program
// name and exit status only, never with its stderr or output.
func TestCommandTokenSourceFailures(t *testing.T) {
	tests := []struct {
		mode    string
		timeout time.Duration
		want    string
	}{
		{"fail", 0, `wechat: token command "wechat.test" failed: exit status 3 (its stderr is not shown: it may hold credentials)`},
		{"hang", 100 * time.Millisecond, `wechat: token command "wechat.test": timed out after 100ms`},
		{"print:", 0, `wechat: token command "wechat.test": printed no access token (the output is not shown)`},
		{"print:two words-" + leakMarker, 0, `wechat: token command "wechat.test": printed something that is not one access token`},
		{"print:line1\nline2-" + leakMarker, 0, `printed something that is not one access token`},
		{`print:{"access_token":"` + leakMarker, 0, `printed a JSON object that does not parse (the output is not shown)`},
		{`print:{"access_token":"tok-` + leakMarker + `","expires_in":"soon"}`, 0, `"expires_in" is not a positive integer`},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			src, err := wechat.CommandTokenSource(tokenCommand(t, tt.mode), tt.timeout)
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Token(t.Context())
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q\nwant it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), leakMarker) {
				t.Errorf("error leaks the command's output or stderr: %s", err)
			}
		})
	}
	if _, err := wechat.CommandTokenSource(nil, 0); err == nil {
		t.Error("a token command without a program was accepted")
	}
	// Only the program's base name is shown: its directory could be
	// anything.
	src, _ := wechat.CommandTokenSource([]string{filepath.Join(t.TempDir(), leakMarker, "wechat-token")}, 0)
	_, err := src.Token(t.Context())
	if err == nil || !strings.Contains(err.Error(), `token command "wechat-token": cannot run it`) || strings.Contains(err.Error(), leakMarker) {
		t.Errorf("missing program: err = %v, want it named by its base name only", err)
	}
}
