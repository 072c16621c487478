package errtext

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type hinted struct{ hint string }

func (e *hinted) Error() string     { return "refused" }
func (e *hinted) ErrorHint() string { return e.hint }

func TestHint(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("plain"), ""},
		{&hinted{"do this"}, "do this"},
		{fmt.Errorf("account a: %w", &hinted{"do that"}), "do that"},
		{errors.Join(errors.New("first"), &hinted{"joined"}), "joined"},
	}
	var got, want []string
	for _, tt := range tests {
		got, want = append(got, Hint(tt.err)), append(want, tt.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Hint (-want +got):\n%s", diff)
	}
}

func TestPathReason(t *testing.T) {
	_, err := os.Open(filepath.Join(t.TempDir(), "menus.yaml"))
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		t.Fatalf("os.Open = %v, want an *fs.PathError", err)
	}
	if got := PathReason(fmt.Errorf("reading: %w", err)); got != pe.Err {
		t.Errorf("PathReason = %v, want %v", got, pe.Err)
	}
	plain := errors.New("plain")
	if got := PathReason(plain); got != plain {
		t.Errorf("PathReason(plain) = %v, want it unchanged", got)
	}
}

func TestErrorf(t *testing.T) {
	err := Errorf("check the path", "reading %s: %w", "menus.yaml", fs.ErrNotExist)
	got := []any{err.Error(), Hint(err), errors.Is(err, fs.ErrNotExist)}
	if diff := cmp.Diff([]any{"reading menus.yaml: file does not exist", "check the path", true}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
