package suggest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClosest(t *testing.T) {
	flags := []string{"file", "f", "out", "o", "format", "detailed-exitcode", "allow-empty", "max-deletes"}
	keys := []string{"default", "conditional", "unmanaged", "tags", "name", "matchrule", "button", "protect",
		"type", "url", "sub_button", "tag_id", "client_platform_type", "accounts", "platform"}
	tests := []struct {
		typed      string
		candidates []string
		want       string
	}{
		{"fiel", flags, "file"},    // a transposition is one edit
		{"fle", flags, "file"},     // a letter left out
		{"ot", flags, "out"},       // short names get one edit; one-letter candidates are passed over
		{"formt", flags, "format"}, //
		{"max-delets", flags, "max-deletes"},
		{"detailedexitcode", flags, "detailed-exitcode"},
		{"auto-approve", flags, ""}, // not near any flag
		{"x", flags, ""},            // one letter says too little
		{"pln", []string{"validate", "plan", "apply"}, "plan"},
		{"buton", keys, "button"},
		{"sub_buttons", keys, "sub_button"},
		{"subbutton", keys, "sub_button"},
		{"URL", keys, "url"}, // case is ignored
		{"defualt", keys, "default"},
		{"tagid", keys, "tag_id"},
		{"acounts", keys, "accounts"},
		{"priority", keys, ""},
		{"xy", keys, ""},
		{"会员", []string{"会", "会员卡"}, "会员卡"}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := Closest(tt.typed, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kye", "key", 1},
		{"file", "fiel", 1},
		{"kitten", "sitting", 3},
		{"会员", "会员卡", 1},
	}
	var got []int
	var want []int
	for _, tt := range tests {
		got = append(got, Distance(tt.a, tt.b))
		want = append(want, tt.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Distance (-want +got):\n%s", diff)
	}
}
