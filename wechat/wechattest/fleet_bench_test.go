package wechattest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// fleetConfig is an emulator of n accounts behind a platform.
func fleetConfig(n int) Config {
	cfg := Config{Platform: &PlatformConfig{ComponentAppID: testComponentAppID, ComponentSecret: testComponentSecret}}
	for i := range n - 1 {
		cfg.Accounts = append(cfg.Accounts, AccountConfig{AppID: fmt.Sprintf("wx%016d", i), Secret: "s"})
	}
	return cfg
}

// BenchmarkFleet measures menu/get and menu/create over real HTTP on an
// emulator of 1,000 accounts, with and without a state file.
func BenchmarkFleet(b *testing.B) {
	for _, bc := range []struct {
		endpoint string
		saved    bool
	}{{"menu/get", false}, {"menu/get", true}, {"menu/create", false}, {"menu/create", true}} {
		saved := bc.saved
		b.Run(fmt.Sprintf("%s/state_file=%v", bc.endpoint, saved), func(b *testing.B) {
			cfg := fleetConfig(1000)
			if saved {
				cfg.StatePath = filepath.Join(b.TempDir(), "state.json")
			}
			emu := New(cfg)
			emu.SeedDemoAll()
			var tokens []string
			for _, id := range emu.AppIDs() {
				tokens = append(tokens, emu.Account(id).IssueToken())
			}
			srv := httptest.NewServer(emu)
			defer srv.Close()
			client := srv.Client()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				u := srv.URL + "/cgi-bin/" + bc.endpoint + "?" + url.Values{"access_token": {tokens[i%len(tokens)]}}.Encode()
				var resp *http.Response
				var err error
				if bc.endpoint == "menu/create" {
					resp, err = client.Post(u, "application/json", strings.NewReader(`{"button":[{"type":"click","name":"签到","key":"K"}]}`))
				} else {
					resp, err = client.Get(u)
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}
