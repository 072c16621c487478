package wechat_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// fastRetry keeps retry tests quick: 3 attempts, millisecond backoff.
var fastRetry = wechat.WithRetry(3, time.Millisecond, 2*time.Millisecond)

// fixture returns testdata/api/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "api", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// seen is a request as a fake server received it.
type seen struct {
	Method, Path, RawQuery, Body string
}

// fakeServer is an httptest server running handle, recording every request.
type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newFakeServer(t *testing.T, handle http.HandlerFunc) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mu.Lock()
		f.reqs = append(f.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, string(body)})
		f.mu.Unlock()
		handle(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

// canned answers every request with the same response.
func canned(status int, contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// wechatJSON is the Content-Type WeChat sends.
const wechatJSON = "application/json; encoding=utf-8"

// staticClient is a client with a static token talking to base.
func staticClient(t *testing.T, base string, opts ...wechat.Option) *wechat.Client {
	t.Helper()
	all := append([]wechat.Option{wechat.WithBaseURLs(base), wechat.WithStaticToken("fixture-token"), fastRetry}, opts...)
	c, err := wechat.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// hangUp reads the request and closes the connection without answering:
// the request was delivered, the response is lost.
func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot hijack: "+err.Error(), http.StatusInternalServerError)
		return
	}
	_ = conn.Close()
}
