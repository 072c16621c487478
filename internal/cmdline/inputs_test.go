package cmdline

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// describe is an error as Report prints it: message and hint.
func describe(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if h := (interface{ ErrorHint() string })(nil); errors.As(err, &h) && h.ErrorHint() != "" {
		s += "\nhint: " + h.ErrorHint()
	}
	return s
}

func TestApplyInput(t *testing.T) {
	dir := t.TempDir()
	digest := "sha256:" + strings.Repeat("0", 64)
	saved := &plans.Plan{FormatVersion: plans.FormatVersion, AppID: "wx1234567890abcdef", DesiredFile: "menus.yaml", DesiredDigest: digest, LiveDigest: digest}
	if err := plans.Seal(saved); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plans.Write(&buf, saved); err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(planFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")
	_, unreadable := plans.ReadFile(missing) // passed on as plans words it
	if unreadable == nil {
		t.Fatal("plans.ReadFile read a missing file")
	}

	type result struct {
		Saved bool   // a saved plan was read
		File  string // the desired-state file
		Err   string
	}
	tests := []struct {
		name                     string
		args                     []string
		file                     string
		autoApprove, interactive bool
		want                     result
	}{
		{name: "a saved plan: its file, no confirmation", args: []string{planFile}, want: result{Saved: true, File: "menus.yaml"}},
		{name: "a saved plan with -f: that file", args: []string{planFile}, file: "other.yaml", want: result{Saved: true, File: "other.yaml"}},
		{name: "a saved plan that cannot be read", args: []string{missing}, want: result{Err: describe(unreadable)}},
		{name: "two arguments", args: []string{planFile, "more"}, want: result{Err: "apply takes one plan file, got 2 arguments\nhint: flags go before PLAN.json"}},
		{name: "a flag after the plan", args: []string{"--auto-approve"}, want: result{Err: "unexpected flag \"--auto-approve\"\nhint: flags go before PLAN.json"}},
		{name: "nothing", want: result{Err: "nothing to apply\nhint: make a plan (wxmenu plan -f menus.yaml --out plan.json), review it and apply it (wxmenu apply plan.json), or plan and apply in one go (wxmenu apply -f menus.yaml)"}},
		{name: "-f with --auto-approve", file: "m.yaml", autoApprove: true, want: result{File: "m.yaml"}},
		{name: "-f on a terminal: it asks", file: "m.yaml", interactive: true, want: result{File: "m.yaml"}},
		{name: "-f with no one to ask", file: "m.yaml", want: result{
			Err: "apply -f needs confirmation, and standard input is not a terminal\nhint: pass --auto-approve to apply without a question, or apply a saved plan"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, file, err := ApplyInput(tt.args, tt.file, tt.autoApprove, tt.interactive)
			got := result{Saved: p != nil, File: file, Err: describe(err)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if p != nil && p.PlanDigest != saved.PlanDigest {
				t.Errorf("read plan %s, want %s", p.PlanDigest, saved.PlanDigest)
			}
		})
	}
}

func TestApplyFormat(t *testing.T) {
	type result struct {
		JSON bool
		Err  string
	}
	tests := []struct {
		format string
		want   result
	}{
		{"text", result{}},
		{"json", result{JSON: true}},
		{"markdown", result{Err: "unknown format \"markdown\"\nhint: use --format text or json"}},
		{"JSON", result{Err: "unknown format \"JSON\"\nhint: use --format text or json"}},
	}
	for _, tt := range tests {
		jsonOut, err := ApplyFormat(tt.format)
		if diff := cmp.Diff(tt.want, result{JSON: jsonOut, Err: describe(err)}); diff != "" {
			t.Errorf("ApplyFormat(%q) (-want +got):\n%s", tt.format, diff)
		}
	}
}

func TestShowArgs(t *testing.T) {
	type result struct{ File, Format, Err string }
	usage := "\nhint: wxmenu show [--format text|markdown|json|html] PLAN.json"
	tests := []struct {
		args []string
		want result
	}{
		{[]string{"plan.json"}, result{File: "plan.json", Format: "text"}},
		{[]string{"plan.json", "--format", "html"}, result{File: "plan.json", Format: "html"}}, // as terraform show
		{nil, result{Err: `show takes one plan file, got []` + usage}},
		{[]string{"a.json", "b.json"}, result{Err: `show takes one plan file, got ["a.json" "b.json"]` + usage}},
		{[]string{"plan.json", "--format"}, result{Err: `show takes one plan file, got ["plan.json" "--format"]` + usage}},
		{[]string{"--no-color"}, result{Err: `show takes one plan file, got ["--no-color"]` + usage}},
	}
	for _, tt := range tests {
		file, format, err := ShowArgs(tt.args, "text")
		if diff := cmp.Diff(tt.want, result{file, format, describe(err)}); diff != "" {
			t.Errorf("ShowArgs(%q) (-want +got):\n%s", tt.args, diff)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	commands := []string{"validate", "plan", "apply", "show"}
	tests := []struct{ name, want string }{
		{"pln", "unknown command \"pln\"\nhint: did you mean plan? (wxmenu plan --help shows how to use it)"},
		{"deploy", "unknown command \"deploy\"\nhint: run 'wxmenu --help' to list the commands"},
	}
	for _, tt := range tests {
		err := UnknownCommand(tt.name, commands)
		if diff := cmp.Diff(tt.want, describe(err)); diff != "" {
			t.Errorf("UnknownCommand(%q) (-want +got):\n%s", tt.name, diff)
		}
		if code := Report(&bytes.Buffer{}, err, nil, func(s string) string { return s }); code != ExitError {
			t.Errorf("UnknownCommand(%q) exits %d, want %d", tt.name, code, ExitError)
		}
	}
}

func TestDebugLogger(t *testing.T) {
	tests := []struct {
		verbose  bool
		logLevel string
		want     bool
	}{
		{false, "", false},
		{false, "info", false},
		{true, "", true},
		{false, "debug", true},
		{false, "DEBUG", true},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		logger := DebugLogger(tt.verbose, tt.logLevel, &buf)
		if (logger != nil) != tt.want {
			t.Errorf("DebugLogger(%v, %q) logs: %v, want %v", tt.verbose, tt.logLevel, logger != nil, tt.want)
			continue
		}
		if logger != nil {
			logger.Debug("call")
			if !bytes.Contains(buf.Bytes(), []byte("level=DEBUG msg=call")) {
				t.Errorf("DebugLogger(%v, %q) wrote %q, want the debug record", tt.verbose, tt.logLevel, buf.String())
			}
		}
	}
}

func TestAskYes(t *testing.T) {
	tests := []struct {
		answer string
		want   bool
	}{
		{"yes\n", true},
		{"  yes \n", true},
		{"yes", false}, // cut off by the end of input: not an answer
		{"y\n", false},
		{"YES\n", false},
		{"yes please\n", false},
		{"", false}, // no answer at all
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if got := AskYes(context.Background(), strings.NewReader(tt.answer), &out, "Apply?"); got != tt.want {
			t.Errorf("answer %q: %v, want %v", tt.answer, got, tt.want)
		}
		if diff := cmp.Diff("Apply? Only 'yes' is accepted: ", out.String()); diff != "" {
			t.Errorf("the question (-want +got):\n%s", diff)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if AskYes(ctx, blockingReader{}, io.Discard, "Apply?") {
		t.Error("an interrupted question agreed")
	}
}

// blockingReader never answers, like a terminal nobody types into.
type blockingReader struct{}

func (blockingReader) Read([]byte) (int, error) { select {} }
