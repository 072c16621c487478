package wechattest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// The control surface drives the emulator over HTTP for the standalone
// sandbox and black-box tests. Requests and answers are JSON; success is
// HTTP 200 ({"ok":true} unless there is data to return), a bad request is
// HTTP 400 {"error":"…"}, a wrong method 405, an unknown path 404.
var controlRoutes = map[string]struct {
	method string
	serve  func(*Emulator, []byte) (any, error)
}{
	"reset":           {http.MethodPost, (*Emulator).controlReset},
	"users":           {http.MethodPost, (*Emulator).controlUsers},
	"quota":           {http.MethodPost, (*Emulator).controlQuota},
	"max-conditional": {http.MethodPost, (*Emulator).controlMaxConditional},
	"clock/advance":   {http.MethodPost, (*Emulator).controlAdvance},
	"faults":          {http.MethodPost, (*Emulator).controlFaults},
	"tokens/expire":   {http.MethodPost, (*Emulator).controlExpireTokens},
	"calls":           {http.MethodGet, (*Emulator).controlCalls},
	"state":           {http.MethodGet, (*Emulator).controlState},
	"seed-demo":       {http.MethodPost, (*Emulator).controlSeedDemo},
}

type controlError struct {
	Error string `json:"error"`
}

var controlOK = struct {
	OK bool `json:"ok"`
}{true}

func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	route, ok := controlRoutes[r.URL.Path[len(controlPrefix):]]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != route.method {
		w.Header().Set("Allow", route.method)
		writeJSON(w, http.StatusMethodNotAllowed, controlError{"use " + route.method})
		return
	}
	body, err := readBody(r)
	if err != nil {
		return
	}
	if len(body) > maxBodyBytes {
		writeJSON(w, http.StatusBadRequest, controlError{"request body too large"})
		return
	}
	out, err := route.serve(e, body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, controlError{err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// decodeControl decodes a control request strictly: unknown fields are
// mistakes here, not WeChat tolerance.
func decodeControl(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad request body: %v", err)
	}
	if dec.More() {
		return fmt.Errorf("bad request body: more than one JSON value")
	}
	return nil
}

func (e *Emulator) controlReset([]byte) (any, error) {
	e.Reset()
	return controlOK, nil
}

// controlUsers takes one User or a list of them.
func (e *Emulator) controlUsers(body []byte) (any, error) {
	var users []User
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '[' {
		if err := decodeControl(body, &users); err != nil {
			return nil, err
		}
	} else {
		var u User
		if err := decodeControl(body, &u); err != nil {
			return nil, err
		}
		users = []User{u}
	}
	for _, u := range users {
		if u.OpenID == "" {
			return nil, fmt.Errorf("user without openid")
		}
		if _, ok := wechat.ClientPlatformTypes[u.Platform]; u.Platform != "" && !ok {
			return nil, fmt.Errorf("user %s: platform %q is not 1, 2 or 3", u.OpenID, u.Platform)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, u := range users {
		e.addUserLocked(u)
	}
	e.persistLocked()
	return controlOK, nil
}

func (e *Emulator) controlQuota(body []byte) (any, error) {
	var req struct {
		Endpoint string `json:"endpoint"`
		Limit    *int   `json:"limit"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if req.Endpoint == "" || req.Limit == nil {
		return nil, fmt.Errorf("want {\"endpoint\": name, \"limit\": n}")
	}
	if !knownEndpoint(req.Endpoint) {
		return nil, fmt.Errorf("unknown endpoint %q", req.Endpoint)
	}
	e.SetQuota(req.Endpoint, *req.Limit)
	return controlOK, nil
}

func (e *Emulator) controlMaxConditional(body []byte) (any, error) {
	var req struct {
		Limit *int `json:"limit"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	if req.Limit == nil || *req.Limit < 0 {
		return nil, fmt.Errorf("want {\"limit\": n} with n ≥ 0")
	}
	e.SetMaxConditional(*req.Limit)
	return controlOK, nil
}

func (e *Emulator) controlAdvance(body []byte) (any, error) {
	var req struct {
		Seconds *float64 `json:"seconds"`
	}
	if err := decodeControl(body, &req); err != nil {
		return nil, err
	}
	// The bound keeps the duration within time.Duration (about 292 years).
	if req.Seconds == nil || !(*req.Seconds > 0) || *req.Seconds > 100*365*86400 || math.IsInf(*req.Seconds, 0) {
		return nil, fmt.Errorf("want {\"seconds\": s} with 0 < s ≤ 100 years")
	}
	e.Advance(time.Duration(*req.Seconds * float64(time.Second)))
	return controlOK, nil
}

func (e *Emulator) controlFaults(body []byte) (any, error) {
	var f Faults
	if err := decodeControl(body, &f); err != nil {
		return nil, err
	}
	for name, rate := range map[string]float64{"busy_rate": f.BusyRate, "drop_rate": f.DropRate, "http502_rate": f.HTTP502Rate} {
		if !(rate >= 0 && rate <= 1) {
			return nil, fmt.Errorf("%s must be between 0 and 1", name)
		}
	}
	if f.Latency < 0 {
		return nil, fmt.Errorf("latency must not be negative")
	}
	for _, name := range f.Endpoints {
		if !knownEndpoint(name) {
			return nil, fmt.Errorf("unknown endpoint %q", name)
		}
	}
	e.SetFaults(f)
	return controlOK, nil
}

func (e *Emulator) controlExpireTokens([]byte) (any, error) {
	e.ExpireTokens()
	return controlOK, nil
}

func (e *Emulator) controlCalls([]byte) (any, error) {
	return e.Calls(), nil
}

func (e *Emulator) controlSeedDemo([]byte) (any, error) {
	e.SeedDemo()
	return controlOK, nil
}

// controlStateView is what GET /_emulator/state shows. It never includes
// tokens or the app secret.
type controlStateView struct {
	Now            time.Time      `json:"now"`
	Menus          wechat.MenuSet `json:"menus"`
	Users          []User         `json:"users"`
	Calls          map[string]int `json:"calls"`
	QuotaDay       string         `json:"quota_day,omitempty"`
	QuotaUsed      map[string]int `json:"quota_used"`
	QuotaLimits    map[string]int `json:"quota_limits"`
	MaxConditional int            `json:"max_conditional"`
	Faults         Faults         `json:"faults"`
	ValidTokens    int            `json:"valid_tokens"`
	SaveError      string         `json:"save_error,omitempty"`
}

func (e *Emulator) controlState([]byte) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	v := controlStateView{
		Now:            e.now(),
		Menus:          e.menuSetLocked(),
		Users:          slices.Clone(e.users),
		Calls:          maps.Clone(e.calls),
		QuotaDay:       e.quotaDay,
		QuotaUsed:      maps.Clone(e.quotaUsed),
		QuotaLimits:    maps.Clone(e.quotas),
		MaxConditional: e.maxConditional,
		Faults:         e.faults,
	}
	if v.Users == nil {
		v.Users = []User{}
	}
	for _, rec := range e.tokens {
		now := e.now()
		if now.Before(rec.ExpiresAt) && (rec.InvalidAt.IsZero() || now.Before(rec.InvalidAt)) {
			v.ValidTokens++
		}
	}
	if e.saveErr != nil {
		v.SaveError = e.saveErr.Error()
	}
	return v, nil
}

// knownEndpoint reports whether name is an endpoint name of the API.
func knownEndpoint(name string) bool {
	for _, ep := range endpoints {
		if ep.name == name {
			return true
		}
	}
	return false
}
