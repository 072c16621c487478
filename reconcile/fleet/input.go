package fleet

import (
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/reconcile/project"
)

// ApplyInput decides whether apply works on a project, from its arguments
// (args), its -f (file) and its --config (config):
//
//   - one argument that is a saved project plan: that plan (saved) and the
//     project it names, or the one config names;
//   - otherwise, the project project.Find finds (no -f, and --config or
//     ./wxmenu.yaml), which apply plans and applies in one go only with
//     autoApprove (--auto-approve): it never asks about a project, and
//     returns an *ApprovalError instead.
//
// A nil project and no error mean apply works on one account. That is
// also the answer for an argument that is not a readable plan, and for
// more than one argument: the single-account path says what is wrong.
func ApplyInput(args []string, file, config string, autoApprove bool) (p *project.Project, saved *plans.File, err error) {
	switch {
	case len(args) > 1:
		return nil, nil, nil
	case len(args) == 1:
		saved, err := plans.ReadFile(args[0])
		if err != nil || saved.Project == "" {
			return nil, nil, nil
		}
		if config == "" {
			config = saved.Project
		}
		p, err = project.Load(config)
		return p, saved, err
	}
	p, err = project.Find(file, config)
	if p != nil && err == nil && !autoApprove {
		return p, nil, &ApprovalError{}
	}
	return p, nil, err
}

// ApprovalError is apply of a project without a saved plan or
// --auto-approve.
type ApprovalError struct{}

func (*ApprovalError) Error() string {
	return "apply of a project needs --auto-approve or a saved plan"
}

// ErrorHint is the hint for people.
func (*ApprovalError) ErrorHint() string {
	return "pass --auto-approve, or apply a saved plan (wxmenu plan --out plan.json, then wxmenu apply plan.json)"
}
