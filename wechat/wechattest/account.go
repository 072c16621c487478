package wechattest

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/wxmenu/wxmenu/wechat"
)

// Account kinds (reference §1.4, §1.7, §5): what an account may call
// depends on whether it is a service or a subscription account and whether
// it is verified (认证).
const (
	KindService      = "service"
	KindSubscription = "subscription"
)

// AccountSettings are the switches of one account. The zero value is a
// verified service account that accepts callers from any IP, the account
// every menu API is open to.
type AccountSettings struct {
	// Unverified makes the account unverified: 48001 on the menu API of a
	// subscription account and on the tag API; 65306 on conditional menus
	// of a service account (see access.go).
	Unverified bool `json:"unverified,omitempty"`
	// Kind is KindService ("" counts as service) or KindSubscription.
	Kind string `json:"kind,omitempty"`
	// IPWhitelist, when not empty, lists the caller IPs (or CIDR prefixes)
	// the account accepts; any other caller gets 40164.
	IPWhitelist []string `json:"ip_whitelist,omitempty"`
	// CreateDropsConditional makes menu/create delete the conditional
	// menus, the other possible behaviour of WeChat (UNCONFIRMED, §1.1).
	CreateDropsConditional bool `json:"create_drops_conditional,omitempty"`
	// RequireKnownTags makes addconditional refuse a tag_id that is not a
	// tag of the account (45159; UNCONFIRMED, WeChat's behaviour is not
	// documented).
	RequireKnownTags bool `json:"require_known_tags,omitempty"`
}

func (s AccountSettings) clone() AccountSettings {
	s.IPWhitelist = slices.Clone(s.IPWhitelist)
	return s
}

// validate reports the first setting that makes no sense.
func (s AccountSettings) validate() error {
	if s.Kind != "" && s.Kind != KindService && s.Kind != KindSubscription {
		return fmt.Errorf("kind %q is not %q or %q", s.Kind, KindService, KindSubscription)
	}
	for _, ip := range s.IPWhitelist {
		if _, err := parseIPRule(ip); err != nil {
			return fmt.Errorf("ip_whitelist: %q is not an IP address or CIDR prefix", ip)
		}
	}
	return nil
}

func parseIPRule(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Account is a handle on one account of the emulator. Its methods are safe
// for concurrent use.
type Account struct {
	e *Emulator
	a *acct
}

// defaultAccount names the Emulator's embedded handle on its default
// account: the Emulator has a method Account.
type defaultAccount = Account

// Account returns the account with this AppID, or nil when the emulator
// serves no such account.
func (e *Emulator) Account(appID string) *Account {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.accounts[appID]
	if a == nil {
		return nil
	}
	return &Account{e, a}
}

// Default returns the default account (Config.AppID).
func (e *Emulator) Default() *Account { return e.defaultAccount }

// AppIDs lists the accounts' AppIDs, the default account first, then the
// others in configuration order.
func (e *Emulator) AppIDs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.order)
}

// read returns f of the account, under the emulator's lock.
func read[T any](ac *Account, f func(a *acct) T) T {
	ac.e.mu.Lock()
	defer ac.e.mu.Unlock()
	return f(ac.a)
}

// change runs f on the account under the emulator's lock, then saves the
// state.
func (ac *Account) change(f func(a *acct)) {
	ac.e.mu.Lock()
	defer ac.e.mu.Unlock()
	f(ac.a)
	ac.e.persistAccountLocked(ac.a)
}

// AppID is the account's AppID.
func (ac *Account) AppID() string { return ac.a.appID }

// Menus returns the account's menus exactly as menu/get reports them once
// decoded with the wechat types: Default nil when there is no menu, its
// MenuID set only when conditional menus exist, conditional menus newest
// first, and leaves with the empty (non-nil) SubButtons that menu/get's
// "sub_button": [] gives.
func (ac *Account) Menus() wechat.MenuSet { return read(ac, (*acct).menuSetLocked) }

// AddUser adds a follower, replacing any user with the same OpenID.
func (ac *Account) AddUser(u User) { ac.change(func(a *acct) { a.addUserLocked(u) }) }

// SetQuota sets the daily limit of one endpoint; n < 0 removes the limit.
// Calls already counted today still count.
func (ac *Account) SetQuota(endpoint string, n int) {
	ac.e.mu.Lock()
	defer ac.e.mu.Unlock()
	if n < 0 {
		delete(ac.a.quotas, endpoint)
		return
	}
	ac.a.quotas[endpoint] = n
}

// SetMaxConditional sets how many conditional menus the account may hold
// (65305 past it); n < 0 counts as 0.
func (ac *Account) SetMaxConditional(n int) {
	ac.e.mu.Lock()
	defer ac.e.mu.Unlock()
	ac.a.maxConditional = max(n, 0)
}

// Settings returns the account's current switches.
func (ac *Account) Settings() AccountSettings {
	return read(ac, func(a *acct) AccountSettings { return a.settings.clone() })
}

// SetSettings replaces the account's switches until the next Reset.
func (ac *Account) SetSettings(s AccountSettings) error {
	if err := s.validate(); err != nil {
		return err
	}
	ac.e.mu.Lock()
	defer ac.e.mu.Unlock()
	ac.a.settings = s.clone()
	return nil
}

// SetConsoleMenu gives the account a menu published in the
// mp.weixin.qq.com console: menu/get answers 46003 while it is the live
// menu, get_current_selfmenu_info shows it (reference §7.11). It replaces
// any API menu (the console and the API publish the same bar); a later
// menu/create replaces it in turn. nil or empty removes it.
func (ac *Account) SetConsoleMenu(buttons []wechat.Button) {
	ac.change(func(a *acct) {
		a.ConsoleMenu = nil
		if len(buttons) > 0 {
			a.DefaultMenu, a.Conditional, a.ConsoleMenu = nil, nil, storedButtons(buttons)
		}
	})
}

// IssueToken returns a valid access token of the account without a token
// call. It expires like any token but is not rotated by cgi-bin/token or
// stable_token.
func (ac *Account) IssueToken() (token string) {
	ac.change(func(a *acct) { token = a.newTokenLocked(kindIssued, ac.e.cfg.TokenLifetime) })
	return token
}

// SeedMenus replaces the account's menus with set, without any of the
// checks the API makes, so a test can start from menus WeChat no longer
// accepts (rules on sex, region or language, created before the privacy
// change) or from duplicates. set.Default nil means no menu at all (set's
// conditional menus are then dropped too, as WeChat cannot hold them
// without a default). The conditional menus are published oldest first in
// the order set.NewestFirst gives, reversed, and get fresh menuids, so
// menuids keep growing with publish order; the menuids in set are ignored.
// Users, tokens, counters and the clock are left alone.
func (ac *Account) SeedMenus(set wechat.MenuSet) { ac.change(func(a *acct) { a.seedMenusLocked(set) }) }

// SeedDemo replaces the menus and users with a small realistic account: a
// default menu, three conditional menus (one of them a pre-privacy-change
// rule on sex that no longer matches) and five followers that between them
// see every menu. Tokens, counters and the clock are left alone. The CLI
// quickstart is written against exactly this content.
//
// The demo tags 101 (会员) and 102 (员工) exist on the account, so the tag
// API lists them and tags/getidlist shows them on the followers.
func (ac *Account) SeedDemo() { ac.change((*acct).seedDemoLocked) }
