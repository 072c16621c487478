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
	if host, ok := plainURLDomain(rawURL); ok {
		return host, true
	}
	return parsedURLDomain(rawURL)
}

// parsedURLDomain is URLDomain by net/url, for every URL.
func parsedURLDomain(rawURL string) (host string, ok bool) {
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

// plainURLDomain is URLDomain's fast path, which plans of large accounts
// spend much of their time in: an http(s) URL of plain characters whose
// host has no port, user info or escapes. It reports ok only where
// net/url would give the same host (FuzzURLDomain checks that); every
// other URL goes through net/url.
func plainURLDomain(rawURL string) (string, bool) {
	rest, ok := cutSchemePrefix(rawURL)
	if !ok {
		return "", false
	}
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case !plainURLByte[c]:
			return "", false
		case end == len(rest) && (c == '/' || c == '?' || c == '#'):
			end = i
		case end == len(rest) && !plainHostByte[c]:
			return "", false
		}
	}
	host := rest[:end]
	if host == "" {
		return "", false
	}
	return strings.ToLower(host), true
}

// plainURLByte marks the bytes plainURLDomain takes anywhere in a URL:
// printable ASCII but for " % < > \ ^ ` { | }. plainHostByte narrows it to
// the host, leaving out @ : [ ] ! $ & ' ( ) * + , ; = (user info, ports, IP
// literals and sub-delimiters go through net/url).
var plainURLByte, plainHostByte = func() (url, host [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		url[c] = !strings.ContainsRune(`"%<>\\^`+"`"+`{|}`, c)
		host[c] = url[c] && !strings.ContainsRune("@:[]!$&'()*+,;=", c)
	}
	return url, host
}()

// cutSchemePrefix returns rawURL after a case-insensitive "http://" or
// "https://".
func cutSchemePrefix(rawURL string) (string, bool) {
	for _, p := range []string{"https://", "http://"} {
		if len(rawURL) >= len(p) && strings.EqualFold(rawURL[:len(p)], p) {
			return rawURL[len(p):], true
		}
	}
	return "", false
}

// URLDomains returns the sorted, distinct domains of the URLs in a button
// tree: every button with a url, sub-buttons included. Only view and
// miniprogram buttons take a url; a url on any other button is counted too,
// since WeChat may keep it. It returns nil when no button has a valid URL.
func URLDomains(buttons []Button) []string { return AppendURLDomains(nil, buttons) }

// AppendURLDomains appends URLDomains(buttons) to dst: the planner keeps
// the domains of every menu in one list this way.
func AppendURLDomains(dst []string, buttons []Button) []string {
	n := len(dst)
	dst = appendURLDomains(dst, n, buttons)
	slices.Sort(dst[n:])
	return dst
}

// appendURLDomains appends the domains of bs that dst[from:] lacks.
func appendURLDomains(dst []string, from int, bs []Button) []string {
	for i := range bs {
		b := &bs[i]
		if b.URL != "" {
			if host, ok := URLDomain(b.URL); ok && !slices.Contains(dst[from:], host) {
				dst = append(dst, host)
			}
		}
		dst = appendURLDomains(dst, from, b.SubButtons)
	}
	return dst
}
