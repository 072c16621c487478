package project

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/internal/yamlpos"
)

// TestFormat: wxmenu.yaml in the canonical layout: the decoder's key
// order, comments with their entries, anchors and merges kept; formatting
// it again changes nothing, and it decodes to the same project.
func TestFormat(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{{
		name: "keys in the decoder's order, comments with their entries",
		in: `platform:
  verify_ticket_env: TICKET
  component_secret_env: SECRET
  component_appid: wxfedcba9876543210
# the accounts
accounts:
  - secret_env: SHOP_SECRET # the AppSecret's variable
    file: shop.yaml
    appid: wx1234567890abcdef
    name: shop
  - {platform: true, name: client, file: client.yaml, appid: wx0123456789abcdef}
`,
		want: `# the accounts
accounts:
  - name: shop
    appid: wx1234567890abcdef
    file: shop.yaml
    secret_env: SHOP_SECRET # the AppSecret's variable
  - {name: client, appid: wx0123456789abcdef, file: client.yaml, platform: true}
platform:
  component_appid: wxfedcba9876543210
  component_secret_env: SECRET
  verify_ticket_env: TICKET
`,
	}, {
		name: "a rollout in the decoder's order, moved by formatting, and modes",
		in: `rollout:
  waves:
    - accounts: [shop]
      name: canary
    - {share: 1.0, name: everyone}
accounts:
  - {mode: observe, name: shop, appid: wx1234567890abcdef, file: shop.yaml, secret_env: S}
  - {name: brand, appid: wxabcdef1234567890, file: brand.yaml, secret_env: B, mode: paused}
`,
		want: `accounts:
  - {name: shop, appid: wx1234567890abcdef, file: shop.yaml, secret_env: S, mode: observe}
  - {name: brand, appid: wxabcdef1234567890, file: brand.yaml, secret_env: B, mode: paused}
rollout:
  waves:
    - name: canary
      accounts: [shop]
    - {name: everyone, share: 1.0}
`,
	}, {
		name: "anchors and merges kept, merge keys first",
		in: `accounts:
  - &shop {secret_env: SHOP_SECRET, name: shop-sh, appid: wx1234567890abcdef, file: shop-sh.yaml}
  - name: shop-bj
    <<: *shop
    file: shop-bj.yaml
    appid: wx1234567890abcde0
  - {name: brand, appid: wxabcdef1234567890, file: brand.yaml, token_command: ['./bin/token', 2024]}
`,
		want: `accounts:
  - &shop {name: shop-sh, appid: wx1234567890abcdef, file: shop-sh.yaml, secret_env: SHOP_SECRET}
  - <<: *shop
    name: shop-bj
    appid: wx1234567890abcde0
    file: shop-bj.yaml
  - {name: brand, appid: wxabcdef1234567890, file: brand.yaml, token_command: [./bin/token, "2024"]}
`,
	}, {
		name: "a platform whose command gives the tokens",
		in: `platform:
  authorizer_token_command: ['./bin/tokens', 2024]
  component_appid: wxfedcba9876543210
accounts:
  - {platform: true, name: client, file: client.yaml, appid: wx0123456789abcdef}
`,
		want: `accounts:
  - {name: client, appid: wx0123456789abcdef, file: client.yaml, platform: true}
platform:
  component_appid: wxfedcba9876543210
  authorizer_token_command: [./bin/tokens, "2024"]
`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkFormat(t, []byte(tt.in))
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
		})
	}
}

// checkFormat formats data and checks that the result decodes to the same
// project and formats to itself.
func checkFormat(t *testing.T, data []byte) []byte {
	t.Helper()
	got, err := Format("p/wxmenu.yaml", data)
	if err != nil {
		t.Fatalf("Format: %v", err)
	}
	before, err := parse("p/wxmenu.yaml", data, true)
	if err != nil {
		t.Fatal(err)
	}
	after, err := parse("p/wxmenu.yaml", got, true)
	if err != nil {
		t.Fatalf("the formatted file does not decode: %v\n%s", err, got)
	}
	if !reflect.DeepEqual(before.placeless(), after.placeless()) {
		t.Fatalf("the formatted file decodes to another project:\n%s", got)
	}
	again, err := Format("p/wxmenu.yaml", got)
	if err != nil || string(again) != string(got) {
		t.Fatalf("Format is not idempotent (%v):\n%s\nthen:\n%s", err, got, again)
	}
	return got
}

// TestFormatExample: the example project formats to a file that decodes
// the same, and formats idempotently (that it is formatted already is
// .ci/run's wxmenu fmt --check).
func TestFormatExample(t *testing.T) {
	data, err := os.ReadFile("../../examples/fleet/wxmenu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checkFormat(t, data)
}

// TestFormatRefusesABrokenFile: a file that does not decode is its located
// diagnostics, and no output.
func TestFormatRefusesABrokenFile(t *testing.T) {
	out, err := Format("wxmenu.yaml", []byte("accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, secret: X}\n"))
	var diags yamlpos.Diagnostics
	if !errors.As(err, &diags) || out != nil || diags[0].Pos.Line != 2 {
		t.Fatalf("Format = %q, %v; want no output and a diagnostic on line 2", out, err)
	}
}
