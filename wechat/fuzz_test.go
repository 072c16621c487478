package wechat_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wxmenu/wxmenu/wechat"
)

// addCorpus seeds f with every fixture plus a few hostile bodies.
func addCorpus(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "api", "*.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"menu":null}`, `{"menu":{"button":"x"}}`,
		`{"errcode":"-1"}`, `{"errcode":1e400}`, `{"menuid":{}}`, `<html>502</html>`,
		`{"menu":{"button":[]},"conditionalmenu":[{"button":[],"matchrule":{"group_id":1.5e3}}]}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzDecodeMenuSet: decoding a menu/get body never panics, and a set it
// accepts re-encodes to JSON that decodes to the same set.
func FuzzDecodeMenuSet(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		set, err := wechat.DecodeMenuGet(body)
		if err != nil {
			if set != nil {
				t.Fatalf("error %v came with a non-nil set", err)
			}
			return
		}
		out, err := json.Marshal(set)
		if err != nil {
			t.Fatalf("decoded set does not re-encode: %v", err)
		}
		var again wechat.MenuSet
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-encoded set does not decode: %v\n%s", err, out)
		}
		if diff := cmp.Diff(*set, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip changed the set (-decoded +round-tripped):\n%s", diff)
		}
	})
}

// FuzzDecodeAddConditional: decoding an addconditional body never panics
// and success always yields a menuid.
func FuzzDecodeAddConditional(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		id, err := wechat.DecodeAddConditional(body)
		if err == nil && id == "" {
			t.Fatalf("success without a menuid for %q", body)
		}
	})
}
