package account

import (
	"path/filepath"
	"testing"
)

func TestStatePaths(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", filepath.FromSlash("/state"))
	tests := []struct {
		name, got, want string
	}{
		{"sandbox state by default", StatePath("", "sandbox.json"), filepath.FromSlash("/state/wxmenu/sandbox.json")},
		{"sandbox state given", StatePath("my.json", "sandbox.json"), "my.json"},
		{"lock dir by default", StatePath("", "locks"), filepath.FromSlash("/state/wxmenu/locks")},
		{"lock dir given", StatePath("l", "locks"), "l"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
