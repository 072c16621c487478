package wechattest

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// call is one /cgi-bin request as the endpoint handlers see it.
type call struct {
	method   string
	query    url.Values
	body     []byte
	remoteIP string // the caller's IP, for IP whitelists (40164, 61004)
}

// API groups: what an account kind or a platform grant decides on. Token
// and component endpoints have none: they name their account or platform.
const (
	groupMenu        = "menu"        // menu/create, get, delete
	groupConditional = "conditional" // addconditional, delconditional, trymatch
	groupSelfMenu    = "selfmenu"    // get_current_selfmenu_info
	groupTags        = "tags"        // user-tag API
)

// endpoint describes one /cgi-bin API.
type endpoint struct {
	name     string
	group    string
	getErr   int  // errcode answering a GET of a POST-only endpoint; 0: any method
	mutating bool // changes menus; subject to drop faults
	// saveLater: the call changes nothing but quota counters and tokens,
	// which are saved with the next change (so a plan of many accounts
	// costs no write of the state per token).
	saveLater bool
	serve     func(*acct, *call) any
	// serveTop serves token and component endpoints, which name their
	// account (or platform) in the request instead of an access_token.
	serveTop func(*Emulator, *call) any
}

// endpoints maps each /cgi-bin path to its API.
var endpoints = map[string]*endpoint{
	"/cgi-bin/token":                     {name: "cgi-bin/token", saveLater: true, serveTop: (*Emulator).serveToken},
	"/cgi-bin/stable_token":              {name: "cgi-bin/stable_token", saveLater: true, serveTop: (*Emulator).serveStableToken},
	"/cgi-bin/menu/create":               {name: "menu/create", group: groupMenu, getErr: wechat.CodePostRequired, mutating: true, serve: (*acct).serveCreate},
	"/cgi-bin/menu/get":                  {name: "menu/get", saveLater: true, group: groupMenu, serve: (*acct).serveGet},
	"/cgi-bin/menu/delete":               {name: "menu/delete", group: groupMenu, mutating: true, serve: (*acct).serveDelete},
	"/cgi-bin/menu/addconditional":       {name: "menu/addconditional", group: groupConditional, getErr: wechat.CodePostRequired, mutating: true, serve: (*acct).serveAddConditional},
	"/cgi-bin/menu/delconditional":       {name: "menu/delconditional", group: groupConditional, getErr: wechat.CodePostRequired, mutating: true, serve: (*acct).serveDelConditional},
	"/cgi-bin/get_current_selfmenu_info": {name: "get_current_selfmenu_info", saveLater: true, group: groupSelfMenu, serve: (*acct).serveSelfMenuInfo},
	// trymatch answers a GET with 44002, as observed [issue:WxJava#125]; the
	// other POST-only endpoints answer 43002 "require POST method".
	"/cgi-bin/menu/trymatch": {name: "menu/trymatch", saveLater: true, group: groupConditional, getErr: wechat.CodeEmptyPostBody, serve: decoded((*acct).serveTryMatch)},

	// User tags (tags.go).
	"/cgi-bin/tags/create":                 {name: "tags/create", group: groupTags, getErr: wechat.CodePostRequired, serve: decoded((*acct).serveTagCreate)},
	"/cgi-bin/tags/get":                    {name: "tags/get", saveLater: true, group: groupTags, serve: (*acct).serveTagGet},
	"/cgi-bin/tags/update":                 {name: "tags/update", group: groupTags, getErr: wechat.CodePostRequired, serve: decoded((*acct).serveTagUpdate)},
	"/cgi-bin/tags/delete":                 {name: "tags/delete", group: groupTags, getErr: wechat.CodePostRequired, serve: decoded((*acct).serveTagDelete)},
	"/cgi-bin/tags/members/batchtagging":   {name: "tags/members/batchtagging", group: groupTags, getErr: wechat.CodePostRequired, serve: decoded(batchTag(true))},
	"/cgi-bin/tags/members/batchuntagging": {name: "tags/members/batchuntagging", group: groupTags, getErr: wechat.CodePostRequired, serve: decoded(batchTag(false))},
	"/cgi-bin/tags/getidlist":              {name: "tags/getidlist", saveLater: true, group: groupTags, getErr: wechat.CodePostRequired, serve: decoded((*acct).serveTagIDList)},
	"/cgi-bin/user/tag/get":                {name: "user/tag/get", saveLater: true, group: groupTags, getErr: wechat.CodePostRequired, serve: decoded((*acct).serveTagUsers)},

	// Third-party platform (platform.go).
	"/cgi-bin/component/api_component_token":     {name: "component/api_component_token", saveLater: true, serveTop: (*Emulator).serveComponentToken},
	"/cgi-bin/component/api_authorizer_token":    {name: "component/api_authorizer_token", saveLater: true, serveTop: (*Emulator).serveAuthorizerToken},
	"/cgi-bin/component/api_get_authorizer_list": {name: "component/api_get_authorizer_list", saveLater: true, serveTop: (*Emulator).serveAuthorizerList},
	"/cgi-bin/component/api_get_authorizer_info": {name: "component/api_get_authorizer_info", saveLater: true, serveTop: (*Emulator).serveAuthorizerInfo},
	"/cgi-bin/component/api_query_auth":          {name: "component/api_query_auth", serveTop: (*Emulator).serveQueryAuth},
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
		e.mu.Lock()
		now := e.now()
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, withRequestID(errAnswer(wechat.CodeSystemBusy), now))
		return
	}

	c := &call{method: r.Method, query: r.URL.Query(), body: body, remoteIP: remoteIP(r)}
	if fault.late {
		e.deliverLate(r, ep, c, fault.lateDelay)
		return
	}
	e.mu.Lock()
	answer := withRequestID(e.answerPersistedLocked(ep, c), e.now())
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
	if r := e.recorder; r != nil && ep.mutating {
		defer r.recordLocked(ep.name, e.menuIDsLocked())
	}
	if e.cfg.StatePath == "" || ep.saveLater {
		// A read changes only quota counters (and forgets dead tokens), a
		// token call only tokens; they are saved with the next change, so
		// they cost no write.
		return e.answerLocked(ep, c)
	}
	// Only what the call touches is copied for the undo: the account its
	// token names (changingLocked) and the platform of a component call.
	undo := &undoLog{accounts: map[*acct]accountState{}}
	if p := e.platform; p != nil && ep.serveTop != nil {
		undo.platform, undo.hasPlatform = p.platformFile.clone(), true
		e.platformDirty = true
	}
	e.undo = undo
	answer := e.answerLocked(ep, c)
	e.undo = nil
	err := e.journalLocked()
	e.saveErr = err
	if err != nil {
		e.rollbackLocked(undo)
		// WeChat's -1, with the cause for whoever runs the emulator (a
		// full disk must not read as a mere "system error").
		return &apiError{wechat.CodeSystemBusy, wechat.ErrorMessage(wechat.CodeSystemBusy) + " (the emulator could not save its state: " + err.Error() + ")"}
	}
	return answer
}

// answerLocked checks, in this order, the access token (which names the
// account), the caller IP (40164), the account's and the platform's right
// to the API (48001, 65306, 61003, 61007), the daily quota and the method,
// then runs the endpoint. Quotas count every call that passed those checks,
// whatever its outcome. The order of the access checks is a choice: WeChat
// documents none.
func (e *Emulator) answerLocked(ep *endpoint, c *call) any {
	if ep.serveTop != nil {
		return ep.serveTop(e, c)
	}
	a, rec, err := e.accountOfTokenLocked(c.query.Get("access_token"))
	if err != nil {
		return err
	}
	if err := a.checkAccessLocked(ep, c, rec); err != nil {
		return err
	}
	if err := a.spendQuotaLocked(ep.name); err != nil {
		return err
	}
	if ep.getErr != 0 && c.method != http.MethodPost {
		return errAnswer(ep.getErr)
	}
	return ep.serve(a, c)
}
