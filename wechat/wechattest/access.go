package wechattest

import (
	"net"
	"net/http"
	"net/netip"

	"github.com/wxmenu/wxmenu/wechat"
)

// remoteIP is the caller's IP as WeChat sees it: the peer address of the
// connection (the emulator sits behind no proxy).
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ipAllowed reports whether ip matches one of the rules; no rules allow all.
func ipAllowed(rules []string, ip string) bool {
	if len(rules) == 0 {
		return true
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, r := range rules {
		if p, err := parseIPRule(r); err == nil && p.Contains(addr) {
			return true
		}
	}
	return false
}

// checkCallerIPLocked applies the account's IP whitelist: 40164 with the
// caller's IP (reference §5, §6.1 [community:csdn-40164]). WeChat documents
// the whitelist for token calls; checking it on every call made with the
// account's own token too is a choice (UNCONFIRMED). Calls made with an
// authorizer token are judged by the platform's whitelist instead (61004).
func (a *acct) checkCallerIPLocked(c *call) *apiError {
	if !ipAllowed(a.settings.IPWhitelist, c.remoteIP) {
		return errCallerIPNotWhitelisted(c.remoteIP)
	}
	return nil
}

// checkAccessLocked decides whether the account (and, for an authorizer
// token, the platform) may call the endpoint at all.
//
// Account kinds (choices after reference §1.4, §1.7, §5 and research §1.8;
// which kind may call what is UNCONFIRMED, the sources have no table):
//   - an unverified subscription account has no custom-menu API: 48001
//     "api unauthorized" on menu/* (get_current_selfmenu_info stays open to
//     every account, reference §1.7);
//   - conditional menus need a verified account (reference §1.4): an
//     unverified service account gets 65306 on addconditional,
//     delconditional and trymatch;
//   - the user-tag API needs a verified account: 48001.
//
// Authorizer tokens: a revoked authorization answers 61003; permission set
// 15 withdrawn answers 61007 on every menu API (get_current_selfmenu_info
// also accepts sets 1 and 3, research §1.8).
func (a *acct) checkAccessLocked(ep *endpoint, c *call, rec *tokenRecord) *apiError {
	if rec.Kind == kindAuthorizer {
		p := a.emu.platform
		if p == nil || !a.Auth.Authorized {
			return errAnswer(wechat.CodePlatformNotAuthorized)
		}
		if !ipAllowed(p.cfg.IPWhitelist, c.remoteIP) {
			return errPlatformIPNotRegistered(c.remoteIP)
		}
		if err := a.Auth.grantsLocked(ep.group); err != nil {
			return err
		}
	} else if err := a.checkCallerIPLocked(c); err != nil {
		return err
	}
	s := a.settings
	switch {
	case !s.Unverified:
		return nil
	case ep.group == groupTags:
		return errAnswer(wechat.CodeAPIUnauthorized)
	case s.Kind == KindSubscription && (ep.group == groupMenu || ep.group == groupConditional):
		return errAnswer(wechat.CodeAPIUnauthorized)
	case ep.group == groupConditional:
		return errAnswer(wechat.CodeConditionalNotSupported)
	}
	return nil
}
