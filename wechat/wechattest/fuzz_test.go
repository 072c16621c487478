package wechattest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	emu := New(Config{})
	emu.SeedDemo()
	q := "?access_token=" + url.QueryEscape(emu.IssueToken())
	f.Fuzz(func(t *testing.T, body string) {
		for _, ep := range []string{"menu/create", "menu/addconditional", "menu/delconditional", "menu/trymatch", "stable_token"} {
			rec := httptest.NewRecorder()
			emu.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/cgi-bin/"+ep+q, strings.NewReader(body)))
			var v map[string]any
			if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &v) != nil {
				t.Errorf("%s %q: HTTP %d %s", ep, body, rec.Code, rec.Body.String())
			}
		}
	})
}
