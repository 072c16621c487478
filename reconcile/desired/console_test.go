package desired

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/wechat"
)

func readSelfMenuInfo(t *testing.T, file string) *wechat.SelfMenuInfo {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var info wechat.SelfMenuInfo
	if err := json.Unmarshal(data, &info); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return &info
}

// TestConsoleButtons converts the console-published menu of the old doc's
// example: API types are copied, console-only ones (news, video, voice,
// text, img) are reported with what they send and kept by type and name.
func TestConsoleButtons(t *testing.T) {
	info := readSelfMenuInfo(t, "../../testdata/api/selfmenu_info_console.json")
	buttons, consoleOnly := ConsoleButtons(info.SelfMenu.Buttons)
	wantButtons := []wechat.Button{
		{Name: "button", SubButtons: []wechat.Button{
			{Type: "view", Name: "view_url", URL: "http://www.qq.com"},
			{Type: "news", Name: "news"},
			{Type: "video", Name: "video"},
			{Type: "voice", Name: "voice"},
		}},
		{Type: "text", Name: "text"},
		{Type: "img", Name: "photo"},
	}
	if diff := cmp.Diff(wantButtons, buttons); diff != "" {
		t.Errorf("buttons (-want +got):\n%s", diff)
	}
	var got []string
	for _, b := range consoleOnly {
		got = append(got, b.String())
	}
	want := []string{
		`"button" > "news" (news 2 articles: "MULTI_NEWS", "MULTI_NEWS1")`,
		`"button" > "video" (video url "http://61.182.130.30/vweixinp.tc.qq.com/1007_114bcede9a2244e…")`,
		`"button" > "voice" (voice media "nTXe3aghlQ4XYHa0AQPWiQQb…")`,
		`"text" (text "This is text!")`,
		`"photo" (img media "ax5Whs5dsoomJLEppAvftBUu…")`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("console-only buttons (-want +got):\n%s", diff)
	}
}

// TestConsoleButtonsAPITypes: a menu published through the API reads back
// from get_current_selfmenu_info as the buttons menu/create took, media ids
// (reported as value) included.
func TestConsoleButtonsAPITypes(t *testing.T) {
	info := readSelfMenuInfo(t, "../../testdata/api/selfmenu_info_api.json")
	buttons, consoleOnly := ConsoleButtons(info.SelfMenu.Buttons)
	if len(consoleOnly) != 0 {
		t.Errorf("console-only buttons in an API-published menu: %v", consoleOnly)
	}
	want := []wechat.Button{
		{Name: "学院", SubButtons: []wechat.Button{
			{Type: "miniprogram", Name: "成语答题王", URL: "http://host", AppID: "wxf4dc5b4e7b35dcd1", PagePath: "pages/index/index"},
			{Type: "miniprogram", Name: "大师课程", URL: "https://host/course/tutorial", AppID: "wxfd6acd566482c6cb", PagePath: "pages/tutorialDetail/tutorialDetail"},
		}},
		{Type: "miniprogram", Name: "学科商城", URL: "https://host/-dAEuY", AppID: "wx720f9f1301595564", PagePath: "pages/home/dashboard/index"},
	}
	if diff := cmp.Diff(want, buttons); diff != "" {
		t.Errorf("buttons (-want +got):\n%s", diff)
	}
	media, _ := ConsoleButtons([]wechat.SelfMenuButton{{Type: "media_id", Name: "图片", Value: "MEDIA_1"}, {Type: "click", Name: "c", Key: "K", Value: "ignored"}})
	if diff := cmp.Diff([]wechat.Button{{Type: "media_id", Name: "图片", MediaID: "MEDIA_1"}, {Type: "click", Name: "c", Key: "K"}}, media); diff != "" {
		t.Errorf("media_id from value (-want +got):\n%s", diff)
	}
}

// TestExportConsoleMenu: the exported file holds what the API can create
// of the console menu, names each console-only button in a comment, and
// parses; with only console-only buttons it says the file needs buttons.
func TestExportConsoleMenu(t *testing.T) {
	for _, tt := range []struct {
		fixture, golden string
		validates       bool
	}{
		{"../../testdata/api/selfmenu_info_console.json", "../../testdata/export/console-wechatpy.golden.yaml", true},
		{"../../testdata/api/selfmenu_info_api.json", "../../testdata/export/console-api-types.golden.yaml", true},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			info := readSelfMenuInfo(t, tt.fixture)
			out, consoleOnly, err := ExportConsoleMenu(info)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tt.golden, out)
			for _, b := range consoleOnly {
				if !strings.Contains(string(out), "#   - "+b.String()+"\n") {
					t.Errorf("the file does not name console-only button %s:\n%s", b, out)
				}
			}
			ds, err := Parse("exported.yaml", out)
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, out)
			}
			if diags := Validate(ds); (diags == nil) != tt.validates {
				t.Errorf("Validate = %v, want it to pass: %v", diags, tt.validates)
			}
		})
	}
	onlyText := &wechat.SelfMenuInfo{IsMenuOpen: 1}
	onlyText.SelfMenu.Buttons = []wechat.SelfMenuButton{{Type: "text", Name: "你好", Value: "hi"}}
	out, consoleOnly, err := ExportConsoleMenu(onlyText)
	if err != nil || len(consoleOnly) != 1 || !strings.Contains(string(out), consoleEmptyComment[:40]) {
		t.Errorf("ExportConsoleMenu of console-only buttons = %v, %v:\n%s", consoleOnly, err, out)
	}
	if ds, err := Parse("exported.yaml", out); err == nil && Validate(ds) == nil {
		t.Errorf("a file with no button validates:\n%s", out)
	}
	if _, _, err := ExportConsoleMenu(&wechat.SelfMenuInfo{}); err == nil {
		t.Error("ExportConsoleMenu of a closed menu succeeded")
	}
}

func TestConsoleMenuWarning(t *testing.T) {
	only := []ConsoleOnlyButton{{Path: `"更多" > "营业时间"`, Type: "text", Payload: `"9:00"`}}
	for _, tt := range []struct {
		only     []ConsoleOnlyButton
		replaced bool
		want     string
	}{
		{nil, true, "followers see a menu published in the console (menu/get reports none); apply replaces it"},
		{nil, false, "followers see a menu published in the console (menu/get reports none); this plan leaves it as it is"},
		{only, true, `followers see a menu published in the console (menu/get reports none); apply replaces it; WeChat's API cannot create its console-only buttons "更多" > "营业时间" (text "9:00")`},
	} {
		if got := ConsoleMenuWarning(tt.only, tt.replaced); got != tt.want {
			t.Errorf("ConsoleMenuWarning = %q\nwant %q", got, tt.want)
		}
	}
	if got := shortQuote("a\nb\x1b[31m", 80); got != `"a b [31m"` {
		t.Errorf("shortQuote keeps control characters: %s", got)
	}
}

// FuzzExportConsoleMenu: whatever get_current_selfmenu_info returns, the
// exported file parses, keeps every button the API can create (no console
// type leaks into it) and never panics.
func FuzzExportConsoleMenu(f *testing.F) {
	for _, file := range []string{"../../testdata/api/selfmenu_info_console.json", "../../testdata/api/selfmenu_info_api.json"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"is_menu_open":1,"selfmenu_info":{"button":[{"type":"text","name":"a\nb # c","value":"x\u001b[31m"},{"name":"p","sub_button":{"list":[]}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var info wechat.SelfMenuInfo
		if json.Unmarshal(data, &info) != nil {
			return
		}
		out, consoleOnly, err := ExportConsoleMenu(&info)
		if err != nil {
			if info.IsMenuOpen == 1 {
				t.Fatalf("ExportConsoleMenu of an open menu: %v", err)
			}
			return
		}
		ds, err := Parse("exported.yaml", out)
		if err != nil {
			if len(creatable(mustButtons(info))) == 0 {
				return // no button the API can create: the file says so and needs editing
			}
			t.Fatalf("Parse(ExportConsoleMenu): %v\n%s", err, out)
		}
		if ds.Default == nil {
			t.Fatalf("no default menu in\n%s", out)
		}
		var walk func([]wechat.Button)
		walk = func(bs []wechat.Button) {
			for _, b := range bs {
				if _, ok := wechat.ButtonTypeFields(b.Type); !ok && len(b.SubButtons) == 0 {
					t.Errorf("exported button %q has type %q, which the API cannot create", b.Name, b.Type)
				}
				walk(b.SubButtons)
			}
		}
		walk(ds.Default.Buttons)
		for _, b := range consoleOnly {
			if strings.ContainsAny(b.String(), "\n\r") {
				t.Errorf("console-only button %q spans lines", b.String())
			}
		}
	})
}

func mustButtons(info wechat.SelfMenuInfo) []wechat.Button {
	b, _ := ConsoleButtons(info.SelfMenu.Buttons)
	return b
}
