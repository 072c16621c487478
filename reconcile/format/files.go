package format

import "github.com/wxmenu/wxmenu/reconcile/project"

// Files are the files of project p: the project file, its templates (each
// an ordinary menus file), then each account's menus file, once each, in
// the order the project lists them.
func Files(p *project.Project) []string {
	files := []string{p.Path}
	seen := map[string]bool{p.Path: true}
	add := func(path string) {
		if path != "" && !seen[path] {
			seen[path] = true
			files = append(files, path)
		}
	}
	for _, t := range p.Templates {
		add(t.Path)
	}
	for _, a := range p.Accounts {
		add(a.Path)
	}
	return files
}
