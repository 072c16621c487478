package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHintGlobals(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"plan", "-f", "m.yaml"}, nil},
		{[]string{"--sandbox", "plan"}, []string{"--sandbox"}},
		{[]string{"plan", "-sandbox=true"}, []string{"--sandbox"}},
		{[]string{"plan", "--sandbox=false"}, nil},
		{[]string{"--sandbox", "--sandbox-state", "my state.json", "plan"}, []string{"--sandbox", "--sandbox-state", "my state.json"}},
		{[]string{"plan", "--sandbox-state=s.json"}, []string{"--sandbox-state", "s.json"}},
		{[]string{"--secret", "s3cret", "--appid", "wx1", "plan"}, nil}, // credentials are never repeated
		{[]string{"apply", "--", "--sandbox"}, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, HintGlobals(tt.args)); diff != "" {
			t.Errorf("HintGlobals(%q) (-want +got):\n%s", tt.args, diff)
		}
	}
}

func TestWithGlobals(t *testing.T) {
	g := []string{"--sandbox"}
	tests := []struct{ hint, want string }{
		{"make one with: wxmenu plan -f menus.yaml --out plan.json", "make one with: wxmenu --sandbox plan -f menus.yaml --out plan.json"},
		{"(wxmenu plan -f a.yaml) then (wxmenu apply plan.json)", "(wxmenu --sandbox plan -f a.yaml) then (wxmenu --sandbox apply plan.json)"},
		{"try wxmenu with --sandbox", "try wxmenu with --sandbox"},
		{"run 'wxmenu --help'", "run 'wxmenu --help'"},
	}
	for _, tt := range tests {
		if got := WithGlobals(tt.hint, g); got != tt.want {
			t.Errorf("WithGlobals(%q) = %q, want %q", tt.hint, got, tt.want)
		}
	}
	if got := WithGlobals("wxmenu plan", nil); got != "wxmenu plan" {
		t.Errorf("no globals changed the hint to %q", got)
	}
	// A value that needs quoting is quoted once, as a shell reads it.
	state := HintGlobals([]string{"--sandbox-state", "my state.json", "plan"})
	if got, want := WithGlobals("wxmenu plan -f m.yaml", state), "wxmenu --sandbox-state 'my state.json' plan -f m.yaml"; got != want {
		t.Errorf("WithGlobals with a state file = %q, want %q", got, want)
	}
}
