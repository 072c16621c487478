package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestCompletion runs wxmenu as the completion scripts of urfave/cli
// (docs/installation.md) call it: the words typed before the cursor, then
// --generate-bash-completion; the word being typed is among them only when
// it starts with "-". What it prints is what the shell offers; nothing
// makes bash (complete -o default) and zsh (_files) complete file names.
func TestCompletion(t *testing.T) {
	commands := []string{"validate", "plan", "apply", "drift", "watch", "history", "show", "export", "render", "fmt", "schema", "trymatch", "sandbox"}
	tests := []struct {
		name  string
		words []string
		want  []string
	}{
		{"commands", nil, commands},
		{"commands after a global flag", []string{"--sandbox"}, commands},
		{"commands after global flags", []string{"--sandbox", "--verbose"}, commands},
		{"commands after a global flag's value", []string{"--api-base", "http://127.0.0.1:8808"}, commands},
		{"subcommands, no help", []string{"sandbox"}, []string{"serve", "reset"}},
		{"subcommands after a global flag", []string{"--sandbox", "sandbox"}, []string{"serve", "reset"}},
		{"a command without subcommands offers no help", []string{"plan"}, nil},
		{"a command's argument is a file", []string{"--sandbox", "apply"}, nil},
		{"files after -f", []string{"plan", "-f"}, nil},
		{"files after --file", []string{"validate", "--file"}, nil},
		{"files after -f, global flag first", []string{"--sandbox", "plan", "-f"}, nil},
		{"files after --out", []string{"plan", "--out"}, nil},
		{"files after -o", []string{"export", "-o"}, nil},
		{"files after --config", []string{"--config"}, nil},
		{"files after a command's --config", []string{"plan", "--config"}, nil},
		{"flags that match", []string{"plan", "--fi"}, []string{"--file"}},
		{"global flags that match", []string{"--sand"}, []string{"--sandbox", "--sandbox-state"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(tt.words, "--generate-bash-completion")...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			if diff := cmp.Diff(tt.want, strings.Fields(stdout), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("wxmenu %s --generate-bash-completion (-want +got):\n%s", strings.Join(tt.words, " "), diff)
			}
		})
	}
}

// TestDocumentedCompletionScript runs the bash completion script that
// docs/installation.md tells users to source, urfave/cli's
// autocomplete/bash_autocomplete at the version in go.mod, against this
// test binary as wxmenu, and checks what bash would offer. bash-completion's
// _get_comp_words_by_ref, which the script calls, is stood in for by its
// minimal form.
func TestDocumentedCompletionScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}} {{.Dir}}", "github.com/urfave/cli/v2").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	version, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	doc, err := os.ReadFile("docs/installation.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := "urfave/cli/" + version + "/autocomplete/bash_autocomplete"; !strings.Contains(string(doc), want) {
		t.Errorf("docs/installation.md does not name %s, the version wxmenu is built with", want)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "wxmenu")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		words string // typed before the cursor, the last one being completed
		want  string // what bash offers; "" completes file names (complete -o default)
	}{
		{"wxmenu pl", "plan"},
		{"wxmenu --sandbox ''", "validate plan apply drift watch history show export render fmt schema trymatch sandbox"},
		{"wxmenu sandbox ''", "serve reset"},
		{"wxmenu --sandbox plan -f ''", ""},
		{"wxmenu plan --out ''", ""},
		{"wxmenu --config ''", ""},
		{"wxmenu plan --fi", "--file"},
	}
	var calls strings.Builder
	for _, tt := range tests {
		fmt.Fprintf(&calls, "try %s\n", tt.words)
	}
	script := `_get_comp_words_by_ref() { cur="${COMP_WORDS[COMP_CWORD]}"; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; prev="${COMP_WORDS[COMP_CWORD-1]}"; }
PROG=wxmenu source "$SCRIPT"
try() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _cli_bash_autocomplete; echo "${COMPREPLY[*]}"; }
` + calls.String()
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "SCRIPT="+filepath.Join(dir, "autocomplete", "bash_autocomplete"))
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(lines) != len(tests) {
		t.Fatalf("bash printed %d lines, want %d:\n%s", len(lines), len(tests), got)
	}
	for i, tt := range tests {
		if diff := cmp.Diff(tt.want, lines[i]); diff != "" {
			t.Errorf("%s<TAB> (-want +got):\n%s", tt.words, diff)
		}
	}
}
