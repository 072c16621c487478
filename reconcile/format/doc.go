// Package format is `wxmenu fmt`: it tells a project file (wxmenu.yaml)
// from a menus file (File.Kind), formats each in its canonical layout
// (project.Format, desired.Format, both internal/yamlfmt), writes a file
// only when it changed and then atomically, keeping its mode
// (atomicfile.Replace), lists the files of a project (Files), and shows
// what formatting changes in a short line diff (Diff) for fmt --check.
//
// Files: format.go (File, Read, Kind), files.go (Files), diff.go (Diff).
package format
