package wechat

import (
	"net/url"
	"slices"
	"strings"
)

// WeChat allows at most MaxURLDomains distinct URL domains across all
// conditional menus (65316). The offline validator, the plan engine and the
// emulator all count domains with the two functions below, so a file the
// validator accepts is a file the plan can apply and the emulator accepts.
//
// UNCONFIRMED (reference §2, §5): WeChat does not say what a "domain" is.
// We count host names, lowercased and without port, which is the stricter
// reading (two subdomains count twice), so nothing that passes here fails on
// WeChat for this reason.

// URLDomain returns the domain a URL counts as: its host name, lowercased,
// without port. ok is false when rawURL is not an absolute http or https URL
// with a host; such a URL counts as no domain (WeChat rejects it outright
// with 40054/40055, so it never reaches a live menu). The URL is not trimmed:
// surrounding spaces make it invalid, as they do on WeChat.
func URLDomain(rawURL string) (host string, ok bool) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") { // Parse lowercases the scheme
		return "", false
	}
	host = strings.ToLower(u.Hostname())
	if host == "" {
		return "", false
	}
	return host, true
}

// URLDomains returns the sorted, distinct domains of the URLs in a button
// tree: every button with a url, sub-buttons included. Only view and
// miniprogram buttons take a url; a url on any other button is counted too,
// since WeChat may keep it. It returns nil when no button has a valid URL.
func URLDomains(buttons []Button) []string {
	var out []string
	var walk func([]Button)
	walk = func(bs []Button) {
		for _, b := range bs {
			if host, ok := URLDomain(b.URL); ok && !slices.Contains(out, host) {
				out = append(out, host)
			}
			walk(b.SubButtons)
		}
	}
	walk(buttons)
	slices.Sort(out)
	return out
}
