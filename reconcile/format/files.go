package format

import "github.com/wxmenu/wxmenu/reconcile/project"

// Files are the files of project p: the project file, then each account's
// menus file, once each, in the order the project lists them.
func Files(p *project.Project) []string {
	files := []string{p.Path}
	seen := map[string]bool{p.Path: true}
	for _, a := range p.Accounts {
		if a.Path != "" && !seen[a.Path] {
			seen[a.Path] = true
			files = append(files, a.Path)
		}
	}
	return files
}
