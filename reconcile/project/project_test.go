package project

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/yamlpos"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestLoadExample(t *testing.T) {
	p, err := Load("../../examples/fleet/wxmenu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, a := range p.Accounts {
		got = append(got, fmt.Sprintf("%s %s %q %q %v %s", a.Name, a.AppID, a.SecretEnv, a.TokenCommand, a.Platform, filepath.ToSlash(a.Path)))
	}
	want := []string{
		`shop-sh wx1234567890abcdef "SHOP_SH_SECRET" [] false ../../examples/fleet/accounts/shop-sh.yaml`,
		`brand wxabcdef1234567890 "" ["./bin/wechat-token" "brand"] false ../../examples/fleet/accounts/brand.yaml`,
		`client-a wx0123456789abcdef "" ["./bin/wechat-token" "client-a"] false ../../examples/fleet/accounts/client-a.yaml`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	// The example's token service holds the platform's verify ticket.
	if p.Platform != nil {
		t.Errorf("platform %+v, want none", p.Platform)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty", "", []string{"p.yaml: file is empty\nhint: a minimal file is:\n  accounts:\n    - {name: shop, appid: wx1234567890abcdef, file: menus.yaml, secret_env: SHOP_SECRET}"}},
		{"typo", "acounts: []\n", []string{
			"p.yaml:1:1: unknown field \"acounts\" in the project file\nhint: did you mean \"accounts\"?",
			"p.yaml:1:1: the project file has no accounts\nhint: list the accounts under accounts:, each with name, appid, file and credentials",
		}},
		{"no credentials", "accounts:\n  - name: a\n    appid: wx1234567890abcdef\n    file: a.yaml\n", []string{
			"p.yaml:2:5: account a has no credentials\nhint: give exactly one of secret_env: VAR, token_command: [PROGRAM, ARGS...] or platform: true",
		}},
		{"two kinds", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A, platform: true}\nplatform: {component_appid: wx1234567890abcd00, component_secret_env: C, verify_ticket_env: T}\n", []string{
			"p.yaml:2:5: account a has more than one kind of credentials: secret_env, platform\nhint: keep exactly one of them",
		}},
		{"duplicates", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A}\n  - {name: a, appid: wx1234567890abcdef, file: b.yaml, secret_env: B}\n", []string{
			"p.yaml:3:5: account name \"a\" is used twice (first on line 2)\nhint: give every account a unique name: plans, locks and --account use it",
			"p.yaml:3:5: appid wx1234567890abcdef is listed twice (first on line 2)\nhint: list each account once; two entries would fight over its menus",
		}},
		{"secret value", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: \"abc def!\"}\n", []string{
			"p.yaml:2:68: secret_env of account a is not an environment variable name\nhint: name the environment variable that holds it (letters, digits, _), never the value itself",
		}},
		{"platform missing", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, platform: true}\n", []string{
			"p.yaml:2:5: account \"a\" is a platform authorizer but the project has no platform\nhint: add platform: with component_appid, component_secret_env and verify_ticket_env",
		}},
		{"token command string", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, token_command: ./tok}\n", []string{
			"p.yaml:2:71: token_command of account a must be a list, got a string\nhint: write the program and its arguments as a list, e.g. token_command: [\"./bin/wechat-token\", \"brand\"] (no shell is used)",
		}},
		{"platform an integer", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, platform: true}\nplatform: 1\n", []string{
			"p.yaml:2:5: account \"a\" is a platform authorizer but the project has no platform\nhint: add platform: with component_appid, component_secret_env and verify_ticket_env",
			"p.yaml:3:11: platform must be a mapping, got an integer\nhint: write platform: with component_appid, component_secret_env and verify_ticket_env (or authorizer_token_command) under it",
		}},
		{"platform without tokens", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, platform: true}\nplatform: {component_appid: wx1234567890abcd00, verify_ticket_env: T}\n", []string{
			"p.yaml:3:11: platform has no component_secret_env\nhint: a platform needs component_appid, and component_secret_env and verify_ticket_env unless authorizer_token_command gives the tokens",
		}},
		{"authorizer token command a string", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, platform: true}\nplatform: {component_appid: wx1234567890abcd00, authorizer_token_command: ./tokens}\n", []string{
			"p.yaml:3:75: authorizer_token_command of the platform must be a list, got a string\nhint: write the program and its arguments as a list, e.g. authorizer_token_command: [\"./bin/authorizer-tokens\"] (no shell is used)",
		}},
		{"authorizer token command and a refresh token", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, platform: true, refresh_token_env: R}\nplatform: {component_appid: wx1234567890abcd00, authorizer_token_command: [./tokens]}\n", []string{
			"p.yaml:2:91: refresh_token_env of account a is not used with authorizer_token_command\nhint: remove it: the platform's authorizer_token_command gives the account's tokens",
		}},
		{"blank accounts", "accounts:\n", []string{
			"p.yaml:1:10: accounts is empty\nhint: list at least one account",
		}},
		{"a merged account keeps the name it merges", "accounts:\n  - &a {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A}\n  - {<<: *a, appid: wx1234567890abcde0}\n", []string{
			"p.yaml:3:5: account name \"a\" is used twice (first on line 2)\nhint: give every account a unique name: plans, locks and --account use it",
		}},
		{"a merge of a string", "accounts:\n  - {name: a, appid: &id wx1234567890abcdef, file: a.yaml, secret_env: A}\n  - {<<: *id, name: b, file: b.yaml, secret_env: B}\n", []string{
			"p.yaml:3:5: account b has no appid\nhint: add appid: the account's AppID (wx...)",
			"p.yaml:3:10: a merge (<<) in an account must name a mapping, got a string\nhint: merge an anchored mapping: <<: *name",
		}},
		{"an unknown key in a merged mapping", "accounts:\n  - {<<: {colour: red}, name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A}\n", []string{
			"p.yaml:2:11: unknown field \"colour\" in an account\nhint: fields of an account: name, appid, file, template, vars, secret_env, token_command, platform, refresh_token_env, self_heal, mode",
		}},
		{"a boolean argument", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, token_command: [tok, true]}\n", []string{
			"p.yaml:2:77: an argument of token_command of account a must be a string, got a boolean\nhint: quote it if it is meant as text: \"true\"",
		}},
		{"bad yaml", "accounts:\n  - name: a\n   appid: x\n", []string{
			"p.yaml:3:1: invalid YAML: did not find expected '-' indicator\nhint: check the indentation: keys of one mapping must line up",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			got := asDiags(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func asDiags(t *testing.T, err error) []string {
	t.Helper()
	diags, ok := err.(yamlpos.Diagnostics)
	if !ok {
		t.Fatalf("error %v is not diagnostics", err)
	}
	var out []string
	for _, d := range diags {
		out = append(out, d.String())
	}
	return out
}

func TestSelect(t *testing.T) {
	p, err := Load("../../examples/fleet/wxmenu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names := func(pats ...string) any {
		as, err := p.Select(pats)
		if err != nil {
			return err.Error() + " / " + errtext.Hint(err)
		}
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	if diff := cmp.Diff([]string{"shop-sh", "brand", "client-a"}, names()); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"brand", "client-a"}, names("client-*", "brand")); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff(`--account "shop-bj" matches no account of the project / the accounts are: shop-sh, brand, client-a`, names("shop-bj")); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff(`--account "[" matches no account of the project / the accounts are: shop-sh, brand, client-a`, names("[")); diff != "" {
		t.Error(diff)
	}
}

func TestSchemaGolden(t *testing.T) {
	golden := "../../testdata/project.schema.golden.json"
	if *update {
		if err := os.WriteFile(golden, Schema(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(Schema())); diff != "" {
		t.Errorf("schema (-golden +got), rerun with -update:\n%s", diff)
	}
}

func TestSchemaAgreesWithLoad(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("project.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("project.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	check := func(src string) error {
		var v any
		if err := yaml.Unmarshal([]byte(src), &v); err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(v)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		return sch.Validate(inst)
	}
	for _, name := range []string{"../../examples/fleet/wxmenu.yaml", "../../examples/platform/wxmenu.yaml"} {
		example, _ := os.ReadFile(name)
		if err := check(string(example)); err != nil {
			t.Errorf("schema refuses %s: %v", name, err)
		}
	}
	for _, bad := range []string{
		"accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml}\n",
		"accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A, platform: true}\n",
		"accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A, extra: 1}\n",
		"templates: {t: t.yaml}\naccounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, template: t, secret_env: A}\n",
		"templates: {t: t.yaml}\naccounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, vars: {x: y}, secret_env: A}\n",
		"accounts_from:\n  - {file: a.csv, command: [x]}\n",
		"accounts_from:\n  - {file: a.csv, defaults: {name: a}}\n",
	} {
		if check(bad) == nil {
			t.Errorf("schema accepts %q", bad)
		}
		if _, err := Parse("p.yaml", []byte(bad)); err == nil {
			t.Errorf("Parse accepts %q", bad)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	p, err := Load("../../examples/fleet/wxmenu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.Accounts[0].TokenCommand, p.Accounts[0].SecretEnv = []string{"./bin/tok en", `a"b`}, ""
	p.Accounts[1].Mode = ModeObserve
	back, err := Parse(p.Path, p.Marshal())
	if err != nil {
		t.Fatalf("%v\n%s", err, p.Marshal())
	}
	// Where an account is defined, and the waves, moves with the layout.
	if diff := cmp.Diff(p.placeless(), back.placeless(), cmpopts.IgnoreFields(Account{}, "Origin"), cmpopts.IgnoreUnexported(Wave{})); diff != "" {
		t.Errorf("(-marshalled +read back):\n%s", diff)
	}
}

func TestLoadBootstrap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wxmenu.yaml")
	os.WriteFile(path, []byte("platform: {component_appid: wx1234567890abcdef, component_secret_env: CS, verify_ticket_env: VT}\n"), 0o644)
	p, err := LoadBootstrap(path)
	if err != nil || len(p.Accounts) != 0 || p.Platform == nil {
		t.Fatalf("LoadBootstrap: %v %+v", err, p)
	}
	if _, err := Load(path); err == nil {
		t.Error("Load accepts a project without accounts")
	}
}

// TestLoadUnreadable: a project file that cannot be read is named once,
// with the reason.
func TestLoadUnreadable(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	if msg := fmt.Sprint(err); !strings.HasPrefix(msg, "reading "+dir+": ") || strings.Count(msg, dir) != 1 {
		t.Errorf("Load(a directory) = %q, want the path named once and the reason", msg)
	}
}

// TestMarshalTemplates: a project of templates and generators is written
// back with its templates, the accounts it lists itself and its
// generators as given, never the generated accounts.
func TestMarshalTemplates(t *testing.T) {
	p, err := Load("../../examples/platform/wxmenu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.AuditLog = filepath.Join(p.Dir, "logs", "audit.jsonl")
	data := p.Marshal()
	back, err := Parse(p.Path, data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if err := back.generate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := back.assignWaves(); err != nil {
		t.Fatal(err)
	}
	ignore := cmp.Options{cmpopts.IgnoreFields(Account{}, "Origin", "Parsed", "ComponentAppID"), cmpopts.IgnoreFields(Template{}, "Parsed"), cmpopts.IgnoreUnexported(Wave{})}
	if diff := cmp.Diff(p.placeless(), back.placeless(), ignore); diff != "" {
		t.Errorf("(-loaded +written and read back):\n%s\n%s", diff, data)
	}
	if strings.Contains(string(data), "store-0001") {
		t.Errorf("the generated accounts are written:\n%s", data)
	}
}

// TestMarshalPlatform: a platform whose tokens come from its
// authorizer_token_command (no component secret, no verify ticket) is
// written back as it was read.
func TestMarshalPlatform(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wxmenu.yaml")
	os.WriteFile(path, []byte("lang: zh-CN\nplatform:\n  component_appid: wx1234567890abcdef\n  authorizer_token_command: [./bin/tokens, --all]\naccounts:\n  - {name: a, appid: wx1234567890aaaaaa, file: a.yaml, platform: true}\n"), 0o644)
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(path, p.Marshal())
	if err != nil {
		t.Fatalf("%v\n%s", err, p.Marshal())
	}
	if diff := cmp.Diff(p.Platform, back.Platform); diff != "" {
		t.Errorf("platform (-marshalled +read back):\n%s", diff)
	}
	if back.Lang != "zh-CN" {
		t.Errorf("lang read back: %q, want zh-CN", back.Lang)
	}
}
