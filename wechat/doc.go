// Package wechat is a client for the WeChat Official Account custom menu API
// (menu/get, menu/create, menu/delete, menu/addconditional,
// menu/delconditional, menu/trymatch, get_current_selfmenu_info) and the
// wire types those endpoints speak.
//
// # Model
//
// One Client serves one account. Every method takes a context first and goes
// through a single request core (do.go) that
//
//   - adds the access token, fetched with POST cgi-bin/stable_token (normal
//     mode, which never invalidates tokens other processes hold) or, on
//     request, GET cgi-bin/token, or supplied by the caller; tokens are cached
//     for their lifetime minus a margin and concurrent callers share one fetch;
//   - writes JSON bodies without HTML escaping, since view URLs contain "&";
//   - decodes WeChat's {"errcode":N,"errmsg":"…"} envelope even on HTTP 200
//     into a typed *APIError, and anything that is not the expected JSON into
//     an *UnexpectedResponseError, never into an empty result;
//   - retries with bounded, jittered exponential backoff, and fails over to
//     the next base URL when a connection cannot be made.
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
// The app secret and every access token the client has seen are redacted
// from errors and log lines: URLs are passed through RedactURL (as go-github
// does with sanitizeURL), and any text that came from the network (errmsg,
// bodies quoted in errors) is scrubbed of known secrets and of
// access_token/secret values. Bodies of token responses are never quoted.
package wechat
