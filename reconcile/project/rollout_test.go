package project

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// accountsYAML lists accounts named names, each with a secret.
func accountsYAML(names ...string) string {
	var b strings.Builder
	b.WriteString("accounts:\n")
	for i, n := range names {
		fmt.Fprintf(&b, "  - {name: %s, appid: wx%016d, file: %s.yaml, secret_env: S}\n", n, i+1, n)
	}
	return b.String()
}

func waves(t *testing.T, src string) map[string]string {
	t.Helper()
	p, err := Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range p.Accounts {
		got[a.Name] = a.Wave
	}
	return got
}

func TestRolloutAssign(t *testing.T) {
	names := []string{"store-0001", "store-0002", "store-0010", "shop-a", "shop-b", "brand"}
	tests := []struct {
		name, rollout string
		want          map[string]string
	}{
		{"no rollout", "", map[string]string{"store-0001": "", "store-0002": "", "store-0010": "", "shop-a": "", "shop-b": "", "brand": ""}},
		{"names and globs, then everyone", "rollout:\n  waves:\n    - {name: canary, accounts: [brand, \"store-000*\"]}\n    - {name: everyone, share: 1.0}\n",
			map[string]string{"store-0001": "canary", "store-0002": "canary", "store-0010": "everyone", "shop-a": "everyone", "shop-b": "everyone", "brand": "canary"}},
		{"the first wave that takes an account wins", "rollout:\n  waves:\n    - {name: one, accounts: [\"shop-*\"]}\n    - {name: two, accounts: [shop-a, brand]}\n    - {name: rest, accounts: [\"*\"]}\n",
			map[string]string{"store-0001": "rest", "store-0002": "rest", "store-0010": "rest", "shop-a": "one", "shop-b": "one", "brand": "two"}},
		// SharePoint: store-0001 0.15, store-0002 0.19, store-0010 0.33,
		// shop-a 0.33, shop-b 0.76, brand 0.02 (see TestSharePoint).
		{"cumulative shares", "rollout:\n  waves:\n    - {name: ten-percent, share: 0.1}\n    - {name: half, share: 0.5}\n    - {name: everyone, share: 1}\n",
			map[string]string{"store-0001": "half", "store-0002": "half", "store-0010": "half", "shop-a": "half", "shop-b": "everyone", "brand": "ten-percent"}},
		{"a share after names counts every account", "rollout:\n  waves:\n    - {name: canary, accounts: [store-0001]}\n    - {name: half, share: 0.5}\n    - {name: everyone, share: 1.0}\n",
			map[string]string{"store-0001": "canary", "store-0002": "half", "store-0010": "half", "shop-a": "half", "shop-b": "everyone", "brand": "half"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, waves(t, accountsYAML(names...)+tt.rollout)); diff != "" {
				t.Errorf("waves (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSharePoint(t *testing.T) {
	got := map[string]string{}
	for _, n := range []string{"store-0001", "store-0002", "store-0010", "shop-a", "shop-b", "brand"} {
		got[n] = fmt.Sprintf("%.2f", SharePoint(n))
	}
	want := map[string]string{"store-0001": "0.15", "store-0002": "0.19", "store-0010": "0.33", "shop-a": "0.33", "shop-b": "0.76", "brand": "0.02"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("share points (-want +got):\n%s", diff)
	}
}

// An account keeps its wave when accounts are added, removed or
// reordered, and a share takes about its share of a large fleet.
func TestRolloutStable(t *testing.T) {
	const rollout = "rollout:\n  waves:\n    - {name: canary, share: 0.01}\n    - {name: ten-percent, share: 0.1}\n    - {name: everyone, share: 1.0}\n"
	var names []string
	for i := range 2000 {
		names = append(names, fmt.Sprintf("store-%04d", i))
	}
	all := waves(t, accountsYAML(names...)+rollout)
	// Half the accounts, in reverse order, and 500 new ones.
	var other []string
	for i := len(names) - 1; i >= 0; i -= 2 {
		other = append(other, names[i])
	}
	for i := range 500 {
		other = append(other, fmt.Sprintf("new-%04d", i))
	}
	some := waves(t, accountsYAML(other...)+rollout)
	for name, w := range some {
		if old, ok := all[name]; ok && old != w {
			t.Errorf("%s moved from wave %s to %s", name, old, w)
		}
	}
	count := map[string]int{}
	for _, w := range all {
		count[w]++
	}
	// Cumulative: canary about 1%, ten-percent about 9%, everyone the rest.
	if c := count["canary"]; c < 8 || c > 35 {
		t.Errorf("canary has %d of 2000 accounts, want about 20", c)
	}
	if c := count["canary"] + count["ten-percent"]; c < 160 || c > 240 {
		t.Errorf("the first two waves have %d of 2000 accounts, want about 200", c)
	}
}

func TestRolloutErrors(t *testing.T) {
	base := accountsYAML("shop-a", "shop-b", "brand")
	tests := []struct {
		name, src string
		want      []string
	}{
		{"an account in no wave", base + "rollout:\n  waves:\n    - {name: canary, accounts: [shop-a]}\n", []string{
			"p.yaml:7:5: 2 accounts are in no wave of the rollout: shop-b, brand\nhint: end the waves with one that takes every account left: {name: everyone, share: 1.0}",
		}},
		{"a name the project does not list", base + "rollout:\n  waves:\n    - {name: canary, accounts: [shop-c]}\n    - {name: everyone, share: 1.0}\n", []string{
			"p.yaml:7:33: wave canary names account \"shop-c\", which the project does not list\nhint: the accounts are: shop-a, shop-b, brand",
		}},
		{"a bad glob", base + "rollout:\n  waves:\n    - {name: canary, accounts: [\"shop-[\"]}\n    - {name: everyone, share: 1.0}\n", []string{
			"p.yaml:7:33: \"shop-[\" in wave canary is not a name or glob\nhint: a glob uses * ? and [...] as in --account",
		}},
		{"a share out of range", base + "rollout:\n  waves:\n    - {name: everyone, share: 1.5}\n", []string{
			"p.yaml:7:31: share of wave everyone must be a number above 0 and at most 1\nhint: shares are cumulative: share: 0.1 takes the accounts of the first tenth not taken yet, share: 1.0 every account left",
		}},
		{"a share as text", base + "rollout:\n  waves:\n    - {name: everyone, share: \"10%\"}\n", []string{
			"p.yaml:7:31: share of wave everyone must be a number above 0 and at most 1\nhint: shares are cumulative: share: 0.1 takes the accounts of the first tenth not taken yet, share: 1.0 every account left",
		}},
		{"both", base + "rollout:\n  waves:\n    - {name: canary, accounts: [shop-a], share: 0.1}\n    - {name: everyone, share: 1.0}\n", []string{
			"p.yaml:7:7: wave canary has both accounts and share\nhint: split it into two waves: one of accounts, then one of a share",
		}},
		{"neither, and no name", base + "rollout:\n  waves:\n    - {share: 1.0}\n    - {name: x}\n", []string{
			"p.yaml:7:7: the wave has no name\nhint: add name: a short label such as canary (apply --wave names it)",
			"p.yaml:8:7: wave x has neither accounts nor share\nhint: give accounts: [names or globs] or share: a number above 0 and at most 1",
		}},
		{"a wave twice", base + "rollout:\n  waves:\n    - {name: everyone, share: 1.0}\n    - {name: everyone, share: 1.0}\n", []string{
			"p.yaml:8:7: wave name \"everyone\" is used twice (first on line 7)\nhint: give every wave a unique name: apply --wave names it",
		}},
		{"a share an earlier wave took, and a wave after everyone", base + "rollout:\n  waves:\n    - {name: half, share: 0.5}\n    - {name: tenth, share: 0.1}\n    - {name: everyone, share: 1.0}\n    - {name: late, accounts: [shop-a]}\n", []string{
			"p.yaml:8:7: wave \"tenth\" has share 0.1, which an earlier wave's share 0.5 already took\nhint: shares are cumulative (share: 0.1 then share: 0.5 is a tenth, then the next four tenths): give it a share above 0.5",
			"p.yaml:10:7: wave \"late\" comes after a wave of share 1.0, which took every account\nhint: end the waves with the one of share: 1.0, which takes every account left",
		}},
		{"no waves", base + "rollout: {}\n", []string{
			"p.yaml:5:10: rollout has no waves\nhint: list the waves under waves:, e.g. [{name: canary, accounts: [shop-sh]}, {name: everyone, share: 1.0}]",
		}},
		{"an unknown mode", "accounts:\n  - {name: a, appid: wx1234567890abcdef, file: a.yaml, secret_env: A, mode: watch}\n", []string{
			"p.yaml:2:77: mode of account a is \"watch\", not enforce, observe or paused\nhint: write mode: enforce (the default), observe (planned, never applied) or paused (skipped)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, asDiags(t, err)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestModes(t *testing.T) {
	p, err := Parse("p.yaml", []byte("accounts:\n"+
		"  - {name: a, appid: wx1234567890abcde1, file: a.yaml, secret_env: A}\n"+
		"  - {name: b, appid: wx1234567890abcde2, file: b.yaml, secret_env: A, mode: observe}\n"+
		"  - {name: c, appid: wx1234567890abcde3, file: c.yaml, secret_env: A, mode: paused}\n"+
		"  - {name: d, appid: wx1234567890abcde4, file: d.yaml, secret_env: A, mode: enforce}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []Mode
	for _, a := range p.Accounts {
		got = append(got, a.Mode)
	}
	if diff := cmp.Diff([]Mode{ModeEnforce, ModeObserve, ModePaused, ModeEnforce}, got); diff != "" {
		t.Errorf("modes (-want +got):\n%s", diff)
	}
}

// Generated accounts (accounts_from:) get their waves like written ones,
// and a wave may name one.
func TestRolloutGenerated(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("stores.csv", "name,appid,file,secret_env\nstore-0001,wx0000000000000001,s1.yaml,S\nstore-0002,wx0000000000000002,s2.yaml,S\n")
	project := "accounts:\n  - {name: brand, appid: wx00000000000000b1, file: b.yaml, secret_env: B}\naccounts_from:\n  - file: stores.csv\n"
	write("wxmenu.yaml", project+"rollout:\n  waves:\n    - {name: canary, accounts: [store-0002]}\n    - {name: everyone, share: 1.0}\n")
	p, err := Load(filepath.Join(dir, "wxmenu.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range p.Accounts {
		got[a.Name] = a.Wave
	}
	if diff := cmp.Diff(map[string]string{"brand": "everyone", "store-0001": "everyone", "store-0002": "canary"}, got); diff != "" {
		t.Errorf("waves (-want +got):\n%s", diff)
	}
	write("wxmenu.yaml", project+"rollout:\n  waves:\n    - {name: canary, accounts: [store-0003]}\n")
	_, err = Load(filepath.Join(dir, "wxmenu.yaml"))
	want := []string{
		filepath.Join(dir, "wxmenu.yaml") + ":7:5: 3 accounts are in no wave of the rollout: brand, store-0001, store-0002\nhint: " + endWaves,
		filepath.Join(dir, "wxmenu.yaml") + ":7:33: wave canary names account \"store-0003\", which the project does not list\nhint: the accounts are: brand, store-0001, store-0002",
	}
	if diff := cmp.Diff(want, asDiags(t, err)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
