package wechattest

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// call is one /cgi-bin request as the endpoint handlers see it.
type call struct {
	method string
	query  url.Values
	body   []byte
}

// endpoint describes one /cgi-bin API.
type endpoint struct {
	name     string
	postOnly bool
	getErr   *apiError // answer to a non-POST call of a POST-only endpoint
	mutating bool      // changes menus; subject to drop faults
	token    bool      // a token endpoint: checks app credentials, not an access_token
	serve    func(*Emulator, *call) any
}

// endpoints maps each /cgi-bin path to its API.
var endpoints = map[string]*endpoint{
	"/cgi-bin/token":                     {name: "cgi-bin/token", token: true, serve: (*Emulator).serveToken},
	"/cgi-bin/stable_token":              {name: "cgi-bin/stable_token", token: true, serve: (*Emulator).serveStableToken},
	"/cgi-bin/menu/create":               {name: "menu/create", postOnly: true, getErr: errRequirePOST, mutating: true, serve: (*Emulator).serveCreate},
	"/cgi-bin/menu/get":                  {name: "menu/get", serve: (*Emulator).serveGet},
	"/cgi-bin/menu/delete":               {name: "menu/delete", mutating: true, serve: (*Emulator).serveDelete},
	"/cgi-bin/menu/addconditional":       {name: "menu/addconditional", postOnly: true, getErr: errRequirePOST, mutating: true, serve: (*Emulator).serveAddConditional},
	"/cgi-bin/menu/delconditional":       {name: "menu/delconditional", postOnly: true, getErr: errRequirePOST, mutating: true, serve: (*Emulator).serveDelConditional},
	"/cgi-bin/get_current_selfmenu_info": {name: "get_current_selfmenu_info", serve: (*Emulator).serveSelfMenuInfo},
	// trymatch answers a GET with 44002, as observed [issue:WxJava#125]; the
	// other POST-only endpoints answer 43002 "require POST method".
	"/cgi-bin/menu/trymatch": {name: "menu/trymatch", postOnly: true, getErr: errEmptyPostData, serve: (*Emulator).serveTryMatch},
}

// controlPrefix is where the emulator's own control surface lives.
const controlPrefix = "/_emulator/"

// ServeHTTP serves the WeChat API under /cgi-bin/ and the control surface
// under /_emulator/; every other path is 404.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		e.serveControl(w, r)
		return
	}
	ep := endpoints[r.URL.Path]
	if ep == nil {
		http.NotFound(w, r)
		return
	}
	e.serveAPI(w, r, ep)
}

// serveAPI runs one API call: count it, inject faults, then answer under
// the lock and save the state.
func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request, ep *endpoint) {
	body, err := readBody(r)
	if err != nil {
		return // the client is gone
	}
	e.mu.Lock()
	e.calls[ep.name]++
	fault := e.rollFaultLocked(ep)
	e.mu.Unlock()

	if fault.latency > 0 {
		t := time.NewTimer(fault.latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	switch {
	case fault.badGateway:
		writeBadGateway(w)
		return
	case fault.busy:
		writeJSON(w, http.StatusOK, errSystemBusy)
		return
	}

	c := &call{method: r.Method, query: r.URL.Query(), body: body}
	e.mu.Lock()
	answer := e.answerPersistedLocked(ep, c)
	e.mu.Unlock()

	if fault.drop {
		DropResponse(w)
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

// answerPersistedLocked answers the call and saves the state. When the save
// fails the call is undone and answered -1 "system busy", which clients
// rightly read as "no effect, retry". This is the more faithful of the two
// honest answers: -1 is WeChat's documented "retry later" answer, read as
// "not done" (UNCONFIRMED for mutations, see wechat.APIError.Retryable), and
// HTTP 500 with the change kept would leave memory and file disagreeing and
// make every client treat the call as "outcome unknown", an answer WeChat is
// not known to give for its own storage failures.
func (e *Emulator) answerPersistedLocked(ep *endpoint, c *call) any {
	if e.cfg.StatePath == "" {
		return e.answerLocked(ep, c)
	}
	before := e.snapshotLocked()
	answer := e.answerLocked(ep, c)
	if err := e.persistLocked(); err != nil {
		e.rollbackLocked(before)
		return errSystemBusy
	}
	return answer
}

// answerLocked checks the access token, the daily quota and the method, in
// that order, then runs the endpoint. Quotas count every call that passed
// authentication, whatever its outcome.
func (e *Emulator) answerLocked(ep *endpoint, c *call) any {
	e.pruneTokensLocked()
	if ep.token {
		return ep.serve(e, c)
	}
	if err := e.checkTokenLocked(c.query.Get("access_token")); err != nil {
		return err
	}
	if err := e.spendQuotaLocked(ep.name); err != nil {
		return err
	}
	if ep.postOnly && c.method != http.MethodPost {
		return ep.getErr
	}
	return ep.serve(e, c)
}
