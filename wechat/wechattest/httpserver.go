package wechattest

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// ServerOptions bound what one client can hold of a served emulator. The
// zero value gives the defaults below, generous for any honest client and
// short enough that slow or idle connections (slowloris) are cut off. A
// whole request, body included, must arrive within 30s, and its answer
// within 2m of the end of its headers (latency faults count).
type ServerOptions struct {
	ReadHeaderTimeout time.Duration // 0 → 10s: the request line and headers
	IdleTimeout       time.Duration // 0 → 60s: a kept-alive connection waiting for its next request
	MaxConns          int           // 0 → 256 connections at once; more wait to be accepted
}

func (o ServerOptions) withDefaults() ServerOptions {
	o.ReadHeaderTimeout = positiveOr(o.ReadHeaderTimeout, 10*time.Second)
	o.IdleTimeout = positiveOr(o.IdleTimeout, 60*time.Second)
	o.MaxConns = positiveOr(o.MaxConns, 256)
	return o
}

// positiveOr is v, or def when v is not positive: a zero (or negative)
// setting means the default.
func positiveOr[T ~int | ~int64](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// NewServer returns an http.Server for h (an Emulator, or an
// EffectRecorder in front of one) with the timeouts of opts. Serve it on a
// listener wrapped by LimitListener(l, opts.MaxConns), as Serve does, so the
// connection cap holds too:
//
//	srv := wechattest.NewServer(emu, opts)
//	err := wechattest.Serve(srv, listener, opts)
func NewServer(h http.Handler, opts ServerOptions) *http.Server {
	opts = opts.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       opts.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}

// Serve serves srv on l with at most opts.MaxConns connections at once.
func Serve(srv *http.Server, l net.Listener, opts ServerOptions) error {
	return srv.Serve(LimitListener(l, opts.withDefaults().MaxConns))
}

// LimitListener returns a listener that accepts at most n connections at
// once: Accept waits until an accepted connection has closed.
func LimitListener(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, slots: make(chan struct{}, max(n, 1)), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	slots     chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.slots }}, nil
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
