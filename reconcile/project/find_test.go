package project

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const twoAccounts = "accounts:\n" +
	"  - {name: shop, appid: wx1234567890abcdef, file: shop.yaml, secret_env: SHOP_SECRET}\n" +
	"  - {name: brand, appid: wxabcdef1234567890, file: brand.yaml, secret_env: BRAND_SECRET}\n"

// TestFind covers which project a command without -f works on: -f wins,
// then --config, then ./wxmenu.yaml if it exists.
func TestFind(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("other.yaml", []byte(twoAccounts), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		defaultFile  bool // ./wxmenu.yaml exists
		file, config string
		wantPath     string // "" for the single-account mode
		wantNotFound string // the missing project file reported
	}{
		{name: "-f given, no project file", file: "m.yaml"},
		{name: "-f given wins over a project file", defaultFile: true, file: "m.yaml"},
		{name: "-f given wins over --config", file: "m.yaml", config: "other.yaml"},
		{name: "nothing given, no project file"},
		{name: "nothing given, ./wxmenu.yaml", defaultFile: true, wantPath: DefaultFile},
		{name: "--config given", config: "other.yaml", wantPath: "other.yaml"},
		{name: "--config wins over ./wxmenu.yaml", defaultFile: true, config: "other.yaml", wantPath: "other.yaml"},
		{name: "--config names a missing file", config: "missing.yaml", wantNotFound: "missing.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(DefaultFile)
			if tt.defaultFile {
				if err := os.WriteFile(DefaultFile, []byte(twoAccounts), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			p, err := Find(tt.file, tt.config)
			var nf *NotFoundError
			if errors.As(err, &nf) {
				if nf.Path != tt.wantNotFound {
					t.Errorf("not found %q, want %q", nf.Path, tt.wantNotFound)
				}
				return
			}
			if err != nil || tt.wantNotFound != "" {
				t.Fatalf("Find(%q, %q): %v, want not found %q", tt.file, tt.config, err, tt.wantNotFound)
			}
			got := ""
			if p != nil {
				got = p.Path
			}
			if got != tt.wantPath {
				t.Errorf("Find(%q, %q) = project %q, want %q", tt.file, tt.config, got, tt.wantPath)
			}
		})
	}
}

func TestForExport(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "wxmenu.yaml")
	bare := filepath.Join(dir, "bare.yaml") // a platform, no accounts yet
	for path, src := range map[string]string{
		full: twoAccounts,
		bare: "accounts: []\nplatform: {component_appid: wxfedcba9876543210, component_secret_env: CS, verify_ticket_env: VT}\n",
	} {
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		Project  string // "" for one account
		Accounts int
		Err      bool
	}
	tests := []struct {
		name        string
		config, out string
		bootstrap   bool
		want        result
	}{
		{name: "no --config: one account", want: result{}},
		{name: "no --config, --out: one account", out: "menus.yaml", want: result{}},
		{name: "--config: the project", config: full, want: result{Project: full, Accounts: 2}},
		{name: "--config and --out: one account's menus file", config: full, out: "menus.yaml", want: result{}},
		{name: "--bootstrap-platform: a project with no accounts yet", config: bare, bootstrap: true, want: result{Project: bare}},
		{name: "a project with no accounts, without --bootstrap-platform", config: bare, want: result{Err: true}},
		{name: "--bootstrap-platform on a project without a platform", config: full, bootstrap: true, want: result{Err: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ForExport(tt.config, tt.out, tt.bootstrap)
			got := result{Err: err != nil}
			if p != nil {
				got.Project, got.Accounts = p.Path, len(p.Accounts)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// Without --config, export finds wxmenu.yaml in the working directory,
	// as plan does (Find); --out still asks for one account's file.
	t.Chdir(dir)
	if p, err := ForExport("", "", false); err != nil || p == nil || p.Path != DefaultFile {
		t.Errorf("ForExport with ./%s = %v, %v; want that project", DefaultFile, p, err)
	}
	if p, err := ForExport("", "menus.yaml", false); err != nil || p != nil {
		t.Errorf("ForExport with ./%s and --out = %v, %v; want one account", DefaultFile, p, err)
	}
}
