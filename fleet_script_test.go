package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdEmulator drives the control surface of the emulator at $SERVER:
//
//	emulator POST PATH JSON   e.g. emulator POST platform/fault?appid=wx… {"errcode":61007}
//	emulator ticket VAR       sets VAR to the platform's current verify ticket
//	emulator token APPID SECRET VAR  sets VAR to an access token of the account
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
