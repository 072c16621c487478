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
//     WeChat answers 40033 to one ("&" stays "&" in view URLs, U+2028 stays
//     raw; invalid UTF-8 and control characters are refused before sending);
//   - decodes WeChat's {"errcode":N,"errmsg":"…"} envelope even on HTTP 200
//     into a typed *APIError, and anything that is not the expected JSON into
//     an *UnexpectedResponseError, never into an empty result;
//   - retries with bounded, jittered exponential backoff, and fails over to
//     the next base URL when a connection cannot be made.
//
// # Token sources
//
// Where a token comes from is separate from how it is kept, as in
// golang.org/x/oauth2. A TokenSource only fetches: Token(ctx) returns a
// Token (the access token and its expiry, zero when unknown). The sources
// are
//
//   - the account's app secret (WithCredentials): POST cgi-bin/stable_token
//     in normal mode, which never invalidates tokens other processes hold,
//     or GET cgi-bin/token with WithLegacyToken (token_credentials.go);
//   - a token given as is (WithStaticToken, StaticTokenSource,
//     token_static.go), never renewed;
//   - a command that prints a token (CommandTokenSource, token_command.go):
//     run without a shell, bounded by a timeout; its stderr and output are
//     never shown, since they may hold credentials;
//   - an authorizer of a third-party platform
//     (Platform.AuthorizerTokenSource, token_authorizer.go).
//
// WithTokenSource accepts any other. The Client wraps its source once in
// ReuseTokenSource (tokensource.go), which caches the token until its expiry
// less a margin, shares one fetch between concurrent callers and drops a
// token WeChat rejected (40001, 40014, 42001); the call is then sent again,
// once, if the source yields a different token. A source that wants to hear
// of the rejection implements TokenRejecter. A new kind of source is one new
// file: neither the client nor the cache changes. Sources that must call
// WeChat run their requests through the client's request core (Client.do),
// so they get its retries, failover and redaction.
//
// # Third-party platforms
//
// A Platform holds the component_access_token, obtained from the component
// appid, secret and the component_verify_ticket WeChat pushes to the
// platform (api_component_token), cached for its lifetime by the same
// ReuseTokenSource and shared by every account of the platform. Per
// authorizer, AuthorizerTokenSource exchanges the refresh token for an
// authorizer_access_token (api_authorizer_token) and keeps the newest
// refresh token WeChat returns; on 61023 (refresh token invalid) it re-reads
// the refresh token from the authorizer list once, then reports.
// AuthorizerList pages through api_get_authorizer_list (500 a page) and
// AuthorizerInfo reads the permission sets an account granted
// (api_get_authorizer_info); check HasPermissionSet(PermissionSetMenu)
// before planning.
//
// # Matchrules
//
// What a conditional menu's matchrule means lives on MatchRule
// (matchrule.go), once for the whole module: whether it matches a follower
// (Matches: tag_id against their most recently applied tag, platform
// against theirs, a rule with a privacy field against nobody), whether it
// covers another (Covers: a menu below one that covers it is never shown),
// and how people read it (Describe, with tag names). Decoding folds what
// menu/get echoes (group_id, numbers) into the same values, so two rules are
// the same rule when they are ==.
//
// # Errors
//
// WeChat's errcodes have names (CodeMenuNotExist = 46003, …; errcodes.go)
// and are matched with errors.As (IsCode). One table there holds, per code,
// WeChat's own errmsg (ErrorMessage), which the emulator answers, and our
// meaning (ErrorCodeMeaning), which an error without errmsg shows. WeChat appends a request id to
// errmsg (" rid: 64a1b2c3-1a2b3c4d-5e6f7a8b" or " hint: [...]"): it is cut
// into APIError.RequestID, so Message can be matched literally, and the
// error text ends with it for WeChat support. APIError.Hint says what the
// operator should do about errors no menus file can fix: credentials, ip
// whitelists, account kind (48001: verify the account), quotas and the
// platform's 61xxx codes.
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
