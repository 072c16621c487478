package wechattest

import (
	"io"
	"net/http"
	"slices"
	"time"
)

// Faults makes the emulator misbehave the way a real network and a busy
// WeChat do. Faults apply only to /cgi-bin calls, never to the control
// surface. Rates are shares between 0 and 1.
type Faults struct {
	Latency     time.Duration `json:"latency"`             // added to every /cgi-bin call (JSON: nanoseconds)
	BusyRate    float64       `json:"busy_rate"`           // share of /cgi-bin calls answered {"errcode":-1,"errmsg":"system error"} with no effect
	DropRate    float64       `json:"drop_rate"`           // share of mutating menu calls that take effect and then lose the response (the connection is closed without a response)
	HTTP502Rate float64       `json:"http502_rate"`        // share answered HTTP 502 with an HTML body, no effect
	Endpoints   []string      `json:"endpoints,omitempty"` // limit faults to these endpoint names; empty = all
}

// SetFaults replaces the injected faults. Rates are clamped to [0, 1] and a
// negative latency counts as none; Faults{} turns injection off.
func (e *Emulator) SetFaults(f Faults) {
	f.Latency = max(f.Latency, 0)
	f.BusyRate = clampRate(f.BusyRate)
	f.DropRate = clampRate(f.DropRate)
	f.HTTP502Rate = clampRate(f.HTTP502Rate)
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
	}
	return roll
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
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.WriteHeader(http.StatusGatewayTimeout)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		w.WriteHeader(http.StatusGatewayTimeout)
		return
	}
	_ = conn.Close()
}
