package desired

import (
	"context"
	"errors"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/yamlpos"
)

// MaxFileBytes is the largest desired-state file accepted. Real files are a
// few kilobytes; the cap keeps a wrong path (a log, a binary) from being
// parsed at length.
const MaxFileBytes = 1 << 20

// menusFile is what a menus.yaml may be. Aliases can make a small file
// describe an exponentially large tree; real files have a few hundred
// nodes.
var menusFile = yamlpos.File{
	MaxBytes: MaxFileBytes,
	SizeHint: "a menus file is a few kilobytes; check that the path names the right file",
	MaxNodes: 100_000,
	Example:  minimalExample,
}

// minimalExample is shown when a file declares nothing, or something else
// than a mapping.
const minimalExample = `
  default:
    button:
      - {type: view, name: Home, url: "https://www.example.com/"}`

// Parse decodes a desired-state file strictly: unknown fields, wrong types,
// duplicate keys and malformed YAML are all reported, located, as
// Diagnostics. It checks structure only; Validate checks the menus against
// WeChat's rules.
func Parse(path string, data []byte) (*State, error) { return parse(path, data, nil) }

// parse is Parse, with scan (if set) given the file's nodes before they
// are decoded, to report what else a kind of file forbids (a template's
// placeholders).
func parse(path string, data []byte, scan func(*yamlpos.Decoder, *yaml.Node)) (*State, error) {
	d, root, err := menusFile.Parse(path, data)
	if err != nil {
		return nil, err
	}
	if scan != nil {
		scan(d, root)
	}
	ds := (&decoder{Decoder: d, positions: map[string]Pos{}}).decodeFile(root)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return ds, nil
}

// Load reads, parses and validates a desired-state file. Problems in the
// file are Diagnostics; failing to read it is an *errtext.Error worded
// for people ("cannot read menus.yaml: no such file").
func Load(path string) (*State, error) {
	data, err := yamlpos.ReadFile(path, MaxFileBytes)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, &errtext.Error{Message: "cannot read " + path + ": no such file", Err: err, Hint: "pass the desired-state file with -f, e.g. -f menus.yaml"}
	case err != nil:
		return nil, &errtext.Error{Message: fmt.Sprintf("cannot read %s: %v", path, errtext.PathReason(err)), Err: err}
	}
	ds, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if diags := Validate(ds); len(diags) > 0 {
		return nil, diags
	}
	return ds, nil
}

// LoadContext is Load that gives up when ctx is done. Opening a named pipe
// (validate -f FIFO, or a plan whose desired_file is one) blocks until a
// writer appears, and a read of one until it writes; an interrupt or the
// command's --timeout (ctx's deadline) must still stop the command, and
// the error says which. The abandoned read is left to the exiting
// process.
func LoadContext(ctx context.Context, path string) (*State, error) {
	var ds *State
	var err error
	done := make(chan struct{})
	go func() {
		ds, err = Load(path)
		close(done)
	}()
	select {
	case <-done:
		return ds, err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &errtext.Error{Message: fmt.Sprintf("reading %s: timed out", path), Err: ctx.Err(),
				Hint: "nothing was read from it within --timeout; if it is a named pipe, something must write to it, or allow more time with --timeout"}
		}
		return nil, &errtext.Error{Message: fmt.Sprintf("reading %s: interrupted", path), Err: ctx.Err()}
	}
}
