package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/internal/runcmd"
)

// AuthorizerTokenCommand is a third-party platform's command that prints
// the access tokens of many authorizers in one run, for platforms whose own
// backend holds the authorizer tokens (it receives WeChat's verify-ticket
// push and refreshes them). It is run without a shell, as CommandTokenSource
// runs its command, given the appids it must serve on standard input, one a
// line, and prints one JSON object a line:
//
//	{"appid": "wx…", "access_token": "…", "expires_in": 7200}
//
// expires_in may be left out (the token is then used until WeChat rejects
// it); blank lines are ignored, and so are appids it was not asked for.
// It is read a line at a time as it prints, keeping only the tokens of the
// appids asked for: a line is capped at 4 KiB and the output at 4 KiB per
// appid asked for.
//
// The command is run once, when the first of its sources needs a token,
// for every appid; it is run again, for every appid, only when an account
// needs a token after it had the one of the last run (expired or rejected).
// A run that fails (exit status, timeout, output too large, a line that is
// not such an object, an appid printed twice) is every account's error; an
// appid the command printed no token for is that account's error only. As
// with CommandTokenSource, neither its standard error nor its output is
// ever shown: errors locate a bad line by its number.
type AuthorizerTokenCommand struct {
	argv    []string
	appIDs  []string
	timeout time.Duration

	mu     sync.Mutex
	runs   int              // how many times the command ran
	tokens map[string]Token // by appid, from the last run
	err    error            // of the last run
}

// NewAuthorizerTokenCommand returns the command argv serving appIDs, each
// run bounded by timeout (DefaultTokenCommandTimeout when 0) and by the
// context of the Token call that runs it.
func NewAuthorizerTokenCommand(argv, appIDs []string, timeout time.Duration) (*AuthorizerTokenCommand, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, errors.New("wechat: authorizer token command: no program given")
	}
	if timeout <= 0 {
		timeout = DefaultTokenCommandTimeout
	}
	return &AuthorizerTokenCommand{argv: append([]string(nil), argv...), appIDs: append([]string(nil), appIDs...), timeout: timeout}, nil
}

// TokenSource returns the source of appID's access tokens, one of the
// appids the command serves.
func (c *AuthorizerTokenCommand) TokenSource(appID string) TokenSource {
	return &authorizerCommandSource{c: c, appID: appID}
}

type authorizerCommandSource struct {
	c     *AuthorizerTokenCommand
	appID string
	seen  int // the run whose token this source gave last
}

func (s *authorizerCommandSource) Token(ctx context.Context) (Token, error) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.seen == c.runs { // never ran, or this account had that run's token
		c.tokens, c.err = c.run(ctx)
		c.runs++
	}
	s.seen = c.runs
	if c.err != nil {
		return Token{}, c.err
	}
	tok, ok := c.tokens[s.appID]
	if !ok {
		return Token{}, fmt.Errorf("wechat: authorizer token command %q printed no token for %s", filepath.Base(c.argv[0]), s.appID)
	}
	return tok, nil
}

// maxAuthorizerLine bounds one line of an authorizer token command's
// output (a line is about 200 bytes), and 4 KiB per appid asked for its
// whole output.
const maxAuthorizerLine = 4 << 10

// run runs the command once for every appid.
func (c *AuthorizerTokenCommand) run(ctx context.Context) (map[string]Token, error) {
	p := newAuthorizerTokens(c.appIDs, time.Now())
	_, err := runcmd.Run(ctx, runcmd.Command{
		Argv:      c.argv,
		Stdin:     []byte(strings.Join(c.appIDs, "\n") + "\n"),
		MaxOutput: maxAuthorizerLine * max(len(c.appIDs), 1),
		Lines:     p.line,
		MaxLine:   maxAuthorizerLine,
		Timeout:   c.timeout,
	})
	if err != nil {
		return nil, fmt.Errorf("wechat: authorizer token command %w", err)
	}
	return p.tokens, nil
}

// authorizerTokens reads the command's lines as they come, saying what is
// wrong by line number, never quoting a line; an appid is named only if
// it is one of those asked (anything else printed could be a token).
type authorizerTokens struct {
	tokens  map[string]Token
	lineOf  map[string]int // by appid asked for: the line of its token, 0 before
	n       int            // the lines read
	fetched time.Time
}

func newAuthorizerTokens(asked []string, fetched time.Time) *authorizerTokens {
	p := &authorizerTokens{tokens: make(map[string]Token, len(asked)), lineOf: make(map[string]int, len(asked)), fetched: fetched}
	for _, id := range asked {
		p.lineOf[id] = 0
	}
	return p
}

// line reads the next line of the output.
func (p *authorizerTokens) line(line []byte) error {
	p.n++
	n := p.n
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil
	}
	const want = `{"appid": "…", "access_token": "…", "expires_in": N}`
	var raw struct {
		AppID       *string    `json:"appid"`
		AccessToken string     `json:"access_token"`
		ExpiresIn   FlexString `json:"expires_in"`
	}
	if line[0] != '{' || json.Unmarshal(line, &raw) != nil || raw.AppID == nil {
		return problem("line %d of its output is not %s", n, want)
	}
	appID := *raw.AppID
	prev, ok := p.lineOf[appID]
	switch {
	case !ok:
		return nil // not asked for
	case prev > 0:
		return problem("lines %d and %d of its output are both for appid %s", prev, n, appID)
	case !plausibleToken(raw.AccessToken):
		return problem(`line %d of its output (appid %s) has no usable "access_token"`, n, appID)
	}
	tok := Token{AccessToken: raw.AccessToken}
	if raw.ExpiresIn != "" {
		secs, err := strconv.ParseInt(string(raw.ExpiresIn), 10, 64)
		if err != nil || secs <= 0 {
			return problem(`line %d of its output (appid %s) has an "expires_in" that is not a positive integer`, n, appID)
		}
		tok.Expiry = p.fetched.Add(time.Duration(secs) * time.Second)
	}
	p.tokens[appID], p.lineOf[appID] = tok, n
	return nil
}

// problem is what is wrong with a line of the output, which is not shown.
func problem(format string, args ...any) error {
	return fmt.Errorf(format+" (the output is not shown)", args...)
}
