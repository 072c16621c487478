package desired

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/wechat"
)

// ignorePositions compares parsed states by content only.
var ignorePositions = cmpopts.IgnoreFields(State{}, "Path", "Positions")

func TestLoadGoodFiles(t *testing.T) {
	files, err := filepath.Glob("../../testdata/good/*.yaml")
	if err != nil || len(files) < 5 {
		t.Fatalf("want at least 5 good files, got %d (%v)", len(files), err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ds, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if ds.Path != file {
				t.Errorf("Path = %q, want %q", ds.Path, file)
			}
		})
	}
}

func TestLoadGoodFileValues(t *testing.T) {
	tests := []struct {
		file string
		want *State
		pos  map[string]Pos // where the menus are, by field path
	}{
		{
			file: "basic.yaml",
			want: &State{
				Default: &Default{
					Buttons: []wechat.Button{
						{Type: "view", Name: "Home", URL: "https://www.example.com/"},
						{Name: "Service", SubButtons: []wechat.Button{
							{Type: "click", Name: "Contact us", Key: "CONTACT"},
							{Type: "view", Name: "Orders", URL: "https://shop.example.com/orders?from=menu&tab=all"},
						}},
						{Type: "miniprogram", Name: "Shop", URL: "https://shop.example.com/", AppID: "wx286b93c14bbf93aa", PagePath: "pages/index/index"},
					},
				},
			},
			pos: map[string]Pos{"default": {Line: 2, Column: 1}},
		},
		{
			file: "tags-platforms.yaml",
			want: &State{
				Default: &Default{
					Buttons: []wechat.Button{{Type: "view", Name: "Home", URL: "https://www.example.com/"}},
				},
				Conditional: []Conditional{
					{
						Name:      "vip-ios",
						MatchRule: wechat.MatchRule{TagID: "101", ClientPlatformType: "1"},
						Buttons:   []wechat.Button{{Type: "view", Name: "VIP", URL: "https://vip.example.com/ios"}},
					},
					{
						Name:      "vip",
						MatchRule: wechat.MatchRule{TagID: "101"},
						Buttons: []wechat.Button{
							{Type: "view", Name: "VIP", URL: "https://vip.example.com/"},
							{Type: "click", Name: "Concierge", Key: "VIP_CONCIERGE"},
						},
					},
					{
						Name:      "android",
						MatchRule: wechat.MatchRule{ClientPlatformType: "2"},
						Buttons: []wechat.Button{
							{Type: "scancode_push", Name: "Scan", Key: "SCAN"},
							{Type: "location_select", Name: "Near me", Key: "NEAR"},
						},
					},
				},
			},
			pos: map[string]Pos{
				"default":        {Line: 1, Column: 1},
				"conditional[0]": {Line: 7, Column: 5},
				"conditional[1]": {Line: 11, Column: 5},
				"conditional[2]": {Line: 17, Column: 5},
			},
		},
		{
			file: "unmanaged.yaml",
			want: &State{
				Default: &Default{Buttons: []wechat.Button{{Type: "click", Name: "Help", Key: "HELP"}}},
				Conditional: []Conditional{{
					Name: "staff", MatchRule: wechat.MatchRule{TagID: "2"},
					Buttons: []wechat.Button{{Type: "click", Name: "Staff help", Key: "STAFF_HELP"}},
				}},
				Unmanaged: []UnmanagedRule{
					{MatchRule: wechat.MatchRule{TagID: "900"}},
					{MatchRule: wechat.MatchRule{TagID: "901", ClientPlatformType: "3"}},
					{MatchRule: wechat.MatchRule{Sex: "1"}},
				},
			},
			pos: map[string]Pos{
				"default":        {Line: 1, Column: 1},
				"conditional[0]": {Line: 5, Column: 5},
				"unmanaged[0]":   {Line: 11, Column: 5},
				"unmanaged[1]":   {Line: 12, Column: 5},
				"unmanaged[2]":   {Line: 13, Column: 5},
			},
		},
		{
			file: "protect.yaml",
			want: &State{
				Default: &Default{Buttons: []wechat.Button{
					{Type: "article_id", Name: "News", ArticleID: "ARTICLE_ID_1"},
					{Type: "media_id", Name: "Brochure", MediaID: "MEDIA_ID_1"},
				}},
				Conditional: []Conditional{
					{
						Name: "partners", MatchRule: wechat.MatchRule{TagID: "300"}, Protect: true,
						Buttons: []wechat.Button{{Type: "article_view_limited", Name: "Partner news", ArticleID: "ARTICLE_ID_2"}},
					},
					{
						Name: "trial", MatchRule: wechat.MatchRule{TagID: "301"},
						Buttons: []wechat.Button{{Type: "pic_weixin", Name: "Send photo", Key: "PHOTO"}},
					},
				},
			},
			pos: map[string]Pos{
				"default":        {Line: 1, Column: 1},
				"conditional[0]": {Line: 6, Column: 5},
				"conditional[1]": {Line: 11, Column: 5},
			},
		},
		{
			file: "anchors.yaml",
			want: &State{
				Default: &Default{Buttons: []wechat.Button{
					{Type: "view", Name: "Home", URL: "https://www.example.com/"},
					{Type: "click", Name: "Help", Key: "HELP"},
				}},
				Conditional: []Conditional{{
					Name: "vip", MatchRule: wechat.MatchRule{TagID: "101"},
					Buttons: []wechat.Button{
						{Type: "view", Name: "Home", URL: "https://www.example.com/"},
						{Type: "click", Name: "Help", Key: "VIP_HELP"},
					},
				}},
			},
			pos: map[string]Pos{
				"default":        {Line: 2, Column: 1},
				"conditional[0]": {Line: 10, Column: 5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Load(filepath.Join("../../testdata/good", tt.file))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, ignorePositions); diff != "" {
				t.Errorf("Load mismatch (-want +got):\n%s", diff)
			}
			for path, want := range tt.pos {
				if pos := got.Positions[path]; pos != want {
					t.Errorf("Positions[%q] = %+v, want %+v", path, pos, want)
				}
			}
		})
	}
}

func TestLoadChineseNames(t *testing.T) {
	ds, err := Load("../../testdata/good/chinese.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	walkButtons(ds.Default.Buttons, "", func(_ string, b wechat.Button) { names = append(names, b.Name) })
	want := []string{"官网首页", "会员服务", "联系客服", "我的订单和物流信息查询", "上传照片", "今日歌曲"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

// diagnose runs Parse and, if it succeeds, Validate, as Load does.
func diagnose(path string, data []byte) Diagnostics {
	ds, err := Parse(path, data)
	if err != nil {
		var diags Diagnostics
		if !errors.As(err, &diags) {
			return Diagnostics{{Message: "not diagnostics: " + err.Error()}}
		}
		return diags
	}
	return Validate(ds)
}

// wholeFileProblems are the bad files whose diagnostic has no line.
var wholeFileProblems = map[string]bool{"empty.yaml": true, "only-comments.yaml": true}

func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("../../testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 45 {
		t.Fatalf("want at least 45 bad files, got %d", len(files))
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			diags := diagnose(name, data)
			if len(diags) == 0 {
				t.Fatal("no diagnostics for a bad file")
			}
			if diags[0].Message == "" {
				t.Error("first diagnostic has an empty message")
			}
			for _, d := range diags {
				if d.Pos.Line == 0 && !wholeFileProblems[name] {
					t.Errorf("diagnostic without a line: %s", d)
				}
				if d.Path != name {
					t.Errorf("diagnostic path = %q, want %q", d.Path, name)
				}
				if m := d.Message; strings.HasSuffix(m, ".") || m != strings.ToLower(m[:1])+m[1:] {
					t.Errorf("message not lowercase without trailing period: %q", m)
				}
			}
			golden.Check(t, strings.TrimSuffix(file, ".yaml")+".golden", []byte(diags.Error()+"\n"))
		})
	}
}

// checkGolden compares got with the golden file at path, or rewrites it
// with -update.
func TestParseFileTooLarge(t *testing.T) {
	data := bytes.Repeat([]byte("# padding\n"), MaxFileBytes/10+1)
	diags := diagnose("big.yaml", data)
	want := Diagnostics{{
		Path:    "big.yaml",
		Message: "file is larger than 1048576 bytes (1 MiB)",
		Hint:    "a menus file is a few kilobytes; check that the path names the right file",
	}}
	if diff := cmp.Diff(want, diags); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, bytes.Repeat([]byte("#"), 3*MaxFileBytes), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var diags Diagnostics
	if !errors.As(err, &diags) || len(diags) != 1 || !strings.Contains(diags[0].Message, "larger than") {
		t.Fatalf("Load = %v, want a file-size diagnostic", err)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil {
		t.Fatal("no error for a missing file")
	}
	var diags Diagnostics
	if errors.As(err, &diags) {
		t.Errorf("I/O error returned as Diagnostics: %v", err)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v does not wrap os.ErrNotExist", err)
	}
}

func TestLoadReturnsValidationDiagnostics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "menus.yaml")
	if err := os.WriteFile(path, []byte("default:\n  button: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := Load(path)
	var diags Diagnostics
	if ds != nil || !errors.As(err, &diags) {
		t.Fatalf("Load = %v, %v; want nil and Diagnostics", ds, err)
	}
	if got, want := diags[0].String(), path+":2:3: default menu has no buttons"; !strings.HasPrefix(got, want) {
		t.Errorf("diagnostic = %q, want prefix %q", got, want)
	}
}

func TestParseScalars(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want Conditional
	}{
		{
			name: "integers become strings",
			yaml: "matchrule: {tag_id: 101, client_platform_type: 2}",
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "101", ClientPlatformType: "2"}},
		},
		{
			name: "zero is a plain decimal integer",
			yaml: "matchrule: {tag_id: 0}",
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "0"}},
		},
		{
			name: "integer beyond int64 taken as written",
			yaml: "matchrule: {tag_id: 18446744073709551615}",
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "18446744073709551615"}},
		},
		{
			name: "quoted strings kept as written",
			yaml: `matchrule: {tag_id: "101", country: 中国}`,
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "101", Country: "中国"}},
		},
		{
			name: "quoted zero tag id",
			yaml: `matchrule: {tag_id: "0"}`,
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "0"}},
		},
		{
			name: "zero-padded strings of other fields kept as written",
			yaml: `matchrule: {tag_id: "1", city: "007"}`,
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "1", City: "007"}},
		},
		{
			name: "numeric button name taken as written",
			yaml: "matchrule: {tag_id: 1}\nbutton: [{type: click, name: 2024, key: 1.50}]",
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "1"}, Buttons: []wechat.Button{{Type: "click", Name: "2024", Key: "1.50"}}},
		},
		{
			name: "protect true",
			yaml: "matchrule: {tag_id: 1}\nprotect: true",
			want: Conditional{Name: "m", MatchRule: wechat.MatchRule{TagID: "1"}, Protect: true},
		},
		{
			name: "null matchrule is empty",
			yaml: "matchrule:",
			want: Conditional{Name: "m"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "conditional:\n  - name: m\n" + indent(tt.yaml, "    ")
			ds, err := Parse("m.yaml", []byte(body))
			if err != nil {
				t.Fatalf("Parse:\n%s\n%v", body, err)
			}
			if len(ds.Conditional) != 1 {
				t.Fatalf("got %d conditional menus", len(ds.Conditional))
			}
			if diff := cmp.Diff(tt.want, ds.Conditional[0]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRejectsRuleValuesNotPlainDecimal(t *testing.T) {
	tests := []struct {
		name string
		rule string // the matchrule mapping, on line 3 at column 16
		want Diagnostic
	}{
		{
			name: "octal by leading zero",
			rule: "{tag_id: 0101}",
			want: Diagnostic{Message: "tag_id 0101 has a leading zero, so YAML reads it as the octal number 65", Hint: `write tag_id: "101"`},
		},
		{
			name: "leading zero with digits beyond octal",
			rule: "{tag_id: 0109}",
			want: Diagnostic{Message: "tag_id 0109 has a leading zero", Hint: `write tag_id: "109"`},
		},
		{
			name: "double zero",
			rule: "{tag_id: 00}",
			want: Diagnostic{Message: "tag_id 00 has a leading zero, so YAML reads it as the octal number 0", Hint: `write tag_id: "0"`},
		},
		{
			name: "hexadecimal",
			rule: "{tag_id: 0x65}",
			want: Diagnostic{Message: "tag_id 0x65 is written in hexadecimal", Hint: `write tag_id: "101"`},
		},
		{
			name: "hexadecimal upper case",
			rule: "{tag_id: 0X65}",
			want: Diagnostic{Message: "tag_id 0X65 is written in hexadecimal", Hint: `write tag_id: "101"`},
		},
		{
			name: "octal by prefix",
			rule: "{tag_id: 0o145}",
			want: Diagnostic{Message: "tag_id 0o145 is written in octal", Hint: `write tag_id: "101"`},
		},
		{
			name: "binary",
			rule: "{client_platform_type: 0b10}",
			want: Diagnostic{Message: "client_platform_type 0b10 is written in binary", Hint: `write client_platform_type: "2"`},
		},
		{
			name: "plus sign",
			rule: "{tag_id: +101}",
			want: Diagnostic{Message: "tag_id +101 has a sign", Hint: `write tag_id: "101"`},
		},
		{
			name: "negative",
			rule: "{tag_id: -1}",
			want: Diagnostic{Message: "tag_id -1 is negative", Hint: `write a non-negative decimal number, e.g. tag_id: "101"`},
		},
		{
			name: "negative zero",
			rule: "{client_platform_type: -0}",
			want: Diagnostic{Message: "client_platform_type -0 is negative", Hint: `write a non-negative decimal number, e.g. client_platform_type: "1"`},
		},
		{
			name: "underscores",
			rule: "{tag_id: 1_01}",
			want: Diagnostic{Message: "tag_id 1_01 has underscores", Hint: `write tag_id: "101"`},
		},
		{
			name: "platform with leading zero",
			rule: "{client_platform_type: 01}",
			want: Diagnostic{Message: "client_platform_type 01 has a leading zero, so YAML reads it as the octal number 1", Hint: `write client_platform_type: "1"`},
		},
		{
			name: "explicit int tag on text",
			rule: "{tag_id: !!int vip}",
			want: Diagnostic{Message: `tag_id "vip" is not a plain decimal integer`, Hint: `write a non-negative decimal number, e.g. tag_id: "101"`},
		},
		{
			name: "explicit int tag on zero-padded string",
			rule: `{tag_id: !!int "0101"}`,
			want: Diagnostic{Message: "tag_id 0101 has a leading zero, so YAML reads it as the octal number 65", Hint: `write tag_id: "101"`},
		},
		{
			name: "float",
			rule: "{tag_id: 101.0}",
			want: Diagnostic{Message: "tag_id must be a string or an integer, got a number", Hint: `write it as tag_id: "101"`},
		},
		{
			name: "exponent",
			rule: "{client_platform_type: 1e0}",
			want: Diagnostic{Message: "client_platform_type must be a string or an integer, got a number", Hint: `write it as client_platform_type: "1"`},
		},
		{
			name: "quoted tag id with leading zero",
			rule: `{tag_id: "0101"}`,
			want: Diagnostic{
				Message: `tag_id "0101" has a leading zero`,
				Hint:    `write tag_id: "101"; WeChat lists tag ids without leading zeros, so "0101" would never match the live menu`,
			},
		},
		{
			name: "quoted zeros",
			rule: `{tag_id: "000"}`,
			want: Diagnostic{
				Message: `tag_id "000" has a leading zero`,
				Hint:    `write tag_id: "0"; WeChat lists tag ids without leading zeros, so "000" would never match the live menu`,
			},
		},
		{
			name: "single-quoted tag id with leading zero",
			rule: `{tag_id: '0101'}`,
			want: Diagnostic{
				Message: `tag_id "0101" has a leading zero`,
				Hint:    `write tag_id: "101"; WeChat lists tag ids without leading zeros, so "0101" would never match the live menu`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "conditional:\n  - name: m\n    matchrule: " + tt.rule + "\n"
			_, err := Parse("m.yaml", []byte(body))
			want := tt.want
			want.Path = "m.yaml"
			want.Pos = Pos{Line: 3, Column: 16 + strings.Index(tt.rule, ": ") + 2}
			var got Diagnostics
			if !errors.As(err, &got) {
				t.Fatalf("Parse:\n%s\nerror = %v, want Diagnostics", body, err)
			}
			if diff := cmp.Diff(Diagnostics{want}, got); diff != "" {
				t.Errorf("Parse:\n%s\n(-want +got):\n%s", body, diff)
			}
		})
	}
}

// Unmanaged rules are matched against live menus by text too, so they get
// the same checks.
func TestParseRejectsUnmanagedRuleValuesNotPlainDecimal(t *testing.T) {
	body := "unmanaged:\n  - {tag_id: 0x384}\n  - {tag_id: \"0901\", client_platform_type: 03}\n"
	_, err := Parse("m.yaml", []byte(body))
	want := Diagnostics{
		{Path: "m.yaml", Pos: Pos{Line: 2, Column: 14}, Message: "tag_id 0x384 is written in hexadecimal", Hint: `write tag_id: "900"`},
		{
			Path: "m.yaml", Pos: Pos{Line: 3, Column: 14}, Message: `tag_id "0901" has a leading zero`,
			Hint: `write tag_id: "901"; WeChat lists tag ids without leading zeros, so "0901" would never match the live menu`,
		},
		{
			Path: "m.yaml", Pos: Pos{Line: 3, Column: 44}, Message: "client_platform_type 03 has a leading zero, so YAML reads it as the octal number 3",
			Hint: `write client_platform_type: "3"`,
		},
	}
	var got Diagnostics
	if !errors.As(err, &got) {
		t.Fatalf("Parse error = %v, want Diagnostics", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestParseEmptyState(t *testing.T) {
	for _, in := range []string{"{}\n", "conditional:\nunmanaged: []\n"} {
		ds, err := Parse("m.yaml", []byte(in))
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if diff := cmp.Diff(&State{}, ds, ignorePositions); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", in, diff)
		}
		if diags := Validate(ds); diags != nil {
			t.Errorf("Validate(%q) = %v, want nil (declaring no menu is valid)", in, diags)
		}
	}
}

func TestParseRecordsPositions(t *testing.T) {
	ds, err := Load("../../testdata/good/basic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Pos{
		"default":                              {Line: 2, Column: 1},
		"default.button":                       {Line: 3, Column: 3},
		"default.button[1]":                    {Line: 7, Column: 7},
		"default.button[1].sub_button[0]":      {Line: 9, Column: 11},
		"default.button[1].sub_button[0].name": {Line: 9, Column: 25},
		"default.button[2].appid":              {Line: 14, Column: 7},
	}
	for path, p := range want {
		if got := ds.Positions[path]; got != p {
			t.Errorf("Positions[%q] = %v, want %v", path, got, p)
		}
	}
}

// FuzzParse checks that no input makes Parse or Validate panic, and that
// Parse returns either a state or Diagnostics.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"../../testdata/good", "../../testdata/bad"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Parse("fuzz.yaml", data)
		if err != nil {
			var diags Diagnostics
			if !errors.As(err, &diags) || len(diags) == 0 {
				t.Fatalf("Parse error is not Diagnostics: %v", err)
			}
			return
		}
		if ds == nil {
			t.Fatal("Parse returned neither a state nor an error")
		}
		_ = Validate(ds)
	})
}
