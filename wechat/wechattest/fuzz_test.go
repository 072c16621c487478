package wechattest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
)

// FuzzRequestBodies checks that no body makes a POST endpoint panic or
// answer anything but a JSON object with HTTP 200.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		`{"button":[{"type":"click","name":"n","key":"k"}]}`,
		`{"button":[{"name":"p","sub_button":[{"type":"view","name":"v","url":"https://a/"}]}],"matchrule":{"tag_id":1}}`,
		`{"menuid":12}`, `{"user_id":"o_demo_vip"}`, `{"button":[{"sub_button":null}]}`, `[]`, `"x"`, "\xff",
		`{"button":[{"name":"p","sub_button":[{"name":"q","sub_button":[{}]}]}]}`,
	} {
		f.Add(seed)
	}
	emu := New(Config{Platform: &PlatformConfig{ComponentAppID: "wxc", ComponentSecret: "s"}})
	emu.SeedDemo()
	q := "?access_token=" + url.QueryEscape(emu.IssueToken())
	f.Fuzz(func(t *testing.T, body string) {
		for _, ep := range []string{"menu/create", "menu/addconditional", "menu/delconditional", "menu/trymatch", "stable_token",
			"tags/create", "tags/update", "tags/delete", "tags/members/batchtagging", "tags/members/batchuntagging",
			"tags/getidlist", "user/tag/get", "component/api_component_token", "component/api_authorizer_token",
			"component/api_get_authorizer_list", "component/api_get_authorizer_info", "component/api_query_auth"} {
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cgi-bin/"+ep+q, strings.NewReader(body)))
			var v map[string]any
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &v) != nil {
				t.Errorf("%s %q: HTTP %d %s", ep, body, rec.Code, rec.Body.String())
			}
		}
	})
}

// FuzzStateFile checks that no state file makes Load panic, and that one it
// accepts serves calls.
func FuzzStateFile(f *testing.F) {
	for _, seed := range []string{
		`{"version":1,"last_menu_id":9,"default_menu":{"menuid":7,"button":[{"type":"click","name":"a","key":"k"}]},"conditional_menus":[],"users":[]}`,
		`{"version":2,"accounts":[{"appid":"wxa","users":[{"openid":"o"}],"tags":[{"id":100,"name":"t"}],"last_tag_id":100}]}`,
		`{"version":2,"accounts":[{"appid":"wxa"}],"platform":{"verify_tickets":[{"sha256":"x","issued_at":"2024-01-01T00:00:00Z"}],"component_tokens":{}}}`,
		`{"version":1,"tokens":{"x":null}}`, "{", "",
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data string) {
		path := dir + "/state.json"
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		emu, err := Load(path, Config{StatePath: dir + "/out.json", Platform: &PlatformConfig{ComponentAppID: "wxc", ComponentSecret: "s"}})
		if err != nil {
			return
		}
		for _, id := range emu.AppIDs() {
			ac := emu.Account(id)
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cgi-bin/menu/get?access_token="+url.QueryEscape(ac.IssueToken()), nil))
			if rec.Code != http.StatusOK {
				t.Errorf("menu/get on %s: HTTP %d", id, rec.Code)
			}
			ac.SeedDemo()
		}
	})
}
