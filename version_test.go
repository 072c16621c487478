package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/internal/buildinfo"
)

// TestVersionFlag checks that --version prints the running build's stamp.
func TestVersionFlag(t *testing.T) {
	code, stdout, stderr := runCLI(t, "--version")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := "wxmenu version " + buildinfo.Current().String() + "\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("--version (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(stdout, "wxmenu version ") || len(stdout) <= len("wxmenu version \n") {
		t.Errorf("--version printed %q", stdout)
	}
}
