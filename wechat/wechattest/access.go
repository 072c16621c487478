package wechattest

import (
	"fmt"
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
// caller's IP, worded exactly like the answers seen (reference §5, §6.1
// [community:csdn-40164]). WeChat documents the whitelist for token calls;
// checking it on every call made with the account's own token too is a
// choice (UNCONFIRMED). Calls made with an authorizer token are judged by
// the platform's whitelist instead (61004).
func (a *acct) checkCallerIPLocked(c *call) *apiError {
	if !ipAllowed(a.settings.IPWhitelist, c.remoteIP) {
		ip := c.remoteIP
		return &apiError{wechat.CodeIPNotWhitelisted, fmt.Sprintf("invalid ip %s ipv6 ::ffff:%s, not in whitelist", ip, ip)}
	}
	return nil
}

// checkAccessLocked decides whether the account (and, for an authorizer
// token, the platform: 61003, 61004, 61007) may call the endpoint at all.
// Which kind of account may call what is UNCONFIRMED (the sources have no
// table); the choices, after reference §1.4, §1.7, §5 and research §1.8,
// are in the fidelity table of docs/sandbox.md. get_current_selfmenu_info
// stays open to every account (reference §1.7).
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
