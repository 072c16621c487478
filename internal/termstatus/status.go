package termstatus

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

var spinner = []string{"|", "/", "-", `\`}

// Line is a status line on a terminal. Its methods are safe for concurrent
// use; concurrent waits show the most recent one.
type Line struct {
	w     io.Writer
	delay time.Duration // how long a wait lasts before the line appears
	tick  time.Duration // how often the line is redrawn

	mu      sync.Mutex
	next    int       // id of the next wait
	current int       // id of the wait shown, 0 for none
	what    string    // what the current wait is for
	since   time.Time // when it began
	shown   bool      // a line is on the screen
	frame   int
	timer   *time.Timer
}

// New returns a Line on w, or nil when w is not a terminal (isTerminal
// decides; package main passes x/term's check).
func New(w io.Writer, isTerminal bool) *Line {
	if !isTerminal {
		return nil
	}
	return &Line{w: w, delay: time.Second, tick: 250 * time.Millisecond}
}

// Begin starts a wait for what and returns the function that ends it.
func (l *Line) Begin(what string) (end func()) {
	if l == nil {
		return func() {}
	}
	l.mu.Lock()
	l.next++
	id := l.next
	l.current, l.what, l.since = id, what, time.Now()
	l.schedule(l.delay)
	l.mu.Unlock()
	return func() { l.end(id) }
}

// schedule draws the line after d; l.mu is held.
func (l *Line) schedule(d time.Duration) {
	if l.timer != nil {
		l.timer.Stop()
	}
	id := l.current
	l.timer = time.AfterFunc(d, func() { l.draw(id) })
}

func (l *Line) draw(id int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.current != id || id == 0 {
		return
	}
	secs := int(time.Since(l.since).Round(time.Second) / time.Second)
	fmt.Fprintf(l.w, "\r\x1b[K%s waiting for %s… %ds", spinner[l.frame%len(spinner)], l.what, secs)
	l.frame++
	l.shown = true
	l.schedule(l.tick)
}

func (l *Line) end(id int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.current != id {
		return
	}
	l.current = 0
	l.timer.Stop() // set by Begin's schedule, like current
	if l.shown {
		fmt.Fprint(l.w, "\r\x1b[K") // erase the line: the wait is over
		l.shown = false
	}
}

// Transport shows each round trip of next on l as a wait for the host and
// the API endpoint (the URL path after /cgi-bin/); the query, which holds
// the access token, is never shown. A nil l returns next.
func Transport(next http.RoundTripper, l *Line) http.RoundTripper {
	if l == nil {
		return next
	}
	return roundTripper{next: next, line: l}
}

type roundTripper struct {
	next http.RoundTripper
	line *Line
}

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	endpoint := strings.TrimPrefix(req.URL.Path, "/cgi-bin/")
	end := rt.line.Begin(req.URL.Host + " (" + endpoint + ")")
	defer end()
	return rt.next.RoundTrip(req)
}
