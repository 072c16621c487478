//go:build unix

package runcmd_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/internal/runcmd"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "here"), []byte("in dir\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cmd     runcmd.Command
		want    string
		wantErr string
	}{
		{"stdin", runcmd.Command{Argv: []string{"cat"}, Stdin: []byte("a\nb\n"), MaxOutput: 4}, "a\nb\n", ""},
		{"no stdin", runcmd.Command{Argv: []string{"cat"}, MaxOutput: 4}, "", ""},
		{"dir", runcmd.Command{Argv: []string{"cat", "here"}, Dir: dir, MaxOutput: 100}, "in dir\n", ""},
		{"one byte over the cap", runcmd.Command{Argv: []string{"cat"}, Stdin: []byte("a\nb\nc"), MaxOutput: 4}, "", `"cat" printed more than 4 bytes: output too large`},
		{"stderr not shown", runcmd.Command{Argv: []string{"sh", "-c", "echo secret >&2; exit 3"}, MaxOutput: 4}, "", `"sh" failed: exit status 3 (its stderr is not shown: it may hold credentials)`},
		{"timeout", runcmd.Command{Argv: []string{"sleep", "60"}, MaxOutput: 4, Timeout: 50 * time.Millisecond}, "", `"sleep": timed out after 50ms`},
		{"missing", runcmd.Command{Argv: []string{filepath.Join(dir, "secret", "tokens")}, MaxOutput: 4}, "", `"tokens": cannot run it: no such file or directory`},
		{"no program", runcmd.Command{MaxOutput: 4}, "", "no program given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runcmd.Run(t.Context(), tt.cmd)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, string(out)); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := runcmd.Run(ctx, runcmd.Command{Argv: []string{"sleep", "60"}, MaxOutput: 4})
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), `"sleep": `) {
		t.Errorf("err = %v, want the program named and context.Canceled", err)
	}
}
