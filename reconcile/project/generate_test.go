package project

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLoadTemplatesAndGenerators: templated accounts and generated ones,
// their problems located in the file that defines them.
func TestLoadTemplatesAndGenerators(t *testing.T) {
	const template = "default:\n  button:\n    - {type: view, name: A, url: \"https://x.example.com/${id}\"}\n"
	tests := []struct {
		name, project, csv string
		want               []string // the accounts (name origin template vars), or the diagnostics
	}{{
		name:    "accounts of a template from the file and a CSV file, defaults merged under them",
		project: "templates: {t: t.yaml}\naccounts:\n  - {name: a, appid: wx0000000000000001, template: t, vars: {id: \"1\"}, secret_env: S}\naccounts_from:\n  - {file: a.csv, defaults: {template: t, secret_env: S, vars: {id: \"0\", x: y}}}\n",
		csv:     "name,appid,vars.id\nb,wx0000000000000002,2\nc,wx0000000000000003,\n",
		want:    []string{"a p/wxmenu.yaml:3:5 t map[id:1]", "b p/a.csv:2:1 t map[id:2 x:y]", "c p/a.csv:3:1 t map[id:0 x:y]"},
	}, {
		name:    "a CSV file saved by a spreadsheet: a byte order mark and CRLF line ends",
		project: "accounts_from:\n  - {file: a.csv, defaults: {file: t.yaml, secret_env: S}}\n",
		csv:     "\ufeffname,appid\r\nb,wx0000000000000002\r\n",
		want:    []string{"b p/a.csv:2:1  map[]"},
	}, {
		name:    "a template that is not the project's; vars without a template; file and template",
		project: "templates: {t: t.yaml}\naccounts:\n  - {name: a, appid: wx0000000000000001, template: u, secret_env: S}\n  - {name: b, appid: wx0000000000000002, file: b.yaml, vars: {id: \"1\"}, secret_env: S}\n  - {name: c, appid: wx0000000000000003, file: c.yaml, template: t, secret_env: S}\n",
		want: []string{
			"p/wxmenu.yaml:3:52: template \"u\" of account a is not one of the project's templates\nhint: the project's templates are: t",
			"p/wxmenu.yaml:4:56: account b has vars but no template\nhint: vars: are the values of a template's placeholders; add template: or remove vars:",
			"p/wxmenu.yaml:5:56: account c has both file and template\nhint: keep file: for an account's own menus file, or template: with vars: for a shared template",
		},
	}, {
		name:    "a CSV account repeating a name of accounts:, and a column that is no account key",
		project: "templates: {t: t.yaml}\naccounts:\n  - {name: a, appid: wx0000000000000001, template: t, vars: {id: \"1\"}, secret_env: S}\naccounts_from:\n  - {file: a.csv, defaults: {template: t, secret_env: S}}\n",
		csv:     "name,appid,vars.id\na,wx0000000000000002,2\n",
		want:    []string{"p/a.csv:2:1: account name \"a\" is used twice (first on p/wxmenu.yaml:3:5)\nhint: give every account a unique name: plans, locks and --account use it"},
	}, {
		name:    "defaults that name an account",
		project: "accounts_from:\n  - {file: a.csv, defaults: {name: x, file: a.yaml, secret_env: S}}\n",
		csv:     "name,appid\na,wx0000000000000002\n",
		want:    []string{"p/wxmenu.yaml:2:30: unknown field \"name\" in defaults\nhint: every account has its own name; the generator gives it"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p")
			for name, data := range map[string]string{"wxmenu.yaml": tt.project, "a.csv": tt.csv, "t.yaml": template} {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(filepath.Dir(dir))
			p, err := Load("p/wxmenu.yaml")
			var got []string
			if err != nil {
				got = asDiags(t, err)
			} else {
				for _, a := range p.Accounts {
					got = append(got, a.Name+" "+a.Origin.String()+" "+a.Template+" "+fmtVars(a.Vars))
					if _, err := a.Desired(t.Context()); err != nil {
						t.Errorf("account %s: %v", a.Name, err)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func fmtVars(vars map[string]string) string {
	return fmt.Sprint(vars) // sorted by key
}
