package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdControl sends a request to the control surface of the sandbox server
// whose address apibase set ($SERVER, always loopback), with the body read
// from FILE, and requires a 2xx answer (a non-2xx one with !):
//
//	control POST /_emulator/console-menu console.json
func cmdControl(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || len(args) > 3 || !strings.HasPrefix(args[1], "/_emulator/") {
		ts.Fatalf("usage: control METHOD /_emulator/PATH [BODYFILE]")
	}
	server := ts.Getenv("SERVER")
	if !strings.HasPrefix(server, "127.0.0.1:") {
		ts.Fatalf("SERVER %q is not a loopback address; run apibase first", server)
	}
	var body io.Reader
	if len(args) == 3 {
		body = strings.NewReader(ts.ReadFile(args[2]))
	}
	req, err := http.NewRequest(args[0], "http://"+server+args[1], body)
	ts.Check(err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	var out bytes.Buffer
	_, err = io.Copy(&out, resp.Body)
	ts.Check(err)
	ts.Logf("%s %s: HTTP %d %s", args[0], args[1], resp.StatusCode, out.String())
	if ok := resp.StatusCode/100 == 2; ok == neg {
		ts.Fatalf("%s %s: HTTP %d: %s", args[0], args[1], resp.StatusCode, out.String())
	}
}
