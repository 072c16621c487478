package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestLayoutMatchesTheTree reads the layout in CONTRIBUTING.md and checks
// what it claims: every package of the module is listed, and each imports
// only packages listed below it (the test helpers in reconcile/internal
// aside), so the list reads top-down from the command line to the client.
func TestLayoutMatchesTheTree(t *testing.T) {
	const module = "github.com/wxmenu/wxmenu"
	contributing, err := os.ReadFile("CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(contributing), "## Layout\n")
	if !ok {
		t.Fatal("CONTRIBUTING.md has no ## Layout section")
	}
	_, block, _ := strings.Cut(section, "```\n")
	block, _, _ = strings.Cut(block, "```\n")

	// The listed directories, top to bottom; "main.go," stands for the root.
	var listed []string
	for _, line := range strings.Split(block, "\n") {
		first, _, _ := strings.Cut(line, " ")
		switch {
		case first == "main.go,":
			listed = append(listed, ".")
		case strings.HasSuffix(first, "/"):
			listed = append(listed, strings.TrimSuffix(first, "/"))
		}
	}
	// rank is the position of the entry that lists dir: the longest
	// one that is dir or a parent of it.
	rank := func(dir string) int {
		best := -1
		for i, entry := range listed {
			if (dir == entry || (entry != "." && strings.HasPrefix(dir, entry+"/"))) && (best < 0 || len(entry) > len(listed[best])) {
				best = i
			}
		}
		return best
	}

	// Every directory with non-test Go files is a package of the module.
	imports := map[string][]string{}
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "dist" || d.Name() == "examples") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if _, ok := imports[dir]; !ok {
			imports[dir] = nil // a package, even if it imports none of ours
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if rest, ok := strings.CutPrefix(p, module+"/"); ok && !slices.Contains(imports[dir], rest) {
				imports[dir] = append(imports[dir], rest)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, deps := range imports {
		r := rank(dir)
		if r < 0 {
			t.Errorf("package %s is not in the layout of CONTRIBUTING.md", dir)
			continue
		}
		if strings.HasPrefix(dir, "reconcile/internal/") {
			continue // test helpers build fixtures from the packages they serve
		}
		for _, dep := range deps {
			if rank(dep) <= r {
				t.Errorf("%s imports %s, which CONTRIBUTING.md lists above it or with it", dir, dep)
			}
		}
	}
}
