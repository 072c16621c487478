package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/notify"
)

var when = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

// A request is what a webhook received.
type request struct {
	Method, Path, Query, ContentType, Body string
}

// webhook is a loopback server that records every request and answers the
// n-th with answers[n] (the last one again after the end).
type webhook struct {
	*httptest.Server
	mu   sync.Mutex
	got  []request
	next int
}

type answer func(w http.ResponseWriter, r *http.Request)

func reply(status int, body string) answer {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func newWebhook(t *testing.T, answers ...answer) *webhook {
	t.Helper()
	h := &webhook{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.got = append(h.got, request{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), string(body)})
		a := answers[min(h.next, len(answers)-1)]
		h.next++
		h.mu.Unlock()
		a(w, r)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *webhook) requests() []request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]request(nil), h.got...)
}

// target parses scheme+URL of h with path and query.
func (h *webhook) target(t *testing.T, scheme, pathQuery string) notify.Target {
	t.Helper()
	raw := strings.Replace(h.URL, "http://", scheme, 1) + pathQuery
	target, err := notify.ParseTarget(raw)
	if err != nil {
		t.Fatal(err)
	}
	return target
}

var changes = []notify.Change{
	{Account: "shop", AppID: "wx0000000000000001", From: "in_sync", To: "changed_outside",
		Summary: "menus differ from the last apply: 2 buttons changed, seen by everyone", Time: when},
	{Account: "new-cafe", AppID: "wx0000000000000002", To: "pending", Time: when},
}

// Each format's body, exactly, posted as JSON to the URL's path and query.
func TestBodies(t *testing.T) {
	for _, tc := range []struct {
		scheme, pathQuery string
		answer            answer
		want              request
	}{
		{
			scheme: "http://", pathQuery: "/drift?token=t1", answer: reply(204, ""),
			want: request{"POST", "/drift", "token=t1", "application/json",
				`{"changes":[` +
					`{"account":"shop","appid":"wx0000000000000001","from":"in_sync","to":"changed_outside","summary":"menus differ from the last apply: 2 buttons changed, seen by everyone","time":"2025-03-01T08:00:00Z"},` +
					`{"account":"new-cafe","appid":"wx0000000000000002","from":"","to":"pending","summary":"","time":"2025-03-01T08:00:00Z"}]}`},
		},
		{
			scheme: "wecom+http://", pathQuery: "/cgi-bin/webhook/send?key=k1", answer: reply(200, `{"errcode":0,"errmsg":"ok"}`),
			want: request{"POST", "/cgi-bin/webhook/send", "key=k1", "application/json",
				`{"msgtype":"markdown","markdown":{"content":"**wxmenu drift**: 2 accounts changed status\n` +
					`- **shop**: in\\_sync → changed\\_outside: menus differ from the last apply: 2 buttons changed, seen by everyone\n` +
					`- **new-cafe**: none → pending"}}`},
		},
		{
			scheme: "slack+http://", pathQuery: "/services/T0/B0/X1", answer: reply(200, "ok"),
			want: request{"POST", "/services/T0/B0/X1", "", "application/json",
				`{"text":"*wxmenu drift*: 2 accounts changed status\n` +
					`• shop: in_sync → changed_outside: menus differ from the last apply: 2 buttons changed, seen by everyone\n` +
					`• new-cafe: none → pending"}`},
		},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			h := newWebhook(t, tc.answer)
			if err := notify.Send(context.Background(), h.Client(), h.target(t, tc.scheme, tc.pathQuery), changes); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]request{tc.want}, h.requests()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

// The text a chat message shows: the WeCom content or the Slack text.
func shown(t *testing.T, r request) string {
	t.Helper()
	var m struct {
		Text     *string
		Markdown *struct{ Content string }
	}
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatal(err)
	}
	if m.Markdown != nil {
		return m.Markdown.Content
	}
	if m.Text != nil {
		return *m.Text
	}
	t.Fatalf("neither markdown nor text: %s", r.Body)
	return ""
}

// Names and summaries are data: no link, mention, tag, escape sequence or
// reordering survives into a message.
func TestHostileText(t *testing.T) {
	for _, tc := range []struct {
		name, summary            string
		wecom, slack, jsonFields string
	}{
		{
			name: "[click](https://evil.example)", summary: "![img](https://evil.example/x.png)",
			wecom:      `- **\[click\]\(https://evil.example\)**: in\_sync → error: \!\[img\]\(https://evil.example/x.png\)`,
			slack:      `• [click](https://evil.example): in_sync → error: ![img](https://evil.example/x.png)`,
			jsonFields: `"account":"[click](https://evil.example)"`,
		},
		{
			name: "@all", summary: "<@all> look <!channel> <!here|here>",
			wecom:      `- **\@all**: in\_sync → error: \<\@all\> look \<\!channel\> \<\!here\|here\>`,
			slack:      `• @all: in_sync → error: &lt;@all&gt; look &lt;!channel&gt; &lt;!here|here&gt;`,
			jsonFields: `"account":"@all"`,
		},
		{
			name: "<script>alert(1)</script>", summary: `<font color="warning">*urgent*</font> & <https://evil.example|bank>`,
			wecom:      `- **\<script\>alert\(1\)\</script\>**: in\_sync → error: \<font color="warning"\>\*urgent\*\</font\> \& \<https://evil.example\|bank\>`,
			slack:      `• &lt;script&gt;alert(1)&lt;/script&gt;: in_sync → error: &lt;font color="warning"&gt;*urgent*&lt;/font&gt; &amp; &lt;https://evil.example|bank&gt;`,
			jsonFields: `"account":"<script>alert(1)</script>"`,
		},
		{
			name: "\x1b[31mred\x1b[0m\x07", summary: "a\nb\r\n# heading\tc\x00d\u2028e",
			wecom:      `- **�\[31mred�\[0m�**: in\_sync → error: a b  \# heading c�d e`,
			slack:      `• �[31mred�[0m�: in_sync → error: a b  # heading c�d e`,
			jsonFields: `"account":"�[31mred�[0m�"`,
		},
		{
			name: "shop\u202Efdp.exe", summary: "\u2066isolated\u2069 \u202Aembedded\u202C \u200Fmark\u200E\u061C",
			wecom:      `- **shop�fdp.exe**: in\_sync → error: �isolated� �embedded� �mark��`,
			slack:      `• shop�fdp.exe: in_sync → error: �isolated� �embedded� �mark��`,
			jsonFields: `"account":"shop�fdp.exe"`,
		},
		{
			name: "`code` **bold** _it_ ~s~ \\", summary: "| a | b |",
			wecom:      "- **\\`code\\` \\*\\*bold\\*\\* \\_it\\_ \\~s\\~ \\\\**: in\\_sync → error: \\| a \\| b \\|",
			slack:      "• `code` **bold** _it_ ~s~ \\: in_sync → error: | a | b |",
			jsonFields: "\"account\":\"`code` **bold** _it_ ~s~ \\\\\"",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			change := []notify.Change{{Account: tc.name, AppID: "wx1", From: "in_sync", To: "error", Summary: tc.summary, Time: when}}
			for _, f := range []struct{ scheme, answer, want string }{
				{"wecom+http://", `{"errcode":0,"errmsg":"ok"}`, tc.wecom},
				{"slack+http://", "ok", tc.slack},
			} {
				h := newWebhook(t, reply(200, f.answer))
				if err := notify.Send(context.Background(), h.Client(), h.target(t, f.scheme, "/hook"), change); err != nil {
					t.Fatal(err)
				}
				_, line, _ := strings.Cut(shown(t, h.requests()[0]), "\n")
				if diff := cmp.Diff(f.want, line); diff != "" {
					t.Errorf("%s line (-want +got):\n%s", f.scheme, diff)
				}
			}
			h := newWebhook(t, reply(200, ""))
			if err := notify.Send(context.Background(), h.Client(), h.target(t, "http://", "/hook"), change); err != nil {
				t.Fatal(err)
			}
			body := h.requests()[0].Body
			if !strings.Contains(body, tc.jsonFields) {
				t.Errorf("JSON body %s lacks %s", body, tc.jsonFields)
			}
			if strings.ContainsAny(body, "\x1b\x07\u202E\u2066\u2069\u202A\u202C\u200F\u200E\u061C\u2028") || strings.Contains(body, `\u00`) {
				t.Errorf("JSON body keeps a control or bidi character: %q", body)
			}
		})
	}
}

// The WeCom content stays within 4096 bytes: whole lines while they fit,
// then "… and N more"; one long summary is cut on a character boundary.
func TestWeComCap(t *testing.T) {
	var many []notify.Change
	for i := range 200 {
		many = append(many, notify.Change{Account: fmt.Sprintf("门店-%03d", i), From: "in_sync", To: "changed_outside",
			Summary: strings.Repeat("菜单", 20), Time: when})
	}
	long := []notify.Change{{Account: "shop", From: "in_sync", To: "error", Summary: strings.Repeat("错", 5000), Time: when}}
	for _, tc := range []struct {
		name    string
		changes []notify.Change
		lines   int // lines of changes shown
		last    string
	}{
		{name: "many", changes: many, lines: 23, last: "… and 177 more"},
		{name: "long summary", changes: long, lines: 1, last: "- **shop**: in\\_sync → error: " + strings.Repeat("错", 255) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newWebhook(t, reply(200, `{"errcode":0,"errmsg":"ok"}`))
			if err := notify.Send(context.Background(), h.Client(), h.target(t, "wecom+http://", "/send?key=k"), tc.changes); err != nil {
				t.Fatal(err)
			}
			content := shown(t, h.requests()[0])
			if len(content) > 4096 || !utf8.ValidString(content) {
				t.Fatalf("content of %d bytes, valid UTF-8 %v", len(content), utf8.ValidString(content))
			}
			lines := strings.Split(content, "\n")
			got := len(lines) - 1 // the header
			if strings.HasPrefix(lines[len(lines)-1], "… and ") {
				got--
			}
			if got != tc.lines {
				t.Errorf("%d lines of changes, want %d", got, tc.lines)
			}
			if diff := cmp.Diff(tc.last, lines[len(lines)-1]); diff != "" {
				t.Errorf("last line (-want +got):\n%s", diff)
			}
			if tc.name == "many" && 4096-len(content) > len(lines[1])+1 {
				t.Errorf("content of %d bytes has room for another line of %d", len(content), len(lines[1]))
			}
		})
	}
}

// Which answers are retried, and how often the webhook is asked.
func TestRetries(t *testing.T) {
	wecomOK := reply(200, `{"errcode":0,"errmsg":"ok"}`)
	for _, tc := range []struct {
		name     string
		scheme   string
		answers  []answer
		requests int
		err      string // "" for delivered
	}{
		{name: "500 then 200", scheme: "http://", answers: []answer{reply(500, "oops"), reply(200, "")}, requests: 2},
		{name: "429 then 502 then 200", scheme: "slack+http://", answers: []answer{reply(429, "slow down"), reply(502, ""), reply(200, "ok")}, requests: 3},
		{name: "busy then ok", scheme: "wecom+http://", answers: []answer{reply(200, `{"errcode":-1,"errmsg":"system busy"}`), wecomOK}, requests: 2},
		{name: "503 three times", scheme: "http://", answers: []answer{reply(503, "<html>\x1b[2J\u202Edown</html>")}, requests: 3,
			err: `notify http://HOST: HTTP 503 "<html>\x1b[2J\u202edown</html>" (3 attempts)`},
		{name: "400", scheme: "http://", answers: []answer{reply(400, "bad request"), reply(200, "")}, requests: 1,
			err: `notify http://HOST: HTTP 400 "bad request" (1 attempt)`},
		{name: "404 from slack", scheme: "slack+http://", answers: []answer{reply(404, "no_service")}, requests: 1,
			err: `notify slack+http://HOST: HTTP 404 "no_service" (1 attempt)`},
		{name: "slack 201", scheme: "slack+http://", answers: []answer{reply(201, "")}, requests: 1,
			err: `notify slack+http://HOST: HTTP 201 (Slack answers 200) (1 attempt)`},
		{name: "errcode 93000", scheme: "wecom+http://", answers: []answer{reply(200, `{"errcode":93000,"errmsg":"invalid webhook url"}`), wecomOK}, requests: 1,
			err: `notify wecom+http://HOST: errcode 93000 "invalid webhook url" (1 attempt)`},
		{name: "errcode 45009", scheme: "wecom+http://", answers: []answer{reply(200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\\u202e\\n\"}")}, requests: 1,
			err: `notify wecom+http://HOST: errcode 45009 "api freq out of limit\u202e" (1 attempt)`},
		{name: "not the robot", scheme: "wecom+http://", answers: []answer{reply(200, "<html>hello</html>")}, requests: 1,
			err: `notify wecom+http://HOST: HTTP 200 with an answer that is not the robot's: "<html>hello</html>" (1 attempt)`},
		{name: "long answer", scheme: "http://", answers: []answer{reply(418, strings.Repeat("茶", 100))}, requests: 1,
			err: `notify http://HOST: HTTP 418 "` + strings.Repeat("茶", 26) + `"… (1 attempt)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newWebhook(t, tc.answers...)
			err := notify.Send(context.Background(), h.Client(), h.target(t, tc.scheme, "/hook"), changes)
			if n := len(h.requests()); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			got := ""
			if err != nil {
				got = strings.Replace(err.Error(), h.Listener.Addr().String(), "HOST", 1)
			}
			if diff := cmp.Diff(tc.err, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// A 93000 says how to fix it.
func TestWeComKeyHint(t *testing.T) {
	h := newWebhook(t, reply(200, `{"errcode":93000,"errmsg":"invalid webhook url"}`))
	err := notify.Send(context.Background(), h.Client(), h.target(t, "wecom+http://", "/send?key=k"), changes)
	if hint := errtext.Hint(err); !strings.Contains(hint, "copy its webhook URL again") {
		t.Errorf("hint %q", hint)
	}
}

// silent is a loopback listener that accepts connections, reads what is
// sent and never answers.
func silent(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				io.Copy(io.Discard, c) // until the client hangs up
			})
		}
	})
	return l.Addr().String()
}

// A server that never answers holds Send no longer than ctx.
func TestNeverAnswersBoundedByContext(t *testing.T) {
	target, err := notify.ParseTarget("wecom+http://" + silent(t) + "/send?key=SECRETKEY")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = notify.Send(ctx, &http.Client{}, target, changes)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Send took %v with a context of 200ms", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want one wrapping context.DeadlineExceeded", err)
	}
	want := "notify " + target.String() + ": stopped (context deadline exceeded) after 1 attempt"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

// Cancelling ctx during the wait between attempts stops at once.
func TestCancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h := newWebhook(t, reply(503, ""))
	client := &http.Client{Transport: cancelAfter{h.Client().Transport, cancel}}
	err := notify.Send(ctx, client, h.target(t, "http://", "/hook"), changes)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want one wrapping context.Canceled", err)
	}
	if n := len(h.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	want := "notify http://" + h.Listener.Addr().String() + ": stopped (context canceled) after 1 attempt, the last one: HTTP 503"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}

// cancelAfter cancels once it has a whole answer.
type cancelAfter struct {
	base   http.RoundTripper
	cancel context.CancelFunc
}

func (c cancelAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	c.cancel()
	return resp, err
}

// An attempt that times out (the client's Timeout) is retried.
func TestAttemptTimeoutRetried(t *testing.T) {
	h := newWebhook(t,
		func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		reply(200, ""))
	client := h.Client()
	client.Timeout = 100 * time.Millisecond
	if err := notify.Send(context.Background(), client, h.target(t, "http://", "/hook"), changes); err != nil {
		t.Fatal(err)
	}
	if n := len(h.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// No error shows the URL's key or path, the message, or the answer beyond
// a snippet, even when the server echoes them.
func TestErrorsKeepSecrets(t *testing.T) {
	echo := func(status int, wecom bool) answer {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			msg := "you sent " + r.URL.String() + " and " + url.QueryEscape(r.URL.Query().Get("key")) + ": " + string(body)
			if wecom {
				js, _ := json.Marshal(map[string]any{"errcode": 40058, "errmsg": msg})
				msg = string(js)
			}
			w.WriteHeader(status)
			io.WriteString(w, msg)
		}
	}
	secretChange := []notify.Change{{Account: "BODYSECRET", From: "in_sync", To: "error", Time: when}}
	refused := func() string { // a loopback port with nothing behind it
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().String()
	}()
	for _, tc := range []struct {
		name, url string
		answer    answer
	}{
		{name: "wecom errcode", url: "wecom+http://HOST/cgi-bin/webhook/send?key=9aKEY-SECRET-7f", answer: echo(200, true)},
		{name: "wecom key at the snippet's end", url: "wecom+http://HOST/send?key=9aKEY-SECRET-7f", answer: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			io.WriteString(w, strings.Repeat("x", 75)+r.URL.Query().Get("key"))
		}},
		{name: "wecom 400", url: "wecom+http://HOST/cgi-bin/webhook/send?key=KEY%2FSECRET%3D", answer: echo(400, false)},
		{name: "slack 403", url: "slack+http://HOST/services/T0SECRET1/B0SECRET2/XSECRETX3", answer: echo(403, false)},
		{name: "json 500", url: "http://h:PWSECRET@HOST/hooks/SECRETPATH?token=SECRETTOKEN", answer: echo(500, false)},
		{name: "refused", url: "wecom+http://" + refused + "/send?key=SECRETKEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.url
			if tc.answer != nil {
				h := newWebhook(t, tc.answer)
				raw = strings.Replace(raw, "HOST", h.Listener.Addr().String(), 1)
			}
			target, err := notify.ParseTarget(raw)
			if err != nil {
				t.Fatal(err)
			}
			err = notify.Send(context.Background(), &http.Client{}, target, secretChange)
			if err == nil {
				t.Fatal("Send succeeded")
			}
			text := err.Error() + "\n" + errtext.Hint(err)
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				text += "\n" + e.Error()
			}
			for _, secret := range []string{"SECRET", "KEY", "services", "/send", "BODY"} {
				if strings.Contains(text, secret) {
					t.Errorf("the error shows %s:\n%s", secret, text)
				}
			}
			if !strings.HasPrefix(err.Error(), "notify "+target.String()+": ") {
				t.Errorf("the error does not start with the target: %s", err)
			}
			if ue := (*url.Error)(nil); errors.As(err, &ue) {
				t.Errorf("the error wraps a *url.Error: %v", ue)
			}
		})
	}
}

// A redirect is not followed: the message goes nowhere else.
func TestRedirectNotFollowed(t *testing.T) {
	elsewhere := newWebhook(t, reply(200, ""))
	h := newWebhook(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/stolen", http.StatusTemporaryRedirect)
	})
	err := notify.Send(context.Background(), h.Client(), h.target(t, "http://", "/hook"), changes)
	if err == nil || !strings.Contains(err.Error(), "HTTP 307") || !strings.Contains(err.Error(), "(a redirect, not followed) (1 attempt)") {
		t.Errorf("err = %v", err)
	}
	if n := len(elsewhere.requests()); n != 0 {
		t.Errorf("the redirect's target got %d requests", n)
	}
}

// wecom+https:// posts over TLS.
func TestHTTPS(t *testing.T) {
	var got string
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.RawQuery
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	defer ts.Close()
	target, err := notify.ParseTarget(strings.Replace(ts.URL, "https://", "wecom+https://", 1) + "/send?key=k")
	if err != nil {
		t.Fatal(err)
	}
	if err := notify.Send(context.Background(), ts.Client(), target, changes); err != nil {
		t.Fatal(err)
	}
	if got != "key=k" {
		t.Errorf("query %q", got)
	}
}

// Nothing is posted for no changes; the zero Target is an error.
func TestNothingToSend(t *testing.T) {
	h := newWebhook(t, reply(200, ""))
	if err := notify.Send(context.Background(), h.Client(), h.target(t, "http://", "/hook"), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("%d requests for no changes", n)
	}
	if err := notify.Send(context.Background(), nil, notify.Target{}, changes); err == nil {
		t.Error("Send to the zero Target succeeded")
	}
}

// A ctx that has ended before Send makes no request.
func TestContextEndedBefore(t *testing.T) {
	h := newWebhook(t, reply(200, ""))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := notify.Send(ctx, h.Client(), h.target(t, "http://", "/hook"), changes)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want one wrapping context.Canceled", err)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}
