package project

import (
	"errors"
	"os"
	"testing"

	"github.com/wxmenu/wxmenu/internal/yamlpos"
)

// FuzzParse: any bytes decode to a project or to located diagnostics,
// never a panic, and a decoded project marshals to a file that decodes to
// the same accounts.
func FuzzParse(f *testing.F) {
	if example, err := os.ReadFile("../../examples/fleet/wxmenu.yaml"); err == nil {
		f.Add(example)
	}
	f.Add([]byte("accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, token_command: [x, y]}\n"))
	f.Add([]byte("accounts: &a [*a]\n"))
	f.Add([]byte("accounts:\n  - &s {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: &e A}\n  - {<<: [*s, {file: b.yaml}], name: b, appid: wx1234567890abcde0, secret_env: *e}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("p.yaml", data)
		if err != nil {
			var diags yamlpos.Diagnostics
			if !errors.As(err, &diags) || len(diags) == 0 {
				t.Fatalf("error %v is not diagnostics", err)
			}
			for _, d := range diags {
				if d.Path != "p.yaml" || d.Message == "" {
					t.Fatalf("unlocated diagnostic %+v", d)
				}
			}
			return
		}
		back, err := Parse("p.yaml", p.Marshal())
		if err != nil {
			t.Fatalf("the marshalled project does not decode: %v\n%s", err, p.Marshal())
		}
		if len(back.Accounts) != len(p.Accounts) {
			t.Fatalf("%d accounts, then %d", len(p.Accounts), len(back.Accounts))
		}
	})
}
