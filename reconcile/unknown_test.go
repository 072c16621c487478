package reconcile_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// TestApplyStopsAtUnknownCreate loses a create's request in the two ways a
// client cannot tell apart: lost before WeChat saw it, and held by WeChat's
// front end and applied after the client gave up (the late-delivery fault).
// Either way the re-read does not show the menu, and apply stops with the
// outcome unknown instead of re-sending: a re-sent create that lands next to
// the late one leaves the menu twice. The next plan and apply converge with
// no duplicate.
func TestApplyStopsAtUnknownCreate(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		step     int
		late     bool
	}{
		{"create lost before arrival", "menu/create", 0, false},
		{"addconditional lost before arrival", "menu/addconditional", 1, false},
		{"create delivered late", "menu/create", 0, true},
		{"addconditional delivered late", "menu/addconditional", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAccount(t)
			if tt.late {
				// The client gives up on the create after 100ms; the held
				// request lands a second after it arrived, long after apply
				// has re-read. Only the create has a deadline, so a busy
				// machine cannot make the re-read time out as well.
				hc := &http.Client{Transport: giveUpOn{endpoint: tt.endpoint, after: 100 * time.Millisecond}}
				c, err := wechat.New(wechat.WithBaseURLs(a.url), wechat.WithCredentials(testAppID, testSecret),
					wechat.WithRetry(1, 0, 0), wechat.WithHTTPClient(hc))
				if err != nil {
					t.Fatal(err)
				}
				a.client = c
			}
			ds := loadBasic(t)
			ids := a.demoIDs()
			p := a.plan(ds, reconcile.SafetyOptions{})
			if tt.late {
				a.emu.SetFaults(wechattest.Faults{LateRate: 1, LateDelay: time.Second, Endpoints: []string{tt.endpoint}})
			} else {
				a.front.loseNext(tt.endpoint, 1)
			}
			sentBefore := a.front.requestsTo(tt.endpoint)

			res, err := a.apply(p, ds, reconcile.ApplyOptions{})
			var unknown *reconcile.OutcomeUnknownError
			if !errors.As(err, &unknown) || !errors.Is(err, wechat.ErrOutcomeUnknown) {
				t.Fatalf("Apply: %v, want an outcome-unknown error", err)
			}
			var partial *reconcile.PartialError
			if !errors.As(err, &partial) {
				t.Errorf("Apply: %T, want a *PartialError (exit 4)", err)
			}
			want := basicSteps(ids, plans.OutcomeNotRun)
			for i := range tt.step {
				want[i].Outcome = plans.OutcomeDone
			}
			want[tt.step] = stepSummary{Action: want[tt.step].Action, Outcome: plans.OutcomeUnknown, Reread: true, Err: true}
			if diff := cmp.Diff(want, summarize(res)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if got := a.front.requestsTo(tt.endpoint) - sentBefore; got != 1 {
				t.Errorf("%d requests to %s, want 1 (never re-sent)", got, tt.endpoint)
			}

			a.emu.SetFaults(wechattest.Faults{})
			if tt.late {
				a.emu.WaitLate() // the held create lands now
				checkNoDuplicates(t, a)
			}
			next := a.plan(ds, reconcile.SafetyOptions{})
			if _, err := a.apply(next, ds, reconcile.ApplyOptions{}); err != nil {
				t.Fatalf("second apply: %v", err)
			}
			checkNoDuplicates(t, a)
			a.checkConverged(ds)
		})
	}
}

// giveUpOn is a transport that abandons requests to one endpoint after a
// deadline, as a client with that timeout would, and lets every other
// request take as long as it takes.
type giveUpOn struct {
	endpoint string // e.g. "menu/create"
	after    time.Duration
}

func (g giveUpOn) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.TrimPrefix(r.URL.Path, "/cgi-bin/") != g.endpoint {
		return http.DefaultTransport.RoundTrip(r)
	}
	ctx, cancel := context.WithTimeout(r.Context(), g.after)
	resp, err := http.DefaultTransport.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

// cancelOnClose ends a request's deadline when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// checkNoDuplicates fails when two live conditional menus have the same
// matchrule and buttons.
func checkNoDuplicates(t *testing.T, a *account) {
	t.Helper()
	seen := map[string]string{}
	for _, m := range a.emu.Menus().Conditional {
		key := string(canon.JSON(m.MatchRule)) + " " + canon.CanonicalButtons(m.Buttons)
		if id, dup := seen[key]; dup {
			t.Errorf("menus %s and %s are the same menu twice", id, m.MenuID)
		}
		seen[key] = m.MenuID
	}
}

// TestLateDeliveryFault shows the fault itself: the client sees a failure,
// the account does not hold the menu when the client gives up, and it does
// once the held request lands.
func TestLateDeliveryFault(t *testing.T) {
	emu := wechattest.New(wechattest.Config{AppID: testAppID, Secret: testSecret, Seed: 3})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	c, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithCredentials(testAppID, testSecret),
		wechat.WithRetry(1, 0, 0), wechat.WithHTTPClient(&http.Client{Transport: giveUpOn{endpoint: "menu/create", after: 100 * time.Millisecond}}))
	if err != nil {
		t.Fatal(err)
	}
	emu.SetFaults(wechattest.Faults{LateRate: 1, LateDelay: 50 * time.Millisecond, Endpoints: []string{"menu/create"}})
	err = c.CreateMenu(t.Context(), extraButtons)
	if !errors.Is(err, wechat.ErrOutcomeUnknown) {
		t.Fatalf("CreateMenu: %v, want outcome unknown", err)
	}
	emu.WaitLate()
	got := emu.Menus()
	if got.Default == nil || canon.CanonicalButtons(got.Default.Buttons) != canon.CanonicalButtons(extraButtons) {
		t.Errorf("after the late delivery the default menu is %+v, want the created one", got.Default)
	}
}
