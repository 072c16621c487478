package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/internal/i18n"
)

// TestCatalogueHasChinese fails when a review message has no zh-CN entry,
// or is declared twice.
func TestCatalogueHasChinese(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range i18n.Entries() {
		if strings.TrimSpace(e.ZH) == "" {
			t.Errorf("%q has no zh-CN translation", e.EN)
		}
		if seen[e.EN] {
			t.Errorf("%q is declared twice", e.EN)
		}
		seen[e.EN] = true
	}
}

// TestPlaceholders fails when a translation names a placeholder its
// English does not have, or leaves one out: every argument a renderer
// passes (escaped data) must be shown, and nothing else.
func TestPlaceholders(t *testing.T) {
	for _, e := range i18n.Entries() {
		en := i18n.Verbs(e.EN)
		if diff := cmp.Diff(en, i18n.Verbs(e.ZH)); diff != "" {
			t.Errorf("zh-CN of %q has other placeholders (-en +zh-CN):\n%s", e.EN, diff)
		}
		if e.One != "" {
			for _, v := range i18n.Verbs(e.One) {
				if !slices.Contains(en, v) {
					t.Errorf("the singular of %q names %s, which its English does not", e.EN, v)
				}
			}
		}
	}
}

func TestVerbs(t *testing.T) {
	for _, tt := range []struct {
		format string
		want   []string
	}{
		{"no placeholder", nil},
		{"100%% sure", nil},
		{"%s (rail %s, override --%s)", []string{"1:s", "2:s", "3:s"}},
		{"%d of %d", []string{"1:d", "2:d"}},
		{"%[2]d 类中 %[1]d 类", []string{"1:d", "2:d"}},
		{"从第 %[2]d 步起看到 %[1]s", []string{"1:s", "2:d"}},
		{"%-20s %q", []string{"1:s", "2:q"}},
		{"{name}", []string{"{name}"}},
	} {
		if diff := cmp.Diff(tt.want, i18n.Verbs(tt.format)); diff != "" {
			t.Errorf("Verbs(%q) (-want +got):\n%s", tt.format, diff)
		}
	}
}

// msgCall finds the templates' messages: {{tr "…" …}}.
var msgCall = regexp.MustCompile(`\{\{tr "([^"]*)"`)

// TestEveryMessageIsDeclared reads every Go file of the module: each
// Printer.Msg call names a message by a constant declared in the
// catalogue (so the tests above see every message), and so does each
// {{tr "…"}} of a template.
func TestEveryMessageIsDeclared(t *testing.T) {
	declared := map[string]bool{}
	for _, e := range i18n.Entries() {
		declared[e.EN] = true
	}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	calls := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Msg" || len(call.Args) == 0 {
				return true
			}
			calls++
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: Msg's message is not a constant: the catalogue tests cannot see it", fset.Position(call.Pos()))
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			if !declared[key] {
				t.Errorf("%s: message %q is not in the catalogue (internal/i18n/catalogue.go)", fset.Position(call.Pos()), key)
			}
			return true
		})
		for _, m := range msgCall.FindAllStringSubmatch(string(src), -1) {
			calls++
			if !declared[m[1]] {
				t.Errorf("%s: template message %q is not in the catalogue (internal/i18n/catalogue.go)", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 100 {
		t.Errorf("found %d messages; the walk misses the renderers", calls)
	}
}

func TestPrinter(t *testing.T) {
	en, zh := i18n.New(i18n.English), i18n.New(i18n.Chinese)
	var none *i18n.Printer
	for _, tt := range []struct {
		p    *i18n.Printer
		got  string
		want string
	}{
		{none, none.Msg("%d buttons", 1), "1 button"},
		{en, en.Msg("%d buttons", 2), "2 buttons"},
		{en, en.Msg("%d buttons", 1998), "1998 buttons"},
		{zh, zh.Msg("%d buttons", 12345), "12345 个按钮"},
		{zh, zh.Msg("%d buttons", 1), "1 个按钮"},
		{zh, zh.Msg("%d buttons", 3), "3 个按钮"},
		{none, none.Msg("Applying %d steps to account %s", 1, "wx1"), "Applying 1 step to account wx1"},
		{zh, zh.Msg("Applying %d steps to account %s", 1, "wx1"), "正在对账号 wx1 应用 1 个步骤"},
		{en, en.List([]string{"a", "b", "c"}), "a, b, c"},
		{zh, zh.List([]string{"a", "b", "c"}), "a、b、c"},
		{zh, zh.Msg("sees %s from step %d on", "默认菜单", 2), "从第 2 步起看到 默认菜单"},
		{none, none.Lang(), "en"},
		{zh, zh.Lang(), "zh-CN"},
		{i18n.New("fr"), i18n.New("fr").Msg("no changes"), "no changes"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.p.Lang(), tt.got, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	for _, tt := range []struct {
		name                string
		flag, project, lang string
		locale              map[string]string
		want, err           string
	}{
		{name: "nothing is English", want: "en"},
		{name: "the locale", locale: map[string]string{"LANG": "zh_CN.UTF-8"}, want: "zh-CN"},
		{name: "LC_ALL before LANG", locale: map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, want: "en"},
		{name: "LC_MESSAGES before LANG", locale: map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, want: "zh-CN"},
		{name: "an unknown locale is English", locale: map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "zh_CN.UTF-8"}, want: "en"},
		{name: "C is English", locale: map[string]string{"LANG": "C"}, want: "en"},
		{name: "zh_TW is not Simplified Chinese", locale: map[string]string{"LANG": "zh_TW.UTF-8"}, want: "en"},
		{name: "WXMENU_LANG over the locale", lang: "zh-CN", locale: map[string]string{"LANG": "en_US.UTF-8"}, want: "zh-CN"},
		{name: "the project over WXMENU_LANG", project: "zh-CN", lang: "en", want: "zh-CN"},
		{name: "the project over the locale", project: "en", locale: map[string]string{"LANG": "zh_CN.UTF-8"}, want: "en"},
		{name: "the flag over the project", flag: "en", project: "zh-CN", want: "en"},
		{name: "an unknown flag", flag: "zh", err: `--lang "zh" is not a language wxmenu speaks: use en or zh-CN`},
		{name: "an unknown WXMENU_LANG, even when the flag wins", flag: "en", lang: "chinese", err: `WXMENU_LANG "chinese" is not a language wxmenu speaks: use en or zh-CN`},
		{name: "an unknown project lang", project: "zh_CN", err: `lang: "zh_CN" is not a language wxmenu speaks: use en or zh-CN`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := i18n.Resolve(tt.flag, tt.project, tt.lang, env(tt.locale))
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff([]string{tt.want, tt.err}, []string{got, gotErr}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestReword words every sentence a plan stores in English, made with any
// arguments, as the zh-CN message made with the same arguments; a
// sentence of no stored format stays as it is.
func TestReword(t *testing.T) {
	en, zh := i18n.New(i18n.English), i18n.New(i18n.Chinese)
	stored := 0
	for _, e := range i18n.Entries() {
		if !e.Stored {
			continue
		}
		stored++
		for _, n := range []int{1, 2, 1000} {
			var args []any
			for i, v := range i18n.Verbs(e.EN) {
				switch v[strings.Index(v, ":")+1:] {
				case "d":
					args = append(args, n+i)
					if i == 0 {
						args[0] = n
					}
				case "q":
					args = append(args, "名 "+strconv.Itoa(i))
				default:
					args = append(args, "会员|vip, tag "+strconv.Itoa(i))
				}
			}
			line := en.Msg(e.EN, args...)
			if diff := cmp.Diff(zh.Msg(e.EN, args...), zh.Reword(line)); diff != "" {
				t.Errorf("Reword(%q) (-want +got):\n%s", line, diff)
			}
			if got := en.Reword(line); got != line {
				t.Errorf("English Reword(%q) = %q", line, got)
			}
		}
	}
	if stored == 0 {
		t.Error("the catalogue declares no stored message")
	}
	if got := zh.Reword("a warning of a newer wxmenu"); got != "a warning of a newer wxmenu" {
		t.Errorf("an unknown sentence became %q", got)
	}
}
