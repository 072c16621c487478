package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wxmenu/wxmenu/internal/runcmd"
)

// DefaultTokenCommandTimeout bounds one run of a token command.
const DefaultTokenCommandTimeout = 30 * time.Second

// maxTokenOutput bounds what a token command may print; WeChat asks callers
// to reserve 512 bytes for an access token (reference §6.1).
const maxTokenOutput = 64 << 10

// CommandTokenSource returns a source that runs argv (argv[0] is the program,
// found on PATH as exec.Command does; no shell is involved) and reads an
// access token from its standard output: either the bare token on one line,
// or a JSON object {"access_token":"…","expires_in":7200}. A bare token has
// no known expiry and is used until WeChat rejects it, when the command is
// run again. Each run is bounded by ctx and by timeout
// (DefaultTokenCommandTimeout when 0).
//
// The command's standard error is discarded and never shown, and its output
// is never quoted: either may hold credentials. A failure says only which
// program failed and how (exit status, timeout, output not a token). The
// command is run by internal/runcmd: a command that prints more than
// 64 KiB is killed, and on timeout or exit so is its process group (run
// from a terminal, where it may prompt, it stays in the terminal's group
// and only it is killed).
func CommandTokenSource(argv []string, timeout time.Duration) (TokenSource, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, errors.New("wechat: token command: no program given")
	}
	if timeout <= 0 {
		timeout = DefaultTokenCommandTimeout
	}
	return &commandSource{argv: append([]string(nil), argv...), timeout: timeout}, nil
}

type commandSource struct {
	argv    []string
	timeout time.Duration
}

func (s *commandSource) Token(ctx context.Context) (Token, error) {
	began := time.Now()
	out, err := runcmd.Run(ctx, runcmd.Command{Argv: s.argv, MaxOutput: maxTokenOutput, Timeout: s.timeout})
	if err != nil {
		return Token{}, fmt.Errorf("wechat: token command %w", err)
	}
	tok, problem := parseCommandToken(out, began)
	if problem != "" {
		// Only the program's base name is named: its arguments, or a
		// path, could carry a secret.
		return Token{}, fmt.Errorf("wechat: token command %q: %s (the output is not shown)", filepath.Base(s.argv[0]), problem)
	}
	return tok, nil
}

// parseCommandToken reads a token command's output, saying what is wrong
// without quoting it.
func parseCommandToken(out []byte, fetched time.Time) (Token, string) {
	text := strings.TrimSpace(string(out))
	if text == "" {
		return Token{}, "printed no access token"
	}
	if strings.HasPrefix(text, "{") {
		var raw struct {
			AccessToken string     `json:"access_token"`
			ExpiresIn   FlexString `json:"expires_in"`
		}
		if err := json.Unmarshal([]byte(text), &raw); err != nil {
			return Token{}, "printed a JSON object that does not parse"
		}
		if !plausibleToken(raw.AccessToken) {
			return Token{}, `printed JSON without a usable "access_token"`
		}
		tok := Token{AccessToken: raw.AccessToken}
		if raw.ExpiresIn != "" {
			secs, err := strconv.ParseInt(string(raw.ExpiresIn), 10, 64)
			if err != nil || secs <= 0 {
				return Token{}, `printed JSON whose "expires_in" is not a positive integer`
			}
			tok.Expiry = fetched.Add(time.Duration(secs) * time.Second)
		}
		return tok, ""
	}
	if !plausibleToken(text) {
		return Token{}, "printed something that is not one access token (one line of printable characters, no spaces)"
	}
	return Token{AccessToken: text}, ""
}

// plausibleToken accepts one line of printable, non-space ASCII: what
// WeChat's tokens are made of, and nothing that could break a URL or a log
// line.
func plausibleToken(s string) bool {
	if s == "" || len(s) > 2048 {
		return false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}
