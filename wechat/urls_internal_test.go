package wechat

import "testing"

// FuzzURLDomain checks URLDomain's fast path against net/url: wherever the
// fast path answers, net/url gives the same host.
func FuzzURLDomain(f *testing.F) {
	for _, s := range []string{
		"https://www.example.com/a?b=c&d=e#f", "HTTP://Example.COM", "http://a.b:80/x",
		"https://user@host/", "https://[::1]/", "https://h%41st/", "https://host/%zz",
		"https://", "http:///path", "https://host?x", "https://ho st/", "ftp://host/",
		"https://xn--fsq.example/", "https://a.b.c.d.e/f/g;h", "https://host\\path",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		host, ok := plainURLDomain(raw)
		if !ok {
			return
		}
		want, wantOK := parsedURLDomain(raw)
		if !wantOK || host != want {
			t.Fatalf("plainURLDomain(%q) = %q, net/url gives %q (ok %v)", raw, host, want, wantOK)
		}
	})
}
