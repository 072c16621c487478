package watch_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/internal/plantest"
	"github.com/wxmenu/wxmenu/reconcile/notify"
	"github.com/wxmenu/wxmenu/reconcile/watch"
)

// TestTrackInChinese posts a change to a WeCom robot and a plain webhook
// in zh-CN: the robot's message and the drift's cause are Chinese, the
// JSON body is the English every language posts.
func TestTrackInChinese(t *testing.T) {
	var mu sync.Mutex
	bodies := map[string]string{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies[r.URL.Path] = string(b)
		mu.Unlock()
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	defer hook.Close()
	var targets []notify.Target
	for _, raw := range []string{strings.Replace(hook.URL, "http://", "wecom+http://", 1) + "/robot?key=k", hook.URL + "/json"} {
		target, err := notify.ParseTarget(raw)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, target)
	}
	plan := plantest.Plans(t)["rich"]
	last := &audit.Apply{ID: "20250301-ab12", AppID: plan.AppID, Time: time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC), Outcome: "failed"}
	drift := reconcile.DriftOf(&reconcile.Result{Status: reconcile.StatusChanges, Plan: plan}, last)
	state, err := watch.LoadState("")
	if err != nil {
		t.Fatal(err)
	}
	checked := []watch.Checked{{Account: "shop", AppID: plan.AppID, Drift: drift}}
	changes, errs := watch.Track(context.Background(), state, checked, targets, i18n.New(i18n.Chinese), hook.Client(), last.Time)
	if len(errs) > 0 || len(changes) != 1 {
		t.Fatalf("%d changes, errors %v", len(changes), errs)
	}
	var robot struct{ Markdown struct{ Content string } }
	if err := json.Unmarshal([]byte(bodies["/robot"]), &robot); err != nil {
		t.Fatal(err)
	}
	want := "**wxmenu drift**: 1 个账号的状态有变化\n- **shop**: 无 → pending: 上次应用（20250301-ab12，2025-03-01 08:30 UTC）没有完成（failed）；请重新生成计划并应用"
	if diff := cmp.Diff(want, robot.Markdown.Content); diff != "" {
		t.Errorf("the robot's message (-want +got):\n%s", diff)
	}
	var plain struct{ Changes []notify.Change }
	if err := json.Unmarshal([]byte(bodies["/json"]), &plain); err != nil {
		t.Fatal(err)
	}
	if len(plain.Changes) != 1 || plain.Changes[0].Summary != drift.Cause || !strings.HasPrefix(drift.Cause, "the last apply (20250301-ab12") {
		t.Errorf("the JSON body's summary is not the English cause %q: %s", drift.Cause, bodies["/json"])
	}
}
