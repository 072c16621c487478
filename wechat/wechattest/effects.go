package wechattest

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"slices"
	"sync"

	"github.com/wxmenu/wxmenu/wechat"
)

func (a *acct) seedMenusLocked(set wechat.MenuSet) {
	a.DefaultMenu, a.Conditional, a.ConsoleMenu = nil, nil, nil
	if set.Default == nil {
		return
	}
	a.DefaultMenu = &storedMenu{MenuID: a.emu.nextMenuID(), Buttons: storedButtons(set.Default.Buttons)}
	for _, m := range slices.Backward(set.NewestFirst()) {
		a.Conditional = append(a.Conditional, storedConditional{
			MenuID:    a.emu.nextMenuID(),
			Buttons:   storedButtons(m.Buttons),
			MatchRule: m.MatchRule,
		})
	}
}

// storedButtons copies buttons the way the emulator keeps them: leaves
// without the empty sub_button list that menu/get adds.
func storedButtons(in []wechat.Button) []wechat.Button {
	out := make([]wechat.Button, len(in))
	for i, b := range in {
		out[i] = b
		out[i].SubButtons = nil
		if len(b.SubButtons) > 0 {
			out[i].SubButtons = storedButtons(b.SubButtons)
		}
	}
	return out
}

// Effect is one mutating call that changed the account.
type Effect struct {
	Endpoint string `json:"endpoint"` // e.g. "menu/addconditional"
	// Created is the menuid of the menu a menu/create or
	// menu/addconditional made.
	Created string `json:"created,omitempty"`
	// Removed lists the conditional menuids the call removed (one for
	// menu/delconditional, all of them for menu/delete).
	Removed []string `json:"removed,omitempty"`
	// AppID is the account the call changed; empty for the default account.
	AppID string `json:"appid,omitempty"`
}

// EffectRecorder is an http.Handler in front of an Emulator that records
// which mutating calls changed the account, whatever became of their
// responses: a call whose response was dropped by a fault, or answered
// after the client gave up, is recorded if it took effect, and a call
// refused for any reason (busy, token, quota, a WeChat rule) is not. This
// is what proves a client never made a change twice.
//
// Mutating calls are served one at a time so each change is attributed to
// the call that made it; anything that changes menus outside this handler
// (the control surface, SeedDemo) while a call is in flight would be
// attributed to that call.
type EffectRecorder struct {
	emu *Emulator

	serial  sync.Mutex // held across one mutating call
	mu      sync.Mutex // guards effects
	effects []Effect
}

// NewEffectRecorder returns a recorder serving e.
func NewEffectRecorder(e *Emulator) *EffectRecorder {
	return &EffectRecorder{emu: e}
}

// ServeHTTP serves the request with the emulator and records its effect.
func (r *EffectRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	ep := endpoints[req.URL.Path]
	if ep == nil || !ep.mutating {
		r.emu.ServeHTTP(w, req)
		return
	}
	r.serial.Lock()
	defer r.serial.Unlock()
	before := r.emu.menuIDs()
	// The effect is recorded before the client can see any answer (the
	// emulator changes the account, then answers), so a caller that has its
	// answer, or its closed connection, also finds the effect recorded.
	rw := &recordingWriter{ResponseWriter: w}
	rw.record = func() { r.record(ep.name, before) }
	r.emu.ServeHTTP(rw, req)
	rw.once.Do(rw.record) // no answer at all (a late delivery, a client gone)
}

func (r *EffectRecorder) record(endpoint string, before map[string]menuIDSnapshot) {
	after := r.emu.menuIDs()
	for _, id := range r.emu.AppIDs() {
		if eff, changed := diffMenuIDs(endpoint, before[id], after[id]); changed {
			if id != r.emu.cfg.AppID {
				eff.AppID = id
			}
			r.mu.Lock()
			r.effects = append(r.effects, eff)
			r.mu.Unlock()
		}
	}
}

// recordingWriter runs record once, at the first sign of an answer: a
// header, a body, a flush or a taken-over connection.
type recordingWriter struct {
	http.ResponseWriter
	record func()
	once   sync.Once
}

func (w *recordingWriter) WriteHeader(code int) {
	w.once.Do(w.record)
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.once.Do(w.record)
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) Flush() {
	w.once.Do(w.record)
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack lets DropResponse close the connection, after the effect is
// recorded.
func (w *recordingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.once.Do(w.record)
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be taken over")
	}
	return hj.Hijack()
}

// WaitLate is Emulator.WaitLate, and then waits for the recorder to have
// recorded the held calls' effects: a held call lands before its handler
// returns, and the recorder counts it only then.
func (r *EffectRecorder) WaitLate() {
	r.emu.WaitLate()
	// serial is held across every mutating call, late ones included, until
	// its effect is recorded: taking it waits for the last one.
	r.serial.Lock()
	defer r.serial.Unlock()
}

// Effects returns the recorded effects in the order they happened.
func (r *EffectRecorder) Effects() []Effect {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Effect, len(r.effects))
	for i, eff := range r.effects {
		out[i] = eff
		out[i].Removed = slices.Clone(eff.Removed)
	}
	return out
}

// Removed returns every conditional menuid the recorded calls removed.
func (r *EffectRecorder) Removed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, eff := range r.effects {
		out = append(out, eff.Removed...)
	}
	return out
}

// menuIDSnapshot is the identity of the account's menus at one moment.
type menuIDSnapshot struct {
	defaultID   int64 // 0: no menu
	conditional []int64
}

// menuIDs snapshots every account's menu identities, by AppID.
func (e *Emulator) menuIDs() map[string]menuIDSnapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]menuIDSnapshot, len(e.order))
	for id, a := range e.accounts {
		var s menuIDSnapshot
		if a.DefaultMenu != nil {
			s.defaultID = a.DefaultMenu.MenuID
		}
		for _, m := range a.Conditional {
			s.conditional = append(s.conditional, m.MenuID)
		}
		out[id] = s
	}
	return out
}

// diffMenuIDs describes what changed between two snapshots. Every create
// takes a fresh menuid, so even a menu/create with the same buttons shows.
func diffMenuIDs(endpoint string, before, after menuIDSnapshot) (Effect, bool) {
	eff := Effect{Endpoint: endpoint}
	changed := before.defaultID != after.defaultID
	if after.defaultID != 0 && after.defaultID != before.defaultID {
		eff.Created = formatMenuID(after.defaultID)
	}
	for _, id := range before.conditional {
		if !slices.Contains(after.conditional, id) {
			eff.Removed = append(eff.Removed, formatMenuID(id))
			changed = true
		}
	}
	for _, id := range after.conditional {
		if !slices.Contains(before.conditional, id) {
			eff.Created = formatMenuID(id)
			changed = true
		}
	}
	return eff, changed
}
