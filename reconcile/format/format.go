package format

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// Kind is what a file is.
type Kind int

const (
	Menus   Kind = iota // an account's menus.yaml
	Project             // a project file, wxmenu.yaml
)

// maxFileBytes is read of a file before its kind is known: the larger
// cap, the project file's; each kind's parser then applies its own.
const maxFileBytes = 32 << 20

// KindOf is the kind of the file at path holding data: a project file
// when it is named wxmenu.yaml or its top-level mapping has accounts:,
// else a menus file.
func KindOf(path string, data []byte) (kind Kind) {
	defer func() {
		// yaml.v3 has panicked on hostile input before; the menus parser
		// then reports the file, without crashing.
		if recover() != nil {
			kind = Menus
		}
	}()
	if name := filepath.Base(path); name == project.DefaultFile || name == "wxmenu.yml" {
		return Project
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return Menus
	}
	top := doc.Content[0]
	for i := 0; top.Kind == yaml.MappingNode && i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "accounts" {
			return Project
		}
	}
	return Menus
}

// File is a file read and formatted.
type File struct {
	Path      string
	Kind      Kind
	Data      []byte // as read
	Formatted []byte
}

// Changed reports whether formatting changes the file.
func (f *File) Changed() bool { return !bytes.Equal(f.Data, f.Formatted) }

// Read reads the file at path and formats it. A file that does not parse
// is its located diagnostics (yamlpos.Diagnostics).
func Read(path string) (*File, error) {
	data, err := yamlpos.ReadFile(path, maxFileBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &errtext.Error{Message: "cannot read " + path + ": no such file", Err: err,
			Hint: "name menus.yaml or wxmenu.yaml files, or run wxmenu fmt with no file where wxmenu.yaml is"}
	case err != nil:
		return nil, &errtext.Error{Message: fmt.Sprintf("cannot read %s: %v", path, errtext.PathReason(err)), Err: err}
	}
	f := &File{Path: path, Kind: KindOf(path, data), Data: data}
	if f.Kind == Project {
		f.Formatted, err = project.Format(path, data)
	} else {
		f.Formatted, err = desired.Format(path, data)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Write replaces the file with its formatted text, when that differs,
// atomically and keeping its mode.
func (f *File) Write() error {
	if !f.Changed() {
		return nil
	}
	if err := atomicfile.Replace(f.Path, f.Formatted); err != nil {
		return &errtext.Error{Message: fmt.Sprintf("cannot write %s: %v", f.Path, errtext.PathReason(err)), Err: err}
	}
	return nil
}
