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
//
// Routes that act on one account take it as ?appid=…; without it they act
// on the default account. An unknown appid is a bad request.
var controlRoutes = map[string]struct {
	method string
	serve  func(*Emulator, *controlCall) (any, error) // a nil answer is {"ok":true}
}{
	"reset":           {http.MethodPost, done(func(e *Emulator, _ *controlCall) { e.Reset() })},
	"users":           {http.MethodPost, (*Emulator).controlUsers},
	"quota":           {http.MethodPost, withBody((*Emulator).controlQuota)},
	"max-conditional": {http.MethodPost, withBody((*Emulator).controlMaxConditional)},
	"clock/advance":   {http.MethodPost, withBody((*Emulator).controlAdvance)},
	"faults":          {http.MethodPost, withBody((*Emulator).controlFaults)},
	"tokens/expire":   {http.MethodPost, done(func(e *Emulator, _ *controlCall) { e.ExpireTokens() })},
	"tokens/issue":    {http.MethodPost, (*Emulator).controlIssueToken},
	"calls":           {http.MethodGet, func(e *Emulator, _ *controlCall) (any, error) { return e.Calls(), nil }},
	"state":           {http.MethodGet, (*Emulator).controlState},
	"seed-demo":       {http.MethodPost, done(func(_ *Emulator, cc *controlCall) { cc.account.SeedDemo() })},

	"accounts":              {http.MethodGet, (*Emulator).controlAccounts},
	"account":               {http.MethodPost, (*Emulator).controlAccount},
	"console-menu":          {http.MethodPost, withBody((*Emulator).controlConsoleMenu)},
	"platform/ticket":       {http.MethodGet, ticketRoute((*Emulator).Ticket)},
	"platform/ticket/push":  {http.MethodPost, ticketRoute((*Emulator).RotateTicket)},
	"platform/fault":        {http.MethodPost, withBody((*Emulator).controlPlatformFault)},
	"platform/reauthorize":  {http.MethodPost, (*Emulator).controlReauthorize},
	"platform/ip-whitelist": {http.MethodPost, withBody((*Emulator).controlPlatformWhitelist)},
}

// controlIssueToken answers an access token of the account (IssueToken),
// as a token service would hand it out: {"access_token": …, "expires_in": N}.
func (e *Emulator) controlIssueToken(cc *controlCall) (any, error) {
	return struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}{cc.account.IssueToken(), int(e.cfg.TokenLifetime / time.Second)}, nil
}

// done serves a route that answers {"ok":true}.
func done(serve func(*Emulator, *controlCall)) func(*Emulator, *controlCall) (any, error) {
	return func(e *Emulator, cc *controlCall) (any, error) {
		serve(e, cc)
		return nil, nil
	}
}

// withBody serves a route whose request body decodes (decodeControl) into
// a T.
func withBody[T any](serve func(*Emulator, *controlCall, *T) (any, error)) func(*Emulator, *controlCall) (any, error) {
	return func(e *Emulator, cc *controlCall) (any, error) {
		var req T
		if err := decodeControl(cc.body, &req); err != nil {
			return nil, err
		}
		return serve(e, cc, &req)
	}
}

// ticketRoute answers {"component_verify_ticket": …} with the ticket get
// returns.
func ticketRoute(get func(*Emulator) string) func(*Emulator, *controlCall) (any, error) {
	return func(e *Emulator, _ *controlCall) (any, error) {
		t := get(e)
		if t == "" {
			return nil, errNoPlatform
		}
		return struct {
			Ticket string `json:"component_verify_ticket"`
		}{t}, nil
	}
}

// controlCall is one control request: its body and the account it names.
type controlCall struct {
	body    []byte
	account *Account
	named   bool // ?appid= was given
}

type controlError struct {
	Error string `json:"error"`
}

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
	cc := &controlCall{body: body, account: e.Default()}
	if id := r.URL.Query().Get("appid"); id != "" {
		cc.account, cc.named = e.Account(id), true
		if cc.account == nil {
			writeJSON(w, http.StatusBadRequest, controlError{fmt.Sprintf("no account with appid %q", id)})
			return
		}
	}
	out, err := route.serve(e, cc)
	switch {
	case err != nil:
		writeJSON(w, http.StatusBadRequest, controlError{err.Error()})
	case out == nil:
		writeJSON(w, http.StatusOK, struct {
			OK bool `json:"ok"`
		}{true})
	default:
		writeJSON(w, http.StatusOK, out)
	}
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

// controlUsers takes one User or a list of them.
func (e *Emulator) controlUsers(cc *controlCall) (any, error) {
	body := bytes.TrimSpace(cc.body)
	if len(body) > 0 && body[0] != '[' {
		body = slices.Concat([]byte("["), body, []byte("]")) // one user is a list of one
	}
	var users []User
	if err := decodeControl(body, &users); err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.OpenID == "" {
			return nil, fmt.Errorf("user without openid")
		}
		if _, ok := wechat.ClientPlatformName(u.Platform); u.Platform != "" && !ok {
			return nil, fmt.Errorf("user %s: platform %q is not 1, 2 or 3", u.OpenID, u.Platform)
		}
	}
	cc.account.change(func(a *acct) {
		for _, u := range users {
			a.addUserLocked(u)
		}
	})
	return nil, nil
}

func (e *Emulator) controlQuota(cc *controlCall, req *struct {
	Endpoint string `json:"endpoint"`
	Limit    *int   `json:"limit"`
}) (any, error) {
	if req.Endpoint == "" || req.Limit == nil {
		return nil, fmt.Errorf("want {\"endpoint\": name, \"limit\": n}")
	}
	if !knownEndpoint(req.Endpoint) {
		return nil, fmt.Errorf("unknown endpoint %q", req.Endpoint)
	}
	cc.account.SetQuota(req.Endpoint, *req.Limit)
	return nil, nil
}

func (e *Emulator) controlMaxConditional(cc *controlCall, req *struct {
	Limit *int `json:"limit"`
}) (any, error) {
	if req.Limit == nil || *req.Limit < 0 {
		return nil, fmt.Errorf("want {\"limit\": n} with n ≥ 0")
	}
	cc.account.SetMaxConditional(*req.Limit)
	return nil, nil
}

func (e *Emulator) controlAdvance(_ *controlCall, req *struct {
	Seconds *float64 `json:"seconds"`
}) (any, error) {
	// The bound keeps the duration within time.Duration (about 292 years).
	if req.Seconds == nil || !(*req.Seconds > 0) || *req.Seconds > 100*365*86400 || math.IsInf(*req.Seconds, 0) {
		return nil, fmt.Errorf("want {\"seconds\": s} with 0 < s ≤ 100 years")
	}
	e.Advance(time.Duration(*req.Seconds * float64(time.Second)))
	return nil, nil
}

func (e *Emulator) controlFaults(_ *controlCall, f *Faults) (any, error) {
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
	e.SetFaults(*f)
	return nil, nil
}

// controlStateView is what GET /_emulator/state shows. It never includes
// tokens or the app secret.
type controlStateView struct {
	AppID          string         `json:"appid"`
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

	Tags        []storedTag     `json:"tags"`
	ConsoleMenu []wechat.Button `json:"console_menu,omitempty"`
	Settings    AccountSettings `json:"settings"`
	Platform    *platformView   `json:"platform,omitempty"`
}

// platformView is the account's authorization as the state shows it;
// never the refresh token.
type platformView struct {
	Authorized bool  `json:"authorized"`
	FuncInfo   []int `json:"func_info"`
	Fault      int   `json:"fault,omitempty"`
}

func (e *Emulator) controlState(cc *controlCall) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := cc.account.a
	v := controlStateView{
		AppID:          a.appID,
		Now:            e.now(),
		Menus:          a.menuSetLocked(),
		Users:          append([]User{}, a.Users...),
		Calls:          maps.Clone(e.calls),
		QuotaDay:       a.QuotaDay,
		QuotaUsed:      maps.Clone(a.QuotaUsed),
		QuotaLimits:    maps.Clone(a.quotas),
		MaxConditional: a.maxConditional,
		Faults:         e.faults,
		Tags:           append([]storedTag{}, a.Tags...),
		ConsoleMenu:    a.ConsoleMenu,
		Settings:       a.settings.clone(),
	}
	if e.platform != nil {
		v.Platform = &platformView{Authorized: a.Auth.Authorized, FuncInfo: slices.Clone(a.Auth.FuncInfo), Fault: a.Auth.Fault}
	}
	for _, rec := range a.Tokens {
		if tokenAnswer(rec, e.now()) == nil {
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
	return slices.ContainsFunc(slices.Collect(maps.Values(endpoints)), func(ep *endpoint) bool { return ep.name == name })
}

func (e *Emulator) controlAccounts(*controlCall) (any, error) {
	return struct {
		AppIDs []string `json:"appids"`
	}{e.AppIDs()}, nil
}

// controlAccount changes the account's settings: the fields given replace
// the current ones, the others stay (decoding into the current settings
// sets only the fields the body has).
func (e *Emulator) controlAccount(cc *controlCall) (any, error) {
	s := cc.account.Settings()
	if err := decodeControl(cc.body, &s); err != nil {
		return nil, err
	}
	return s, cc.account.SetSettings(s)
}

// controlConsoleMenu takes {"button":[…]} in menu/create's shape and makes
// it the account's console-published menu; {"button":[]} removes it.
func (e *Emulator) controlConsoleMenu(cc *controlCall, req *struct {
	Buttons *[]wechat.Button `json:"button"`
}) (any, error) {
	if req.Buttons == nil {
		return nil, fmt.Errorf("want {\"button\": [...]}")
	}
	for _, b := range *req.Buttons {
		if b.Name == "" {
			return nil, fmt.Errorf("button without a name")
		}
	}
	cc.account.SetConsoleMenu(*req.Buttons)
	return nil, nil
}

// controlPlatformFault takes {"errcode": n}: for the platform without
// ?appid= (61004, 61005, 61006), for one authorizer with it (61003, 61007,
// 61023); 0 clears.
func (e *Emulator) controlPlatformFault(cc *controlCall, req *struct {
	Code *int `json:"errcode"`
}) (any, error) {
	if req.Code == nil {
		return nil, fmt.Errorf("want {\"errcode\": n}")
	}
	if cc.named {
		return nil, cc.account.SetPlatformFault(*req.Code)
	}
	return nil, e.SetPlatformFault(*req.Code)
}

func (e *Emulator) controlReauthorize(cc *controlCall) (any, error) {
	if err := e.withPlatform(func(*platformState) error { return nil }); err != nil {
		return nil, err
	}
	cc.account.Reauthorize()
	return nil, nil
}

// controlPlatformWhitelist replaces the platform's IP whitelist with
// {"ip_whitelist": [...]} (IPs or CIDR prefixes); [] allows every caller.
func (e *Emulator) controlPlatformWhitelist(_ *controlCall, req *struct {
	IPs *[]string `json:"ip_whitelist"`
}) (any, error) {
	if req.IPs == nil {
		return nil, fmt.Errorf("want {\"ip_whitelist\": [...]}")
	}
	if err := (AccountSettings{IPWhitelist: *req.IPs}).validate(); err != nil {
		return nil, err
	}
	return nil, e.withPlatform(func(p *platformState) error { p.cfg.IPWhitelist = *req.IPs; return nil })
}
