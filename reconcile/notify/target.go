package notify

import (
	"net"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/i18n"
)

// format is what a Target's body looks like.
type format int

const (
	formatJSON format = iota + 1
	formatWeCom
	formatSlack
)

// A Target is where a --notify URL posts: plain JSON to http(s)://…, the
// WeCom group-robot format for wecom+https://…, Slack's incoming-webhook
// format for slack+https://…. Its zero value is no target. Its URL never
// leaves it: String is scheme and host only.
type Target struct {
	format  format
	url     string   // what is posted to, without the format's prefix
	shown   string   // scheme (with the prefix) and host
	secrets []string // parts of url an answer must not echo into an error
	tr      *i18n.Printer
}

// In is t with its chat messages (WeCom, Slack) worded by tr; the plain
// JSON body is the same in every language.
func (t Target) In(tr *i18n.Printer) Target {
	t.tr = tr
	return t
}

// targetHint lists the three forms a --notify URL takes.
const targetHint = "a notify URL is https://HOST/PATH (a JSON body), " +
	"wecom+https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY (a WeCom group robot) " +
	"or slack+https://hooks.slack.com/services/… (a Slack incoming webhook)"

// ParseTarget parses a --notify URL. Its errors name the URL by scheme and
// host at most, never its path or query, and hint at the three forms.
func ParseTarget(raw string) (Target, error) {
	if raw == "" {
		return Target{}, errtext.Errorf(targetHint, "the notify URL is empty")
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || !isScheme(scheme) {
		// Nothing of raw is shown: without a scheme, there is no telling
		// a host from a key.
		return Target{}, errtext.Errorf(targetHint, "the notify URL does not start with a scheme such as https://")
	}
	scheme = strings.ToLower(scheme)
	var f format
	plain := scheme
	switch scheme {
	case "http", "https":
		f = formatJSON
	case "wecom+http", "wecom+https":
		f, plain = formatWeCom, strings.TrimPrefix(scheme, "wecom+")
	case "slack+http", "slack+https":
		f, plain = formatSlack, strings.TrimPrefix(scheme, "slack+")
	default:
		return Target{}, errtext.Errorf(targetHint, "notify URL %s://…: notify does not post to %s", scheme, scheme)
	}
	u, err := url.Parse(plain + "://" + rest)
	if err != nil {
		// url.Error quotes the whole URL, and its reason may quote a
		// piece of the path: neither is shown.
		return Target{}, errtext.Errorf(targetHint, "notify URL %s://…: not a valid URL", scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return Target{}, errtext.Errorf(targetHint, "notify URL %s://…: no host", scheme)
	}
	t := Target{format: f, url: u.String(), shown: scheme + "://" + u.Host}
	if f != formatJSON && plain == "http" && !isLoopback(u.Hostname()) {
		return Target{}, errtext.Errorf("use "+strings.TrimSuffix(scheme, "http")+"https://, or plain http to a relay on this machine (127.0.0.1, localhost)",
			"notify URL %s: the webhook's key would cross the network unencrypted", t.shown)
	}
	t.secrets = secretsOf(u)
	return t, nil
}

// String is the target's scheme and host (with its port, if given): safe to
// print. It is empty for the zero Target.
func (t Target) String() string { return t.shown }

// GoString keeps %#v from printing the URL.
func (t Target) GoString() string { return "notify.Target(" + t.shown + ")" }

func isScheme(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i, r := range s {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || i > 0 && (unicode.IsDigit(r) || r == '+' || r == '-' || r == '.'))
		if !ok {
			return false
		}
	}
	return true
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// secretsOf is what of u an error must never show, should an answer echo
// it: the whole path and query, each query value, each path segment that
// looks like a token (8 bytes or more with a digit or a capital, so
// "webhook" and "services" in a server's message stay), the user
// information. Each is listed as written and percent-decoded.
func secretsOf(u *url.URL) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 4 {
			out = append(out, s)
			if d, err := url.PathUnescape(s); err == nil && d != s {
				out = append(out, d)
			}
		}
	}
	if p := u.EscapedPath(); len(p) > 1 {
		add(p)
	}
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if len(seg) >= 8 && strings.ContainsFunc(seg, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsUpper(r) }) {
			add(seg)
		}
	}
	add(u.RawQuery)
	for _, vs := range u.Query() {
		for _, v := range vs {
			add(v)
			add(url.QueryEscape(v))
		}
	}
	if u.User != nil {
		add(u.User.Username())
		if p, ok := u.User.Password(); ok {
			add(p)
		}
	}
	// The longest first, so no secret is cut in two by a shorter one.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// redact cuts t's secrets out of s.
func (t Target) redact(s string) string {
	for _, secret := range t.secrets {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}
