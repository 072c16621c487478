// Package wechattest is an emulator of the WeChat Official Account custom
// menu API: accounts with their default and conditional menus, followers
// and user tags for menu/trymatch, access tokens and daily quotas, and an
// optional third-party platform whose authorizers the accounts are. It
// speaks WeChat's wire format over HTTP under /cgi-bin/... and is the ground
// truth of the project's tests and of the CLI's sandbox, so every behaviour
// follows the API reference (wechat-menu-api.md, cited below by section and
// source tag) and the platform research (platform-review-research.md,
// cited as "research §…").
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
// A token names its account, so no token can reach another account's data.
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
// the state file keeps it, and an undone call restores a copy of it. With
// Config.StatePath set, the state is saved atomically after every change
// (reads are saved with the next change); Load reads it back and refuses a
// file it could not have written, naming the place of the problem. One
// account without a platform is saved in the version 1 format, anything
// more in version 2; both load. Refresh tokens are never saved, so a
// restarted sandbox gives each authorizer a new one. An API call whose
// change cannot be saved is undone and answered -1 "system busy", so that -1
// always means "no effect", as clients assume (wechat.APIError.Retryable).
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
//	  midnight Asia/Shanghai                                                 (wechat.DailyQuotas); token 2000,
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
//	menu/create keeps conditional menus    -                               UNCONFIRMED (§1.1): kept; the
//	                                                                         create_drops_conditional switch drops them
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
//	\uXXXX escapes in menu/create and      §5, §7.10 [issue:budjb/http-   every escape refused, \u0026 included
//	  addconditional bodies → 40033 "in-     requests#4] [issue:silenceper/   (UNCONFIRMED which escapes WeChat refuses);
//	  valid charset. please check your       wechat#15] [sdk:WxJava           an escaped backslash before u is no escape
//	  request, if include \uxxxx will        WxMpErrorMsgEnum]
//	  create fail!"
//	every error's errmsg ends in           [issue:wangxinleo/wechat-public- first group: Unix time of the emulator
//	  " rid: xxxxxxxx-xxxxxxxx-xxxxxxxx"     account-push#66] (630ecbee-…,    clock in hex (both samples match their
//	                                         2022-08-31) [issue:w7corp/       report dates); the other two random; the
//	                                         easywechat#2963]                 older "hint: [...]" form not emitted
//	console-published menu: menu/get       §1.2, §1.7, §7.11               UNCONFIRMED that menu/get answers 46003;
//	  46003, get_current_selfmenu_info       [doc:selfmenu-old-en]           set on the control surface; it replaces the
//	  is_menu_open 1 with its buttons                                        API menu and menu/create or menu/delete
//	                                                                         replace it; console-only types (text, img,
//	                                                                         voice, video, news) taken as given with
//	                                                                         media_id shown as value; news_info not
//	                                                                         modelled
//	unverified subscription account:       §5 (48001), research §1.8       UNCONFIRMED which kind may call what (no
//	  48001 "api unauthorized" on menu/*     [community:48001-unverified]    table in the sources); get_current_
//	                                                                         selfmenu_info stays open (§1.7)
//	conditional menus need a verified      §1.4 [doc:old-personalized]      65306 on addconditional, delconditional,
//	  account                                                                trymatch (UNCONFIRMED for the last two)
//	IP whitelist → 40164 "invalid ip       §5, §6.1 [community:csdn-40164]  checked on token calls and on calls with
//	  <ip> ipv6 ::ffff:<ip>, not in          (wording as in many samples      the account's own tokens (UNCONFIRMED)
//	  whitelist"                             quoted in public code)
//	user tags: tags/create, get, update,   User_Tag_Management page; codes  system tag 2 (星标组) listed and settable,
//	  delete, members/batchtagging,          and English errmsg from WxJava   0 and 1 answer 45159; empty name 45157;
//	  batchuntagging, getidlist,             WxMpErrorMsgEnum / WxOpen-       49003 for another account's follower,
//	  user/tag/get; ids from 100; ≤100       ErrorMsgEnum                     40003 for an unknown one; user/tag/get
//	  tags (45056), name ≤30 bytes                                           pages of 10000 (UNCONFIRMED details);
//	  (45158), unique (45157), 0/1/2                                         tags API needs a verified account (48001,
//	  reserved (45058), unknown id                                           UNCONFIRMED)
//	  (45159), ≤20 per user (45059),
//	  ≤50 openids (40032), 40003, 49003
//	tagging moves the tag to the end:      §3 [community:w3cschool-         trymatch follows tags set through the API
//	  last applied decides trymatch          personalized]
//	tag_id of a matchrule must exist       -                                UNCONFIRMED: any id accepted; the
//	                                                                         require_known_tags switch answers 45159
//
// Third-party platform (research §1; wechat-menu-api.md §6.3):
//
//	Behaviour                              Follows                         Choice where unconfirmed
//	-------------------------------------  ------------------------------  ------------------------------------------
//	api_component_token {component_appid,  research §1.3 [doc:component-   new token per call, earlier ones valid
//	  component_appsecret, component_        token]                          until expiry (UNCONFIRMED); no daily quota
//	  verify_ticket} → {component_access_                                    (10000/day is UNCONFIRMED)
//	  token, expires_in 7200}
//	verify ticket pushed every 10 min,     research §1.2 [doc:component-   tickets "ticket@@@…"; expired → 61005,
//	  valid 12 h                             ticket]                         unknown → 61006; forgotten after 24 h
//	api_authorizer_token ?component_       research §1.5, §6.3             ?access_token= accepted too (new docs);
//	  access_token= {component_appid,        [doc:authorizer-token-old]      refresh token returned unchanged; new
//	  authorizer_appid, authorizer_          [doc:authorizer-token-new]      access token per call, earlier ones valid
//	  refresh_token} → {authorizer_access_                                   (UNCONFIRMED)
//	  token, expires_in 7200, authorizer_
//	  refresh_token}
//	api_get_authorizer_list {component_    research §1.6 [doc:authorizer-  configuration order; count outside 1-500
//	  appid, offset, count ≤ 500} →          list]                           → 40035 (UNCONFIRMED)
//	  {total_count, list[{authorizer_
//	  appid, refresh_token, auth_time}]}
//	api_get_authorizer_info → authorizer_  research §1.7                   service_type_info 2/0 and verify_type_info
//	  info, authorization_info{authorizer_                                   0/-1 follow the account's settings;
//	  appid, authorizer_refresh_token,                                       nick_name and user_name made up
//	  func_info[{funcscope_category:{id}}]}
//	api_query_auth {component_appid,       research §1.4 [doc:query-auth]  codes from Account.AuthorizationCode,
//	  authorization_code} → authorization_                                   one use, 10 min; bad code → 40029
//	  info with tokens and func_info                                         (UNCONFIRMED)
//	menu API with an authorizer token      research §1.8, §0; reference §1  set 15 for menus; 1, 3 or 15 for
//	  needs permission set 15 → 61007                                        get_current_selfmenu_info; the tag API
//	                                                                         wants set 2 (UNCONFIRMED)
//	61003 not authorized, 61004 IP not     research §1.9 (errmsg seen:     61004 on component calls and on calls with
//	  registered ("access clientip is not    61004, 61005, 61023)            authorizer tokens (platform whitelist);
//	  registered requestIP: <ip>"), 61005,                                   61003 makes the account leave the list;
//	  61006, 61007, 61011 invalid                                            61003/61006/61007 messages are ours
//	  component, 61023 "refresh_token is
//	  invalid"
//	the account's own kind applies to      research §1.8 [doc:authority-   -
//	  platform calls too (48001)             troubleshooting]
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
