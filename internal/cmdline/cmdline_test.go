package cmdline

import (
	"testing"
)

func TestClosest(t *testing.T) {
	flags := []string{"file", "f", "out", "o", "format", "detailed-exitcode", "allow-empty", "max-deletes"}
	tests := []struct{ typed, want string }{
		{"fiel", "file"},    // a transposition is one edit
		{"fle", "file"},     // a letter left out
		{"ot", "out"},       // short names get one edit
		{"formt", "format"}, //
		{"max-delets", "max-deletes"},
		{"auto-approve", ""}, // not near any flag of this command
		{"x", ""},            // one letter says too little
		{"detailedexitcode", "detailed-exitcode"},
	}
	for _, tt := range tests {
		if got := closest(tt.typed, flags); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
	if got := Closest("pln", []string{"validate", "plan", "apply"}); got != "plan" {
		t.Errorf("Closest(pln) = %q, want plan", got)
	}
}
