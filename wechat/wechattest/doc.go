// Package wechattest is an emulator of the WeChat Official Account custom
// menu API: accounts with their default and conditional menus, followers
// and user tags for menu/trymatch, access tokens and daily quotas, and an
// optional third-party platform whose authorizers the accounts are. It
// speaks WeChat's wire format over HTTP under /cgi-bin/... and is the ground
// truth of the project's tests and of the CLI's sandbox, so every behaviour
// follows the API reference (wechat-menu-api.md, cited by section and
// source tag) and the platform research (platform-review-research.md,
// cited as "research §…"). The fidelity table of docs/sandbox.md (section
// "Fidelity") lists each behaviour, its source and the choice made where
// the sources are UNCONFIRMED or silent; the handlers' comments cite it.
//
// # Model
//
// An Emulator is an http.Handler over in-memory state guarded by one mutex:
// a default account (Config.AppID/Secret) and any number of further ones
// (Config.Accounts), each with its own menus, console-published menu,
// followers, tags, tokens (kept by SHA-256 only), daily quota counters and
// AccountSettings (verified or not, service or subscription, IP whitelist,
// two switches for undocumented behaviour). Menuids come from one
// increasing, seeded sequence shared by all accounts, like WeChat's. The
// methods of Emulator act on the default account; Emulator.Account(appid)
// returns an Account with the same methods for any account.
//
// A token names its account, so no token can reach another account's data;
// an index from token to account (checked against the account's tokens)
// finds it without looking through every account.
// Every /cgi-bin call is counted and may be hit by injected Faults; then
// come the access token, the caller IP, the account's and the platform's
// right to the API, the daily quota, the method, the body and the
// endpoint's own rules, in that order.
//
// With Config.Platform set, the emulator is also a third-party platform of
// which every account is an authorizer with permission set 15 granted. It
// issues a component_verify_ticket every 10 minutes of emulator time (each
// valid 12 hours; GET /_emulator/platform/ticket and Emulator.Ticket give the
// current one), component access tokens, authorizer access tokens (which
// work on their own account's API like the account's own tokens) and
// refresh tokens.
//
// Tokens, tickets and refresh tokens are credentials and come from
// crypto/rand, never from Config.Seed, which drives only menuids and
// faults: a seed replays the same ids and faults, never a token.
//
// What an API call can change of an account is one struct (accountState):
// the state file keeps it, and an undone call restores a copy of it. The
// copy is taken as the call first touches an account (after the token
// check names it), plus the platform for a component call, so a change
// costs the size of what it changes, not of the fleet.
//
// With Config.StatePath set, every change is durable before it is
// answered (what reads and token calls change, quota counters and tokens,
// is saved with the next change, so that a plan of thousands of accounts
// costs no save per account). One account without a platform is saved
// whole in the version 1 format, atomically after every change. Anything
// more is version 2, one account per line, and a change appends one line
// to the journal beside it (JournalPath: the accounts changed since the
// last save, the platform if it changed, the menuid counter) and syncs it.
// The journal's first line names the state file it extends by SHA-256.
// When the journal outgrows the state file, and on Close, the whole state
// is written to the state file (write and rename, so a reader never sees
// half a file) and the journal starts again; a journal naming another file
// (a crash between the two) is ignored. Load replays the journal over the
// file, the last line of an account winning; a last line without its
// newline is an append cut by a crash, whose call was never answered, and
// is dropped. Load refuses a file or journal line it could not have
// written, naming the place of the problem. Both versions load. The
// emulator takes no lock: two emulators on one state file append at their
// own idea of the journal's end and overwrite each other's entries, so
// whoever loads a state file must keep others out of it while the emulator
// has it (wxmenu locks FILE.lock, see reconcile/account) and let go after
// Close, which ReleaseOnClose arranges. Refresh
// tokens are never saved, so a restarted sandbox gives each authorizer a
// new one. An API call whose change cannot be saved is undone and answered
// -1 "system busy", so that -1 always means "no effect", as clients assume
// (wechat.APIError.Retryable); after a failed append the next change
// writes the whole state.
//
// The control surface under /_emulator/ (routes in control.go; ?appid=
// picks an account other than the default) lets anything that speaks HTTP
// drive the emulator: users, quotas, clock, faults, tokens, state, account
// settings, console menus and the platform's tickets and faults. It has no
// authentication by design and must never be exposed beyond loopback.
// NewServer and Serve wrap an emulator in an http.Server with timeouts and a
// connection cap, so slow or idle clients cannot hold a standalone sandbox.
//
// For tests, SeedMenus puts menus on an account without the API's checks
// (e.g. rules from before WeChat's privacy change), and an EffectRecorder in
// front of the emulator records which mutating calls changed an account,
// including those whose response was lost.
//
// # Faults
//
// Faults (latency, busy answers -1, HTTP 502 pages, dropped or late
// responses) apply to /cgi-bin calls only and are drawn from an RNG seeded
// by Config.Seed. A dropped call takes effect and then the connection is
// closed without a response, the situation a client's retry logic must
// handle without double-applying. Note that Go's http.Transport itself
// replays a GET (menu/delete) whose reused connection closed before any
// answer, so a dropped menu/delete may arrive twice.
//
// The platform's failures are not random faults but states that hold until
// cleared with errcode 0: 61004, 61005 and 61006 for the platform
// (Emulator.SetPlatformFault, POST /_emulator/platform/fault), 61003, 61007
// and 61023 for one account (Account.SetPlatformFault, the same path with
// ?appid=).
package wechattest
