// Package wechattest is an emulator of the WeChat Official Account custom
// menu API: one account, its default and conditional menus, followers for
// menu/trymatch, access tokens and daily quotas. It speaks WeChat's wire
// format over HTTP under /cgi-bin/... and is the ground truth of the
// project's tests and of the CLI's sandbox, so every behaviour follows the
// API reference (wechat-menu-api.md, cited below by section and source tag).
//
// # Model
//
// An Emulator is an http.Handler over in-memory state guarded by one mutex:
// the default menu, the conditional menus in publish order (each with a
// menuid from an increasing, seeded sequence), followers, access tokens
// (kept by SHA-256 only), quota counters per endpoint and day, and a clock
// (Config.Now plus whatever Advance added). Every /cgi-bin call is counted,
// may be hit by injected Faults, then checks in order: the access token,
// the daily quota, the method, the body, and the endpoint's own rules.
//
// Access tokens are credentials and come from crypto/rand, never from the
// seed: two emulators never share a token, and neither the seed nor the
// state file can reproduce one. Config.Seed drives only menuids and faults,
// so a seed still replays the same ids and the same faults.
//
// With Config.StatePath set, the state is saved after every change (a
// temporary file, synced, then renamed over the old one); Load reads it
// back. An API call whose change cannot be saved is undone and answered -1
// "system busy", so that -1 always means "no effect", as clients assume
// (wechat.APIError.Retryable).
//
// The control surface under /_emulator/ (reset, users, quota,
// max-conditional, clock/advance, faults, tokens/expire, calls, state,
// seed-demo) lets anything that speaks HTTP drive the emulator. It has no
// authentication by design and must never be exposed beyond loopback.
//
// For tests, SeedMenus puts menus on the account without the API's checks
// (e.g. menus with privacy rules created before WeChat's privacy change),
// and an EffectRecorder in front of the emulator records which mutating
// calls changed the account, including those whose response was lost.
//
// # Fidelity
//
// Behaviour, what it follows, and the choice made where the reference is
// UNCONFIRMED or silent:
//
//	Behaviour                              Follows                         Choice where unconfirmed
//	-------------------------------------  ------------------------------  ------------------------------------------
//	cgi-bin/token: new token per call,     §6.1 [doc:get-token-en]         wrong secret → 40125 (today's answer; the
//	  previous valid 5 min more                                              global table's 40001 is older); missing
//	                                                                         appid/secret → 41002/41004 (global table)
//	stable_token: same token until 5 min   §6.2 [doc:stable-token]         force_refresh limits (20/day, 30 s) not
//	  before expiry; force_refresh                                           emulated; after a restart normal mode
//	  invalidates; isolated from token                                       issues a fresh token (only hashes saved)
//	41001 / 40001 / 42001 on menu calls    §5 [doc:errcode-global]         -
//	daily quotas, 45009, reset at          §0.8, §4 [doc:call-limits]      get_current_selfmenu_info 10000
//	  midnight Asia/Shanghai                                                 (wechat.DailyQuota); token 2000,
//	                                                                         stable_token 500000; counted on calls
//	                                                                         that pass authentication
//	GET on a POST-only endpoint → 43002    §5 [doc:errcode-global]         trymatch answers 44002 [issue:WxJava#125]
//	empty body → 44002; not UTF-8 → 65318  §5 [community:65318]            -
//	bad JSON or wrong field type → 47001   -                               WeChat's generic "data format error"
//	button limits 40016-40027, 40022       §2, §5 [doc:createmenu]         empty key/url → size code; empty
//	                                                                         media_id/article_id/appid/pagepath →
//	                                                                         65308; scheme-less url → 40055/40054;
//	                                                                         unused fields are echoed back
//	{"menu":{…}} to menu/create → 40016    §1.1 [issue:WxJava#238]         -
//	menu/create keeps conditional menus    -                               UNCONFIRMED (§1.1): kept
//	menu/get shape: sub_button [] on       §1.2, §8.1 [community:dup-104]  menu.menuid only with conditional menus
//	  leaves, numeric menuid, group_id,                                      [community:menuid-only-conditional];
//	  newest first, 46003 without menu                                       rule values written as strings
//	menu/delete removes everything         §1.3 [doc:delete-en]            answers ok even with no menu
//	addconditional → {"menuid":"<string>"} §1.4 [doc:old-personalized]     string id (old doc shape)
//	65303 / 65304 / 65320                  §3, §4 [doc:addconditional-zh]  "" privacy values count as absent
//	                                                                         (UNCONFIRMED); group_id accepted as
//	                                                                         tag_id
//	client_platform_type not 1/2/3         §3                              40035 "invalid parameter" (no code known)
//	65316: ≤3 url domains across all       §2 [doc:old-personalized]       hosts of every button url (wechat.URLDomains),
//	  conditional menus                                                      case-insensitive
//	65305: conditional-menu count cap      §4                              wechat.DefaultMaxConditional (100),
//	                                                                         UNCONFIRMED; settable
//	menuids increase                       §1.2 (observed)                 start near 400000000, random steps 1-64
//	delconditional: string or number id,   §1.5 [issue:easywechat#280]     numeric id accepted (UNCONFIRMED);
//	  unknown → 65301                                                        missing id → 65301
//	trymatch: OpenID or WeChat ID, newest  §1.6, §3, §4                    response leaves carry sub_button []
//	  first, last-applied tag only,        [community:w3cschool-           (UNCONFIRMED, §8.4); unknown user →
//	  privacy rules never match, default     personalized]                   65302 before 46003
//	  fallback
//	get_current_selfmenu_info: default     §1.7, §8.5                      no menu → is_menu_open 0 with an empty
//	  menu, sub_button {"list":[…]}                                          button list; media ids shown as value
//	Content-Type application/json;         §7.10                           HTML never escaped in answers
//	  encoding=utf-8
//	\uXXXX escapes (40033)                 §7.10                           not emulated (UNCONFIRMED on menus)
//
// # Faults
//
// Faults (latency, busy answers -1, HTTP 502 pages, dropped responses)
// apply to /cgi-bin calls only and are drawn from an RNG seeded by
// Config.Seed, so a seed replays the same faults. A dropped call takes
// effect and then the connection is closed without a response, the
// situation a client's retry logic must handle without double-applying.
// Note that Go's http.Transport itself replays a GET (menu/delete) whose
// reused connection closed before any answer, so a dropped menu/delete may
// arrive twice.
package wechattest
