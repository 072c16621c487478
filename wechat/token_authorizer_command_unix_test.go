//go:build unix

package wechat_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// authorizerCommand is a platform's token command for the tests: it keeps
// what it read on standard input in DIR/stdin, counts its runs in DIR/runs
// and prints DIR/out, which the test writes.
type authorizerCommand struct {
	dir  string
	argv []string
}

func newAuthorizerCommand(t *testing.T) *authorizerCommand {
	t.Helper()
	dir := t.TempDir()
	body := fmt.Sprintf("cat > %[1]s/stdin\necho run >> %[1]s/runs\necho %[2]s >&2\ncat %[1]s/out\n", dir, commandLeak)
	return &authorizerCommand{dir: dir, argv: []string{script(t, body)}}
}

// print sets what the command prints.
func (c *authorizerCommand) print(t *testing.T, lines ...string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, "out"), []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (c *authorizerCommand) runs(t *testing.T) int {
	b, _ := os.ReadFile(filepath.Join(c.dir, "runs"))
	return strings.Count(string(b), "run")
}

func tokenLine(appID, token string) string {
	return fmt.Sprintf(`{"appid": %q, "access_token": %q, "expires_in": 7200}`, appID, token)
}

// TestAuthorizerTokenCommand: one run of the command serves every
// authorizer asked for; each token works on its own account (the
// emulator's own tokens); an appid without a token is that account's
// error only; a rejected token runs the command again, once.
func TestAuthorizerTokenCommand(t *testing.T) {
	emu, base := startPlatformEmulator(t)
	emu.Account(emuOtherAppID).SeedDemo()
	const missing = "wx00000000missing"
	asked := []string{wechattest.DefaultAppID, emuOtherAppID, missing}
	cmd := newAuthorizerCommand(t)
	cmd.print(t,
		tokenLine(emuOtherAppID, emu.Account(emuOtherAppID).IssueToken()),
		"",
		tokenLine("wx0000000notasked", "tok-"+leakMarker), // not asked for: ignored
		tokenLine(wechattest.DefaultAppID, emu.IssueToken()),
	)
	tokens, err := wechat.NewAuthorizerTokenCommand(cmd.argv, asked, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := tokenSourceClient(t, base, tokens.TokenSource(wechattest.DefaultAppID)).GetMenu(ctx); err != nil {
		t.Error(err)
	}
	other := tokenSourceClient(t, base, tokens.TokenSource(emuOtherAppID))
	if menus, err := other.GetMenu(ctx); err != nil || len(menus.Conditional) == 0 {
		t.Errorf("%s's demo menus: %v, %v", emuOtherAppID, menus, err)
	}
	_, err = tokenSourceClient(t, base, tokens.TokenSource(missing)).GetMenu(ctx)
	if want := `wechat: authorizer token command "wechat-token" printed no token for ` + missing; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to contain %q", err, want)
	}
	if n := cmd.runs(t); n != 1 {
		t.Errorf("the command ran %d times for 3 accounts, want once", n)
	}
	stdin, _ := os.ReadFile(filepath.Join(cmd.dir, "stdin"))
	if diff := cmp.Diff(strings.Join(asked, "\n")+"\n", string(stdin)); diff != "" {
		t.Errorf("standard input (-want +got):\n%s", diff)
	}

	// WeChat rejects the tokens: the first account that needs one again
	// runs the command again, for every appid, and the others take theirs
	// from that run.
	emu.ExpireTokens()
	cmd.print(t,
		tokenLine(emuOtherAppID, emu.Account(emuOtherAppID).IssueToken()),
		tokenLine(wechattest.DefaultAppID, emu.IssueToken()),
	)
	if _, err := other.GetMenu(ctx); err != nil {
		t.Errorf("after the tokens expired: %v", err)
	}
	if n := cmd.runs(t); n != 2 {
		t.Errorf("the command ran %d times, want 2 (again after the tokens were rejected)", n)
	}
}

// TestAuthorizerTokenCommandFailures: a run that fails is every account's
// error, located by output line, never quoting the output or stderr.
func TestAuthorizerTokenCommandFailures(t *testing.T) {
	const a, b = "wx000000000000000a", "wx000000000000000b"
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"garbage", []string{tokenLine(a, "tok-a"), "access_token=" + leakMarker}, `"wechat-token": line 2 of its output is not {"appid": "…", "access_token": "…", "expires_in": N} (the output is not shown)`},
		{"bare token", []string{leakMarker}, `line 1 of its output is not {"appid"`},
		{"no appid", []string{`{"access_token": "` + leakMarker + `"}`}, `line 1 of its output is not {"appid"`},
		{"bad token", []string{"", tokenLine(a, "two words "+leakMarker)}, `line 2 of its output (appid ` + a + `) has no usable "access_token"`},
		{"twice", []string{tokenLine(b, "tok-b"), tokenLine(a, "tok-a"), tokenLine(b, "tok-"+leakMarker)}, `lines 1 and 3 of its output are both for appid ` + b},
		{"expires_in", []string{`{"appid": "` + a + `", "access_token": "tok-` + leakMarker + `", "expires_in": "soon"}`}, `line 1 of its output (appid ` + a + `) has an "expires_in" that is not a positive integer`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := newAuthorizerCommand(t)
			cmd.print(t, tt.lines...)
			tokens, err := wechat.NewAuthorizerTokenCommand(cmd.argv, []string{a, b}, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{a, b} {
				_, err := tokens.TokenSource(id).Token(t.Context())
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: err = %v, want it to contain %q", id, err, tt.want)
				}
				if err != nil && strings.Contains(err.Error(), leakMarker) {
					t.Errorf("the error quotes the command's output or stderr: %v", err)
				}
			}
			if n := cmd.runs(t); n != 1 {
				t.Errorf("the command ran %d times, want once", n)
			}
		})
	}
}

// TestAuthorizerTokenCommandBounds: a line is capped at 4 KiB and the
// output at 4 KiB per appid, and a hung command is killed on timeout.
func TestAuthorizerTokenCommandBounds(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		timeout time.Duration
		want    string
	}{
		{"too large", "cat > /dev/null\nyes '{\"appid\": \"wxnotasked\"}' | head -c 1000000\n", 0, `wechat: authorizer token command "wechat-token" printed more than 8192 bytes: output too large`},
		{"long line", "cat > /dev/null\necho\nhead -c 700000000 /dev/zero\n", 0, `wechat: authorizer token command "wechat-token": line 2 of its output is longer than 4096 bytes: output too large`},
		{"hang", "sleep 60\n", 200 * time.Millisecond, `wechat: authorizer token command "wechat-token": timed out after 200ms`},
		{"fail", "echo " + leakMarker + " >&2\nexit 4\n", 0, `wechat: authorizer token command "wechat-token" failed: exit status 4 (its stderr is not shown: it may hold credentials)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tokens, err := wechat.NewAuthorizerTokenCommand([]string{script(t, tt.body)}, []string{"wx000000000000000a", "wx000000000000000b"}, tt.timeout)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tokens.TokenSource("wx000000000000000a").Token(t.Context())
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := wechat.NewAuthorizerTokenCommand(nil, nil, 0); err == nil {
		t.Error("a command without a program was accepted")
	}
}

// TestAuthorizerTokenCommandStreams: the output is read line by line and
// the lines of appids not asked for are dropped as they arrive, so the
// memory a run takes does not grow with what the command prints: 1,000
// appids asked, nearly 4 MB printed for others, well under 1 MB
// allocated.
func TestAuthorizerTokenCommandStreams(t *testing.T) {
	asked := make([]string, 1000)
	for i := range asked {
		asked[i] = fmt.Sprintf("wx%016d", i)
	}
	filler := strings.Repeat("x", 3900)
	body := fmt.Sprintf("cat > /dev/null\ni=0\nwhile [ $i -lt 1000 ]; do echo '{\"appid\": \"wxnotasked\", \"note\": \"%s\"}'; i=$((i+1)); done\n"+
		"echo '%s'\n", filler, tokenLine(asked[7], "tok-7"))
	tokens, err := wechat.NewAuthorizerTokenCommand([]string{script(t, body)}, asked, 0)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tok, err := tokens.TokenSource(asked[7]).Token(t.Context())
	runtime.ReadMemStats(&after)
	if err != nil || tok.AccessToken != "tok-7" {
		t.Fatalf("Token = %v, %v", tok.AccessToken, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("a run allocated %d bytes for 3.9 MB of lines not asked for, want under 1 MiB", n)
	}
}
