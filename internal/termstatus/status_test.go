package termstatus

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for the line's timer goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestNotATerminalIsSilent(t *testing.T) {
	var out syncBuffer
	l := New(&out, false)
	if l != nil {
		t.Fatal("New on a non-terminal returned a line")
	}
	l.Begin("x")() // a nil line does nothing
	if out.String() != "" {
		t.Errorf("wrote %q", out.String())
	}
}

// TestLineShowsAndErases drives the line by hand (draw is what the timer
// calls) so the test does not depend on timing.
func TestLineShowsAndErases(t *testing.T) {
	var out syncBuffer
	l := New(&out, true)
	l.delay = 1 << 62 // the timer never fires on its own
	end := l.Begin("api.weixin.qq.com (menu/get)")
	l.draw(l.current)
	end()
	got := out.String()
	if !strings.Contains(got, "waiting for api.weixin.qq.com (menu/get)") {
		t.Errorf("line %q does not say what it waits for", got)
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("line %q is not erased at the end", got)
	}
	// A wait that ended before its line appeared prints nothing.
	var quiet syncBuffer
	q := New(&quiet, true)
	q.delay = 1 << 62
	q.Begin("x")()
	if quiet.String() != "" {
		t.Errorf("a short wait printed %q", quiet.String())
	}
}

func TestTransportNeverShowsTheQuery(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	var out syncBuffer
	l := New(&out, true)
	l.delay = 1 << 62
	var seen string
	rt := Transport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		l.draw(l.current)
		seen = out.String()
		return http.DefaultTransport.RoundTrip(r)
	}), l)
	resp, err := (&http.Client{Transport: rt}).Get(srv.URL + "/cgi-bin/menu/get?access_token=SECRET")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(seen, "(menu/get)") || strings.Contains(seen, "SECRET") {
		t.Errorf("status line %q: want the endpoint and no query", seen)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
