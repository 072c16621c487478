package account_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// signalWriter collects what is written to it and closes seen the first
// time the text holds want.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
}

func newSignalWriter(want string) *signalWriter {
	return &signalWriter{want: want, seen: make(chan struct{})}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// lockProject is a project of two accounts whose sandbox state is in dir.
func lockProject(t *testing.T, dir string) *project.Project {
	t.Helper()
	src := "accounts:\n" +
		"  - {name: a, appid: wx00000000000000d1, file: a.yaml, secret_env: A_SECRET}\n" +
		"  - {name: b, appid: wx00000000000000d2, file: a.yaml, secret_env: B_SECRET}\n"
	p, err := project.Parse(filepath.Join(dir, "wxmenu.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type opened struct {
	api *wechat.Client
	err error
}

// TestSandboxRunsTakeTurns starts two --sandbox runs on one state file at
// once: the second waits, saying so, until the first ends, and the state
// then holds the changes of both.
func TestSandboxRunsTakeTurns(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state", "sandbox.json")
	p := lockProject(t, dir)

	first := account.Open(account.Spec{Sandbox: true, SandboxState: state, Project: p})
	defer first.Close()
	api1, err := first.Open(t.Context(), p.Accounts[0])
	if err != nil {
		t.Fatal(err)
	}

	notices := newSignalWriter("in use by another wxmenu run")
	second := account.Open(account.Spec{Sandbox: true, SandboxState: state, Project: p, Notices: notices, SandboxLockWait: time.Hour})
	defer second.Close()
	done := make(chan opened, 1)
	go func() {
		api, err := second.Open(context.Background(), p.Accounts[1])
		done <- opened{api, err}
	}()
	var got opened
	waited := false
	select {
	case <-notices.seen:
		waited = true
	case got = <-done:
		t.Errorf("the second run opened the sandbox state while the first had it open (err %v)", got.err)
	case <-time.After(time.Minute):
		t.Fatal("the second run neither opened the sandbox state nor said it waits")
	}
	if waited && !strings.Contains(notices.String(), state) {
		t.Errorf("the waiting notice does not name the state file %s: %q", state, notices.String())
	}

	if err := api1.DeleteMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	first.Close()
	if waited {
		got = <-done
	}
	if got.err != nil {
		t.Fatal(got.err)
	}
	if err := got.api.DeleteMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	second.Close()

	emu, err := wechattest.Load(state, wechattest.Config{})
	if err != nil {
		t.Fatalf("the state does not load after both runs: %v", err)
	}
	for _, a := range p.Accounts {
		if m := emu.Account(a.AppID).Menus(); m.Default != nil {
			t.Errorf("account %s still has its menu: a run's change was lost", a.Name)
		}
	}
}

// TestSandboxInUseRefuses: a run that waits no longer than
// SandboxLockWait for the state another run has open fails, naming the
// file, and changes nothing; so do sandbox serve and sandbox reset.
func TestSandboxInUseRefuses(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox.json")
	p := lockProject(t, dir)
	first := account.Open(account.Spec{Sandbox: true, SandboxState: state, Project: p})
	defer first.Close()
	api1, err := first.Open(t.Context(), p.Accounts[0])
	if err != nil {
		t.Fatal(err)
	}

	second := account.Open(account.Spec{Sandbox: true, SandboxState: state, Project: p, SandboxLockWait: time.Millisecond})
	defer second.Close()
	if _, err := second.Open(t.Context(), p.Accounts[1]); err == nil {
		t.Error("a second run opened the sandbox state the first has open")
	} else if want := "the sandbox state " + state + " is in use by another wxmenu run"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %q, want it to say %q", err, want)
	}

	// The bound only ends a server that, wrongly, started.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	err = account.Serve(ctx, account.ServeSpec{Addr: "127.0.0.1:0", StatePath: state, LockWait: time.Millisecond}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "is in use by another wxmenu run") {
		t.Errorf("sandbox serve on the state in use: err = %v", err)
	}
	if err := account.ResetSandboxWaiting(state, time.Millisecond, io.Discard); err == nil || !strings.Contains(err.Error(), "is in use by another wxmenu run") {
		t.Errorf("sandbox reset of the state in use: err = %v", err)
	}

	// The first run is unharmed.
	if err := api1.DeleteMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	first.Close()
	emu, err := wechattest.Load(state, wechattest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if emu.Account(p.Accounts[0].AppID).Menus().Default != nil || emu.Account(p.Accounts[1].AppID).Menus().Default == nil {
		t.Error("the state is not the first run's")
	}
	// Once it ended, reset can take the state.
	if err := account.ResetSandbox(state); err != nil {
		t.Fatal(err)
	}
}
