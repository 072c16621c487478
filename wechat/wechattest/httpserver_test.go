package wechattest

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"
)

// serveLoopback serves h with NewServer and Serve on 127.0.0.1.
func serveLoopback(t *testing.T, h http.Handler, opts ServerOptions) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(h, opts)
	go func() { _ = Serve(srv, l, opts) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String()
}

func TestServerCutsOffSlowloris(t *testing.T) {
	addr := serveLoopback(t, New(Config{}), ServerOptions{ReadHeaderTimeout: 100 * time.Millisecond, IdleTimeout: 100 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a request, never finished.
	if _, err := io.WriteString(conn, "GET /cgi-bin/menu/get HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	// A generous bound: the server must close the connection long before.
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, err = io.ReadAll(conn)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server kept a slow connection open")
	}
}

func TestServerCapsConnections(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	entered := make(chan struct{}, 3)
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		entered <- struct{}{}
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
	})
	addr := serveLoopback(t, h, ServerOptions{MaxConns: 2})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			resp, err := client.Get("http://" + addr + "/")
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	<-entered
	<-entered
	// Two connections are in the handler; give the third a chance to slip
	// past the cap before releasing them (not an assertion on time).
	time.Sleep(100 * time.Millisecond)
	close(release)
	<-entered // the third is served once a slot frees
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if most != 2 {
		t.Errorf("%d requests in flight at once, want at most 2", most)
	}
}
