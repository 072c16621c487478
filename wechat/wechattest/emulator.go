package wechattest

import (
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

// Config sets up an Emulator. The zero value is a working emulator with the
// default credentials and WeChat's documented limits.
type Config struct {
	AppID, Secret  string           // "" → DefaultAppID, DefaultSecret
	TokenLifetime  time.Duration    // 0 → 7200s
	TokenOverlap   time.Duration    // 0 → 5m: after cgi-bin/token issues a new token the previous one stays valid this long
	MaxConditional int              // 0 → wechat.DefaultMaxConditional (65305 past it)
	Quotas         map[string]int   // nil → wechat.DailyQuota plus the token quotas; keys are endpoint names like "menu/get"
	Now            func() time.Time // nil → time.Now (Advance adds an offset on top)
	Seed           int64            // seeds fault injection and menuid generation; tokens are always random
	StatePath      string           // if set: state is saved (atomic write+rename) after every change
}

// User is a follower known to menu/trymatch.
type User struct {
	OpenID   string   `json:"openid"`
	WeChatID string   `json:"wechat_id,omitempty"` // trymatch accepts OpenID or WeChat ID
	TagIDs   []string `json:"tag_ids,omitempty"`   // in the order applied; the LAST is the most recent
	Platform string   `json:"platform,omitempty"`  // client_platform_type: "1" iOS, "2" Android, "3" others
}

// Emulator is an in-memory WeChat Official Account with the custom menu API.
// It is an http.Handler; all methods are safe for concurrent use.
type Emulator struct {
	mu  sync.Mutex
	cfg Config // resolved: no zero defaults left

	quotas         map[string]int
	maxConditional int
	faults         Faults
	faultRNG       *rand.Rand

	// idSource drives menuids (never tokens, see newTokenLocked); its state
	// is persisted so a restarted sandbox keeps producing fresh, increasing
	// ids.
	idSource *rand.PCG
	ids      *rand.Rand

	clockOffset time.Duration
	lastMenuID  int64

	defaultMenu *storedMenu
	conditional []storedConditional // oldest first (publish order)
	users       []User

	tokens      map[string]*tokenRecord // by tokenHash
	latestToken string                  // hash of the newest cgi-bin/token token
	stableHash  string                  // hash of the current stable_token token
	stablePlain string                  // that token itself; kept in memory only

	quotaDay  string
	quotaUsed map[string]int
	calls     map[string]int

	saveErr error // outcome of the last automatic save
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
// (reference §6.1, §6.2); wechat.DailyQuota covers the menu endpoints only.
var defaultTokenQuotas = map[string]int{
	"cgi-bin/token":        2000,
	"cgi-bin/stable_token": 500000,
}

// New returns an empty account: no menus, no users, no tokens.
func New(cfg Config) *Emulator {
	if cfg.AppID == "" {
		cfg.AppID = DefaultAppID
	}
	if cfg.Secret == "" {
		cfg.Secret = DefaultSecret
	}
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = 7200 * time.Second
	}
	if cfg.TokenOverlap <= 0 {
		cfg.TokenOverlap = 5 * time.Minute
	}
	if cfg.MaxConditional <= 0 {
		cfg.MaxConditional = wechat.DefaultMaxConditional
	}
	if cfg.Quotas == nil {
		cfg.Quotas = maps.Clone(wechat.DailyQuota)
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
		faultRNG: rand.New(rand.NewPCG(seed, 0x6661756c7473)),
		idSource: rand.NewPCG(seed, 0x6d656e75696473),
	}
	e.ids = rand.New(e.idSource)
	e.resetLocked()
	return e
}

// resetLocked empties the account and restores the configured limits. The
// clock offset and the id sequence carry on: menuids are never reused.
func (e *Emulator) resetLocked() {
	e.quotas = maps.Clone(e.cfg.Quotas)
	e.maxConditional = e.cfg.MaxConditional
	e.faults = Faults{}
	e.defaultMenu = nil
	e.conditional = nil
	e.users = nil
	e.tokens = map[string]*tokenRecord{}
	e.latestToken, e.stableHash, e.stablePlain = "", "", ""
	e.quotaDay = ""
	e.quotaUsed = map[string]int{}
	e.calls = map[string]int{}
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

// Reset removes all menus, users, tokens, quota counters, call counters and
// faults, and restores the configured quota and conditional-menu limits.
func (e *Emulator) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.resetLocked()
	e.persistLocked()
}

// AddUser adds a follower, replacing any user with the same OpenID.
func (e *Emulator) AddUser(u User) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.addUserLocked(u)
	e.persistLocked()
}

func (e *Emulator) addUserLocked(u User) {
	u.TagIDs = slices.Clone(u.TagIDs)
	for i := range e.users {
		if e.users[i].OpenID == u.OpenID {
			e.users[i] = u
			return
		}
	}
	e.users = append(e.users, u)
}

// SetQuota sets the daily limit of one endpoint; n < 0 removes the limit.
// Calls already counted today still count.
func (e *Emulator) SetQuota(endpoint string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n < 0 {
		delete(e.quotas, endpoint)
		return
	}
	e.quotas[endpoint] = n
}

// SetMaxConditional sets how many conditional menus the account may hold
// (65305 past it); n < 0 counts as 0.
func (e *Emulator) SetMaxConditional(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.maxConditional = max(n, 0)
}

// Advance moves the emulator clock forward: tokens expire and quotas reset
// at midnight Asia/Shanghai as time passes. Negative durations are ignored.
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
// counting failed, faulted and token calls.
func (e *Emulator) Calls() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.calls)
}

// Menus returns the menus exactly as menu/get reports them once decoded with
// the wechat types: Default nil when there is no menu, its MenuID set only
// when conditional menus exist, conditional menus newest first, and leaves
// with the empty (non-nil) SubButtons that menu/get's "sub_button": [] gives.
func (e *Emulator) Menus() wechat.MenuSet {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.menuSetLocked()
}

func (e *Emulator) menuSetLocked() wechat.MenuSet {
	var set wechat.MenuSet
	if e.defaultMenu == nil {
		return set
	}
	set.Default = &wechat.Menu{Buttons: reportedButtons(e.defaultMenu.Buttons)}
	if len(e.conditional) > 0 {
		set.Default.MenuID = formatMenuID(e.defaultMenu.MenuID)
	}
	for _, c := range slices.Backward(e.conditional) {
		set.Conditional = append(set.Conditional, wechat.ConditionalMenu{
			Buttons:   reportedButtons(c.Buttons),
			MatchRule: c.MatchRule,
			MenuID:    formatMenuID(c.MenuID),
		})
	}
	return set
}

// reportedButtons copies buttons the way a menu/get response decodes:
// every leaf gets an empty, non-nil SubButtons.
func reportedButtons(in []wechat.Button) []wechat.Button {
	out := make([]wechat.Button, len(in))
	for i, b := range in {
		out[i] = b
		out[i].SubButtons = reportedButtons(b.SubButtons)
	}
	return out
}
