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

func TestRunLines(t *testing.T) {
	stop := errors.New("line 2 is wrong")
	tests := []struct {
		name    string
		script  string
		want    []string
		wantErr string
	}{
		{"lines", `printf 'a\n\nbc\nd'`, []string{"a", "", "bc", "d"}, ""},
		{"a line too long", `printf 'abcd\nabcde\n'`, []string{"abcd"}, `"sh": line 2 of its output is longer than 4 bytes: output too large`},
		{"a line too long, unfinished", `printf 'abcd\nabcde'`, []string{"abcd"}, `"sh": line 2 of its output is longer than 4 bytes: output too large`},
		{"too much output", `printf 'a\nb\nc\nd\ne\nf\n'`, []string{"a", "b", "c", "d", "e"}, `"sh" printed more than 10 bytes: output too large`},
		{"error of Lines", `printf 'a\nstop\nc\n'; sleep 60`, []string{"a", "stop"}, `"sh": line 2 is wrong`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			out, err := runcmd.Run(t.Context(), runcmd.Command{Argv: []string{"sh", "-c", tt.script}, MaxOutput: 10, MaxLine: 4, Lines: func(line []byte) error {
				got = append(got, string(line))
				if string(line) == "stop" {
					return stop
				}
				return nil
			}})
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tt.wantErr, gotErr); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if out != nil {
				t.Errorf("output %q, want none: Lines had it", out)
			}
		})
	}
}
