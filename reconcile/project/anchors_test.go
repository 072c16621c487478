package project

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAnchorsAndMergeKeys: accounts that share settings write them once,
// with an anchor and a merge key (<<), as menus.yaml allows; the keys an
// account sets itself win over merged ones.
func TestAnchorsAndMergeKeys(t *testing.T) {
	src := `accounts:
  - &shop {name: shop-sh, appid: wx1234567890abcdef, file: shop-sh.yaml, secret_env: &env SHOP_SECRET}
  - <<: *shop
    name: shop-bj
    appid: wx1234567890abcde0
    file: shop-bj.yaml
  - <<: [{file: brand.yaml, secret_env: FIRST}, *shop]
    name: brand
    appid: wxabcdef1234567890
  - name: shop-gz
    appid: wx1234567890abcde1
    file: shop-gz.yaml
    secret_env: *env
`
	p, err := Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range p.Accounts {
		got = append(got, fmt.Sprintf("%s %s %s %s", a.Name, a.AppID, a.File, a.SecretEnv))
	}
	want := []string{
		"shop-sh wx1234567890abcdef shop-sh.yaml SHOP_SECRET",
		"shop-bj wx1234567890abcde0 shop-bj.yaml SHOP_SECRET",
		"brand wxabcdef1234567890 brand.yaml FIRST", // the first merged mapping wins
		"shop-gz wx1234567890abcde1 shop-gz.yaml SHOP_SECRET",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
}

// TestAliasBudget: a project file that aliases expand past the budget is
// refused once, whatever it would have said otherwise.
func TestAliasBudget(t *testing.T) {
	// Each level merges the one before ten times: 10^8 mappings to read
	// from a file of a few lines.
	var bomb strings.Builder
	bomb.WriteString("accounts:\n  - &l0 {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A}\n")
	for i := 1; i <= 8; i++ {
		prev := strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10)
		fmt.Fprintf(&bomb, "  - &l%d {<<: [%s], name: l%d}\n", i, strings.TrimSuffix(prev, ", "), i)
	}
	_, err := Parse("p.yaml", []byte(bomb.String()))
	if err == nil {
		t.Fatal("no error")
	}
	const budget = "file expands to more than 1000000 nodes through aliases\nhint: an alias (*name) repeats all its anchor (&name) holds, so aliases of aliases multiply; check anchors and aliases"
	n := 0
	for _, d := range asDiags(t, err) {
		if strings.HasSuffix(d, budget) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the budget is reported %d times, want once:\n%s", n, strings.Join(asDiags(t, err), "\n"))
	}
}
