// Package wechat is a client for the WeChat Official Account custom menu API
// (menu/get, menu/create, menu/delete, menu/addconditional,
// menu/delconditional, menu/trymatch, get_current_selfmenu_info), the
// third-party platform token endpoints, and the wire types they speak.
//
// # Model
//
// One Client serves one account. Every method takes a context first and goes
// through a single request core (do.go) that
//
//   - POSTs the request's payload, or GETs when there is none, to /cgi-bin/
//     and the endpoint's name;
//   - adds the access token from the client's token source (below);
//   - writes JSON bodies as raw UTF-8 with no \uXXXX escape at all, since
//     WeChat answers 40033 to one (json.go);
//   - decodes WeChat's {"errcode":N,"errmsg":"…"} envelope even on HTTP 200
//     into a typed *APIError, and anything that is not the expected JSON into
//     an *UnexpectedResponseError, never into an empty result;
//   - retries with bounded, jittered exponential backoff within a retry
//     budget (so hosts that accept and never answer fail a call in about
//     10 s, not attempts × timeouts), and fails over to the next base URL
//     when a connection cannot be made; when none answers, the error names
//     every host tried and what it waited for (a connection, the TLS
//     handshake, response headers).
//
// # Token sources
//
// Where a token comes from is separate from how it is kept, as in
// golang.org/x/oauth2. A TokenSource only fetches; the sources are the app
// secret (WithCredentials: stable_token, or cgi-bin/token with
// WithLegacyToken), a token given as is (StaticTokenSource), a command that
// prints one (CommandTokenSource), a third-party platform's authorizer
// (Platform.AuthorizerTokenSource) and a platform's command that prints the
// tokens of many authorizers in one run (AuthorizerTokenCommand), a file
// each. The commands run through internal/runcmd (no shell, output capped,
// its process group killed on timeout; only it on a terminal, where it
// may prompt). The Client wraps its source
// once in ReuseTokenSource, which caches, shares one fetch between concurrent
// callers and drops a token WeChat rejected (40001, 40014, 42001); the call is
// then sent again, once, if the source yields a different token. A new kind
// of source is one new file: neither the client nor the cache changes.
// Sources that must call WeChat run their requests through the client's
// request core (Client.do), so they get its retries, failover and redaction.
//
// # Third-party platforms
//
// A Platform holds the component_access_token, cached by the same
// ReuseTokenSource and shared by every account of the platform. Per
// authorizer, AuthorizerTokenSource exchanges the newest refresh token it
// knows for an authorizer_access_token and, on 61023, re-reads the refresh
// token from the authorizer list once.
//
// # Matchrules
//
// What a conditional menu's matchrule means lives on MatchRule
// (matchrule.go), once for the whole module: whether it matches a follower
// (Matches), whether it covers another (Covers) and how people read it
// (Describe). Decoding folds what menu/get echoes (group_id, numbers) into
// the same values, so two rules are the same rule when they are ==.
//
// # Errors
//
// WeChat's errcodes have names (CodeMenuNotExist = 46003, …; errcodes.go)
// and are matched with errors.As (IsCode). One table there holds, per code,
// WeChat's own errmsg (ErrorMessage), which the emulator answers, and our
// meaning (ErrorCodeMeaning), which an error without errmsg shows. The request
// id WeChat appends to errmsg is cut into APIError.RequestID, so Message can
// be matched literally. APIError.Hint says what the operator should do about
// errors no menus file can fix: credentials, ip whitelists, account kind,
// quotas and the platform's 61xxx codes.
//
// # Mutations and lost responses
//
// menu/create, menu/delete, menu/addconditional and menu/delconditional
// change the account. Once such a request may have reached WeChat, it is never
// sent again: a lost response (reset, EOF, timeout, HTTP 5xx, unreadable body)
// yields an error matching ErrOutcomeUnknown, and the caller re-reads the
// menus to learn what happened. Mutations are retried only when the request
// was provably never sent (no connection was obtained: dial, DNS or TLS
// failure) or WeChat answered errcode -1 (system busy) to one that is safe
// to repeat; -1 on menu/addconditional, whose repeat would leave a
// duplicate, is reported as ErrOutcomeUnknown instead. Reads are retried
// on -1, HTTP 5xx and connection failures. net/http's own silent resend of
// idempotent requests is disabled for menu/delete, a GET that is not. A
// client made WithReadOnly refuses every mutation locally (ErrReadOnly).
//
// # Secrets
//
// App and component secrets, verify tickets, and every access, component,
// refresh and authorizer token the client has seen are redacted from errors
// and log lines: URLs are passed through RedactURL (as go-github does with
// sanitizeURL), and any text that came from the network (errmsg, bodies
// quoted in errors) is scrubbed of known secrets and of credential fields
// (access_token=…, "secret":"…", refresh tokens, tickets). Values shorter
// than 8 bytes are redacted by field only, never cut out of ordinary words.
// Bodies of token and component responses are never quoted, and an invalid
// base URL is reported without its value.
package wechat
