package wechattest

import (
	"cmp"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// Sandbox credentials accepted when Config leaves them empty.
const (
	DefaultAppID  = "wx5a9db0e1sandbox"
	DefaultSecret = "sandbox-app-secret-0123456789abcdef"
)

// Config sets up an Emulator. The zero value is a working emulator with one
// account (the default credentials) and WeChat's documented limits.
type Config struct {
	AppID, Secret  string           // the default account; "" → DefaultAppID, DefaultSecret
	TokenLifetime  time.Duration    // 0 → 7200s
	TokenOverlap   time.Duration    // 0 → 5m: after cgi-bin/token issues a new token the previous one stays valid this long
	MaxConditional int              // 0 → wechat.DefaultMaxConditional (65305 past it)
	Quotas         map[string]int   // nil → wechat.DailyQuotas() plus the token quotas; keys are endpoint names like "menu/get"
	Now            func() time.Time // nil → time.Now (Advance adds an offset on top)
	Seed           int64            // seeds fault injection and menuid generation; tokens are always random
	StatePath      string           // if set: state is saved (atomic write+rename) after every change

	// Accounts are further accounts served beside the default one, each
	// with its own menus, followers, tags, tokens and quotas. An entry with
	// the default account's AppID configures the default account.
	Accounts []AccountConfig
	// Platform, if set, is a third-party platform of which every account
	// is an authorizer with permission set 15 granted.
	Platform *PlatformConfig
	// Settings of every account that does not give its own.
	AccountSettings
}

// AccountConfig is one account of a many-account emulator.
type AccountConfig struct {
	AppID, Secret string
}

// User is a follower known to menu/trymatch.
type User struct {
	OpenID   string   `json:"openid"`
	WeChatID string   `json:"wechat_id,omitempty"` // trymatch accepts OpenID or WeChat ID
	TagIDs   []string `json:"tag_ids,omitempty"`   // in the order applied; the LAST is the most recent
	Platform string   `json:"platform,omitempty"`  // client_platform_type: "1" iOS, "2" Android, "3" others
}

// Emulator is an in-memory set of WeChat Official Accounts with the custom
// menu and user-tag APIs, optionally behind a third-party platform. It is an
// http.Handler; all methods are safe for concurrent use. The methods of
// Account are the Emulator's too, acting on the default account
// (Config.AppID).
type Emulator struct {
	mu  sync.Mutex
	cfg Config // resolved: no zero defaults left

	*defaultAccount

	accounts map[string]*acct // by AppID
	order    []string         // AppIDs in configuration order, default first

	platform *platformState // nil without Config.Platform

	faults   Faults
	late     lateCalls       // calls held by the late-delivery fault
	recorder *EffectRecorder // told of every mutating call; nil without one
	faultRNG *rand.Rand

	// idSource drives menuids (never tokens, see newTokenLocked); its state
	// is persisted so a restarted sandbox keeps producing fresh, increasing
	// ids. Menuids are unique across accounts, as WeChat's are.
	idSource *rand.PCG
	ids      *rand.Rand

	clockOffset time.Duration
	lastMenuID  int64

	calls map[string]int

	// owners says which account issued a token (by hash), so that a call
	// finds its account without looking through every account. An entry
	// is checked against the account's tokens before it is believed; a
	// token it lacks (a loaded state, a reset) is looked for in every
	// account once, then entered.
	owners map[string]*acct

	saveErr      error // outcome of the last automatic save
	lastSaveSize int   // bytes of the last state file, to size the next and bound the journal

	// dirty lists the accounts changed since they were last written (to the
	// state file or its journal), platformDirty the platform; a journal
	// entry writes only those (journal.go).
	dirty         []*acct
	platformDirty bool
	journal       journalState
	// release is what the next Close releases after its save (ReleaseOnClose).
	release func() error
	// undo collects, during one API call, the state of what the call is
	// about to change, so that a call whose change cannot be saved is
	// undone (answerPersistedLocked).
	undo *undoLog
}

// acct is one account's state.
type acct struct {
	emu           *Emulator
	appID, secret string
	initial       AccountSettings // as configured; Reset restores it
	settings      AccountSettings

	quotas         map[string]int
	maxConditional int

	// accountState is everything an API call can change: the menus,
	// followers, tags, tokens, quota counters and the authorization of the
	// platform. It is what the state file keeps (state.go) and what an undone
	// call restores.
	accountState

	// saved is the account's JSON in the state file as last written; nil
	// once anything changed. Every path that may change an account clears
	// it: the API through the lookups that pick the account (token,
	// credentials, authorizer), the methods through persistLocked.
	saved []byte
	dirty bool // in emu.dirty: changed since last written
}

type storedMenu struct {
	MenuID  int64           `json:"menuid"`
	Buttons []wechat.Button `json:"button"`
}

type storedConditional struct {
	MenuID    int64            `json:"menuid"`
	Buttons   []wechat.Button  `json:"button"`
	MatchRule wechat.MatchRule `json:"matchrule"`
}

// defaultTokenQuotas are the documented daily limits of the token endpoints
// (reference §6.1, §6.2); wechat.DailyQuotas covers the menu endpoints only.
var defaultTokenQuotas = map[string]int{
	"cgi-bin/token":        2000,
	"cgi-bin/stable_token": 500000,
}

// New returns empty accounts: no menus, no users, no tokens.
func New(cfg Config) *Emulator {
	cfg.AppID, cfg.Secret = cmp.Or(cfg.AppID, DefaultAppID), cmp.Or(cfg.Secret, DefaultSecret)
	cfg.TokenLifetime = positiveOr(cfg.TokenLifetime, 7200*time.Second)
	cfg.TokenOverlap = positiveOr(cfg.TokenOverlap, 5*time.Minute)
	cfg.MaxConditional = positiveOr(cfg.MaxConditional, wechat.DefaultMaxConditional)
	if cfg.Quotas == nil {
		cfg.Quotas = wechat.DailyQuotas()
		maps.Copy(cfg.Quotas, defaultTokenQuotas)
	} else {
		cfg.Quotas = maps.Clone(cfg.Quotas)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	seed := uint64(cfg.Seed)
	e := &Emulator{
		cfg:      cfg,
		accounts: map[string]*acct{},
		faultRNG: rand.New(rand.NewPCG(seed, 0x6661756c7473)),
		idSource: rand.NewPCG(seed, 0x6d656e75696473),
	}
	e.ids = rand.New(e.idSource)
	e.late.cond.L = &e.late.mu
	if cfg.Platform != nil {
		e.platform = newPlatformState(*cfg.Platform)
	}
	e.defaultAccount = &Account{e, e.addAccountLocked(cfg.AppID, cfg.Secret, cfg.AccountSettings)}
	for _, ac := range cfg.Accounts {
		if a := e.accounts[ac.AppID]; a != nil {
			a.secret = cmp.Or(ac.Secret, a.secret)
		} else if ac.AppID != "" {
			e.addAccountLocked(ac.AppID, ac.Secret, cfg.AccountSettings)
		}
	}
	e.resetLocked()
	return e
}

// addAccountLocked registers an empty account.
func (e *Emulator) addAccountLocked(appID, secret string, settings AccountSettings) *acct {
	a := &acct{emu: e, appID: appID, secret: secret, initial: settings}
	e.accounts[appID] = a
	e.order = append(e.order, appID)
	a.resetLocked()
	return a
}

// resetLocked empties every account and the platform and restores the
// configured limits. The clock offset and the id sequence carry on: menuids
// are never reused.
func (e *Emulator) resetLocked() {
	e.faults = Faults{}
	e.calls = map[string]int{}
	for _, id := range e.order {
		e.accounts[id].resetLocked()
	}
	if e.platform != nil {
		e.platform.resetLocked(e)
	}
}

func (a *acct) resetLocked() {
	e := a.emu
	a.settings = a.initial.clone()
	a.quotas = maps.Clone(e.cfg.Quotas)
	a.maxConditional = e.cfg.MaxConditional
	sets := []int{permissionMenu}
	if e.platform != nil {
		sets = e.platform.cfg.PermissionSets
	}
	a.accountState = accountState{
		LastTagID: firstTagID - 1,
		Tokens:    map[string]*tokenRecord{},
		QuotaUsed: map[string]int{},
		Auth:      newAuthorization(e.now(), sets),
		AuthCodes: map[string]time.Time{},
	}
}

// now is the emulator clock: the configured clock plus everything Advance added.
func (e *Emulator) now() time.Time { return e.cfg.Now().Add(e.clockOffset) }

// nextMenuID returns a fresh menuid. Real ids are nine-digit numbers that
// grow with publish order (reference §1.2, §8.1; monotonic growth is
// UNCONFIRMED but both real samples show it).
func (e *Emulator) nextMenuID() int64 {
	if e.lastMenuID == 0 {
		e.lastMenuID = 400_000_000 + e.ids.Int64N(10_000_000)
	}
	e.lastMenuID += 1 + e.ids.Int64N(64)
	return e.lastMenuID
}

// Reset removes all menus, users, tags, tokens, quota counters, call
// counters and faults of every account, and restores the configured quota,
// conditional-menu limits and account settings. With a platform it also
// forgets the verify tickets and component tokens (a new ticket is issued)
// and gives every authorizer a new refresh token.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.resetLocked()
	e.persistLocked()
}

func (a *acct) addUserLocked(u User) {
	u.TagIDs = slices.Clone(u.TagIDs)
	for i := range a.Users {
		if a.Users[i].OpenID == u.OpenID {
			a.Users[i] = u
			return
		}
	}
	a.Users = append(a.Users, u)
}

// Advance moves the emulator clock forward: tokens expire, verify tickets
// rotate and quotas reset at midnight Asia/Shanghai as time passes.
// Negative durations are ignored.
func (e *Emulator) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.clockOffset += d
	e.persistLocked()
}

// Calls returns how many calls each endpoint received since New or Reset,
// counting failed, faulted and token calls, over all accounts.
func (e *Emulator) Calls() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.calls)
}

// menuSetLocked is menu/get's answer decoded by the wechat types, as a
// client would read it.
func (a *acct) menuSetLocked() wechat.MenuSet {
	var set wechat.MenuSet
	if a.DefaultMenu != nil {
		data, _ := json.Marshal(a.serveGet(nil)) // plain structs: cannot fail
		_ = json.Unmarshal(data, &set)
	}
	return set
}
