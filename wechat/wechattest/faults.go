package wechattest

import (
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Faults makes the emulator misbehave the way a real network and a busy
// WeChat do. Faults apply only to /cgi-bin calls, never to the control
// surface. Rates are shares between 0 and 1.
type Faults struct {
	Latency     time.Duration `json:"latency"`      // added to every /cgi-bin call (JSON: nanoseconds)
	BusyRate    float64       `json:"busy_rate"`    // share of /cgi-bin calls answered {"errcode":-1,"errmsg":"system error"} with no effect
	DropRate    float64       `json:"drop_rate"`    // share of mutating menu calls that take effect and then lose the response (the connection is closed without a response)
	HTTP502Rate float64       `json:"http502_rate"` // share answered HTTP 502 with an HTML body, no effect
	// LateRate is the share of mutating menu calls delivered late: the
	// request is read whole, held without an answer until the client gives
	// up (closes the connection, e.g. on its timeout), and applied LateDelay
	// after that, with nobody left to answer. A client cannot tell it from
	// a lost request, and a re-read before it lands does not show it: the
	// reason a create with an unknown outcome must never be re-sent.
	// WaitLate waits for the held calls to land.
	LateRate  float64       `json:"late_rate"`
	LateDelay time.Duration `json:"late_delay"`          // JSON: nanoseconds
	Endpoints []string      `json:"endpoints,omitempty"` // limit faults to these endpoint names; empty = all
}

// SetFaults replaces the injected faults. Rates are clamped to [0, 1] and a
// negative latency counts as none; Faults{} turns injection off.
func (e *Emulator) SetFaults(f Faults) {
	f.Latency = max(f.Latency, 0)
	f.BusyRate = clampRate(f.BusyRate)
	f.DropRate = clampRate(f.DropRate)
	f.HTTP502Rate = clampRate(f.HTTP502Rate)
	f.LateRate = clampRate(f.LateRate)
	f.LateDelay = max(f.LateDelay, 0)
	f.Endpoints = slices.Clone(f.Endpoints)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = f
}

func clampRate(r float64) float64 {
	if !(r > 0) { // also NaN
		return 0
	}
	return min(r, 1)
}

// faultRoll is what happens to one call.
type faultRoll struct {
	latency    time.Duration
	badGateway bool
	busy       bool
	drop       bool
	late       bool
	lateDelay  time.Duration
}

// rollFaultLocked decides the faults of one call from the seeded fault RNG,
// which nothing else draws from, so a seed replays the same faults.
func (e *Emulator) rollFaultLocked(ep *endpoint) faultRoll {
	f := e.faults
	if len(f.Endpoints) > 0 && !slices.Contains(f.Endpoints, ep.name) {
		return faultRoll{}
	}
	roll := faultRoll{latency: f.Latency}
	chance := func(rate float64) bool { return rate > 0 && e.faultRNG.Float64() < rate }
	switch {
	case chance(f.HTTP502Rate):
		roll.badGateway = true
	case chance(f.BusyRate):
		roll.busy = true
	case ep.mutating && chance(f.DropRate):
		roll.drop = true
	case ep.mutating && chance(f.LateRate):
		roll.late, roll.lateDelay = true, f.LateDelay
	}
	return roll
}

// lateCalls counts the calls held by the late-delivery fault. (A
// WaitGroup would do, but its Add may not race with Wait, and a test may
// wait while a new call is being held.)
type lateCalls struct {
	mu        sync.Mutex
	held      int
	delivered int
	cond      sync.Cond // on mu (New)
}

func (l *lateCalls) add(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held += n
	if n < 0 {
		l.delivered -= n
	}
	l.cond.Broadcast()
}

// deliverLate holds a call until its client has given up, then applies it
// after delay. It returns once the call is applied; the connection gets no
// answer (the client has closed it).
func (e *Emulator) deliverLate(r *http.Request, ep *endpoint, c *call, delay time.Duration) {
	e.late.add(1)
	defer e.late.add(-1)
	<-r.Context().Done() // the client closed the connection
	time.Sleep(delay)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.answerPersistedLocked(ep, c)
}

// LateDelivered counts the calls the late-delivery fault has applied.
func (e *Emulator) LateDelivered() int {
	e.late.mu.Lock()
	defer e.late.mu.Unlock()
	return e.late.delivered
}

// WaitLate waits until every call held by the late-delivery fault has been
// applied. A held call lands only after its client gives up, so call it
// once the clients are done (or the server is closed).
func (e *Emulator) WaitLate() {
	l := &e.late
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.held > 0 {
		l.cond.Wait()
	}
}

// badGatewayPage is what WeChat's front proxies answer when a backend fails.
const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

func writeBadGateway(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, badGatewayPage)
}

// DropResponse closes the connection without a response, which is how a
// lost response looks to a client (the emulator's drop fault; tests also
// use it to lose a request before it arrives). Where the connection cannot
// be taken over (HTTP/2, a ResponseRecorder) the closest thing is an empty
// 504, which no client can mistake for success.
func DropResponse(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	w.WriteHeader(http.StatusGatewayTimeout)
}
