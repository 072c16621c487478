package wechattest

import (
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

// EffectRecorder records which mutating calls changed an account, whatever
// became of their responses. The emulator tells it of every mutating call
// as the call is applied, under the emulator's lock and before any answer
// is written: a call whose response was dropped by a fault, or that was
// applied after its client gave up, is recorded; a call refused for any
// reason (busy, token, quota, a WeChat rule, a save that failed and was
// undone) is not. This is what proves a client never made a change twice.
//
// It is the http.Handler to serve the emulator with. Mutating calls are
// served one at a time through it, so their faults are drawn in the order
// the calls arrive.
type EffectRecorder struct {
	emu *Emulator

	serial  sync.Mutex // held across one mutating call
	mu      sync.Mutex // guards effects
	effects []Effect
}

// NewEffectRecorder returns a recorder serving e, which from then on tells
// it of its calls (the newest recorder of an emulator is the one told).
func NewEffectRecorder(e *Emulator) *EffectRecorder {
	r := &EffectRecorder{emu: e}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.recorder = r
	return r
}

// ServeHTTP serves the request with the emulator.
func (r *EffectRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if ep := endpoints[req.URL.Path]; ep != nil && ep.mutating {
		r.serial.Lock()
		defer r.serial.Unlock()
	}
	r.emu.ServeHTTP(w, req)
}

// recordLocked records what one call of endpoint changed, given the menu
// identities before it; the emulator's lock is held.
func (r *EffectRecorder) recordLocked(endpoint string, before map[string][]int64) {
	after := r.emu.menuIDsLocked()
	for _, id := range r.emu.order {
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

// WaitLate is Emulator.WaitLate: a held call is recorded when it lands.
func (r *EffectRecorder) WaitLate() { r.emu.WaitLate() }

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

// menuIDsLocked is every account's menu identities by AppID: the default
// menu's menuid (0 for none), then the conditional menus'.
func (e *Emulator) menuIDsLocked() map[string][]int64 {
	out := make(map[string][]int64, len(e.accounts))
	for id, a := range e.accounts {
		ids := []int64{0}
		if a.DefaultMenu != nil {
			ids[0] = a.DefaultMenu.MenuID
		}
		for _, m := range a.Conditional {
			ids = append(ids, m.MenuID)
		}
		out[id] = ids
	}
	return out
}

// diffMenuIDs describes what changed between two menuIDsLocked of an
// account. Every create takes a fresh menuid, so even a menu/create with the
// same buttons shows.
func diffMenuIDs(endpoint string, before, after []int64) (Effect, bool) {
	eff := Effect{Endpoint: endpoint}
	changed := before[0] != after[0] // also a default menu deleted
	for _, id := range after {
		if id != 0 && !slices.Contains(before, id) {
			eff.Created = formatMenuID(id)
			changed = true
		}
	}
	for _, id := range before[1:] {
		if !slices.Contains(after, id) {
			eff.Removed = append(eff.Removed, formatMenuID(id))
			changed = true
		}
	}
	return eff, changed
}
