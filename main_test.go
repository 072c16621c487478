package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"wxmenu": func() { os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script/*.txtar, each in its
// own directory with its own sandbox account and state directory.
func TestScripts(t *testing.T) {
	examples, err := filepath.Abs("examples")
	if err != nil {
		t.Fatal(err)
	}
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("EXAMPLES", examples)
			env.Setenv("TESTDATA", testdata)
			env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, ".state"))
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":   cmdExitcode,
			"waitfile":   cmdWaitfile,
			"apibase":    cmdAPIBase,
			"editfile":   cmdEditfile,
			"emulator":   cmdEmulator,
			"control":    cmdControl,
			"resealplan": cmdResealplan,
			"webhook":    cmdWebhook,
			"countlines": cmdCountlines,
			"setfield":   cmdSetfield,
		},
	})
}

// cmdExitcode runs a command and checks its exact exit code:
// exitcode 2 wxmenu plan ...
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("bad exit code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdWaitfile waits up to 10s for a file to exist and be non-empty (a
// background server writes its address there).
func cmdWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile FILE")
	}
	path := ts.MkAbs(args[0])
	for i := 0; i < 200; i++ {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("%s did not appear", args[0])
}

// cmdAPIBase points WECHAT_API_BASE at the address written in FILE.
func cmdAPIBase(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: apibase ADDRFILE")
	}
	addr := strings.TrimSpace(ts.ReadFile(args[0]))
	ts.Setenv("WECHAT_API_BASE", fmt.Sprintf("http://%s", addr))
	ts.Setenv("SERVER", addr)
}

// cmdEditfile replaces the first occurrence of OLD with NEW in FILE.
func cmdEditfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: editfile FILE OLD NEW")
	}
	data := ts.ReadFile(args[0])
	if !strings.Contains(data, args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Replace(data, args[1], args[2], 1)), 0o644))
}

// cmdWebhook starts a loopback webhook receiver for the rest of the script:
// each request body is appended to FILE as one line, and $WEBHOOK is its
// URL.
func cmdWebhook(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: webhook FILE")
	}
	path := ts.MkAbs(args[0])
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			f.Write(append(bytes.TrimSpace(body), '\n'))
			f.Close()
		}
	}))
	ts.Defer(srv.Close)
	ts.Setenv("WEBHOOK", srv.URL)
}

// cmdCountlines checks that FILE has exactly N lines (a missing file has
// none).
func cmdCountlines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: countlines FILE N")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	if err != nil && !os.IsNotExist(err) {
		ts.Fatalf("%v", err)
	}
	if got := strconv.Itoa(strings.Count(string(data), "\n")); got != args[1] {
		ts.Fatalf("%s has %s lines, want %s:\n%s", args[0], got, args[1], data)
	}
}

// cmdSetfield sets VAR to the COL-th whitespace-separated field (from 1)
// of line LINE (from 1) of FILE: setfield stdout 2 1 ID.
func cmdSetfield(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: setfield FILE LINE COL VAR")
	}
	line, _ := strconv.Atoi(args[1])
	col, _ := strconv.Atoi(args[2])
	lines := strings.Split(ts.ReadFile(args[0]), "\n")
	if line < 1 || line > len(lines) || col < 1 || col > len(strings.Fields(lines[line-1])) {
		ts.Fatalf("%s has no field %s of line %s", args[0], args[2], args[1])
	}
	ts.Setenv(args[3], strings.Fields(lines[line-1])[col-1])
}
