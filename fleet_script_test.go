package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// cmdEmulator drives the control surface of the emulator at $SERVER:
//
//	emulator POST PATH JSON   e.g. emulator POST platform/fault?appid=wx… {"errcode":61007}
//	emulator ticket VAR       sets VAR to the platform's current verify ticket
//	emulator token APPID SECRET VAR  sets VAR to an access token of the account
//	emulator issue APPID VAR  sets VAR to a token of the account from tokens/issue (a token service's)
//	emulator GET PATH FILE    writes the answer of GET /_emulator/PATH to FILE
func cmdEmulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: emulator POST PATH JSON | emulator ticket VAR")
	}
	base := "http://" + ts.Getenv("SERVER") + "/_emulator/"
	switch args[0] {
	case "ticket":
		resp, err := http.Get(base + "platform/ticket")
		ts.Check(err)
		defer resp.Body.Close()
		var answer struct {
			Ticket string `json:"component_verify_ticket"`
		}
		ts.Check(json.NewDecoder(resp.Body).Decode(&answer))
		if answer.Ticket == "" {
			ts.Fatalf("no ticket")
		}
		ts.Setenv(args[1], answer.Ticket)
	case "token":
		if len(args) != 4 {
			ts.Fatalf("usage: emulator token APPID SECRET VAR")
		}
		resp, err := http.Get("http://" + ts.Getenv("SERVER") + "/cgi-bin/token?grant_type=client_credential&appid=" + args[1] + "&secret=" + args[2])
		ts.Check(err)
		defer resp.Body.Close()
		var answer struct {
			Token string `json:"access_token"`
		}
		ts.Check(json.NewDecoder(resp.Body).Decode(&answer))
		if answer.Token == "" {
			ts.Fatalf("no token")
		}
		ts.Setenv(args[3], answer.Token)
	case "issue":
		if len(args) != 3 {
			ts.Fatalf("usage: emulator issue APPID VAR")
		}
		resp, err := http.Post(base+"tokens/issue?appid="+args[1], "application/json", nil)
		ts.Check(err)
		defer resp.Body.Close()
		var answer struct {
			Token string `json:"access_token"`
		}
		ts.Check(json.NewDecoder(resp.Body).Decode(&answer))
		if answer.Token == "" {
			ts.Fatalf("no token")
		}
		ts.Setenv(args[2], answer.Token)
	case "GET":
		if len(args) != 3 {
			ts.Fatalf("usage: emulator GET PATH FILE")
		}
		resp, err := http.Get(base + args[1])
		ts.Check(err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			ts.Fatalf("GET %s: %s %s", args[1], resp.Status, body)
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[2]), body, 0o644))
	case "POST":
		if len(args) != 3 {
			ts.Fatalf("usage: emulator POST PATH JSON")
		}
		resp, err := http.Post(base+args[1], "application/json", strings.NewReader(args[2]))
		ts.Check(err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			ts.Fatalf("POST %s: %s %s", args[1], resp.Status, body)
		}
	default:
		ts.Fatalf("unknown emulator command %q", args[0])
	}
}

// cmdResealplan edits one account's plan in a saved project plan, replacing
// OLD with NEW in its steps, and seals the plan and the file again, as
// anyone can (the digests prove a plan whole, not who made it):
//
//	resealplan plan.json ACCOUNT OLD NEW
func cmdResealplan(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: resealplan FILE ACCOUNT OLD NEW")
	}
	var f plans.File
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &f))
	edited := false
	for _, a := range f.Accounts {
		if a.Name != args[1] {
			continue
		}
		steps, err := json.Marshal(a.Plan.Steps)
		ts.Check(err)
		if !strings.Contains(string(steps), args[2]) {
			ts.Fatalf("account %s's steps do not contain %q", args[1], args[2])
		}
		a.Plan.Steps = nil
		ts.Check(json.Unmarshal([]byte(strings.ReplaceAll(string(steps), args[2], args[3])), &a.Plan.Steps))
		ts.Check(plans.Seal(a.Plan))
		edited = true
	}
	if !edited {
		ts.Fatalf("no account %s in %s", args[1], args[0])
	}
	resealed, err := plans.NewFile(f.Project, f.ToolVersion, f.CreatedAt, f.Accounts, f.Waves...)
	ts.Check(err)
	var buf bytes.Buffer
	ts.Check(plans.WriteFile(&buf, resealed))
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), buf.Bytes(), 0o644))
}
