package plans

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
)

// File is a saved plan (plan --out): the plans of 1..N accounts, each a
// complete Plan sealed by its own PlanDigest, under a digest of the whole
// (FileDigest: the sha256 of the file's compact JSON with file_digest
// empty), so no account can be added, dropped, swapped or edited. A plan
// of one menus file (-f) is a File of one account with no Project and no
// name. The same document, read by ReadFile, serves apply and show.
type File struct {
	FormatVersion int       `json:"format_version"`
	ToolVersion   string    `json:"tool_version"`
	CreatedAt     time.Time `json:"created_at"`
	// Project is the project file the plans were made from, as given; ""
	// for a plan of one menus file.
	Project  string        `json:"project,omitempty"`
	Accounts []AccountPlan `json:"accounts"`
	// Waves are the project's rollout waves in the order they apply, when
	// it has rollout: (each account names its wave).
	Waves []string `json:"waves,omitempty"`
	// FileDigest is set by NewFile; see above.
	FileDigest string `json:"file_digest"`
}

// The names a project gives its accounts, and appids: a plan file holds
// only those, so a name read from one is never markup or a terminal
// escape (the project file checks its accounts with the same patterns).
var (
	AccountName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	AppID       = regexp.MustCompile(`^wx[0-9a-zA-Z_-]{6,30}$`)
)

// AccountPlan is one account's plan in a File.
type AccountPlan struct {
	// Name is the project's name for the account; "" for a plan of one
	// menus file.
	Name string `json:"name,omitempty"`
	// Wave is the account's rollout wave when the plan was made, and Mode
	// "observe" for an account planned and never applied (mode: observe);
	// both empty otherwise.
	Wave string `json:"wave,omitempty"`
	Mode string `json:"mode,omitempty"`
	Plan *Plan  `json:"plan"`
}

// Single is the plan of a File of one menus file (-f), or nil for a
// project's.
func (f *File) Single() *Plan {
	if f.Project == "" && len(f.Accounts) == 1 {
		return f.Accounts[0].Plan
	}
	return nil
}

// NewFile returns the sealed File of accounts' plans, each of them sealed
// and none blocked (a blocked plan is shown, never saved), in the rollout
// waves named (in order), if any.
func NewFile(project, toolVersion string, createdAt time.Time, accounts []AccountPlan, waves ...string) (*File, error) {
	f := &File{FormatVersion: FormatVersion, ToolVersion: toolVersion, CreatedAt: createdAt.UTC().Truncate(time.Second),
		Project: project, Accounts: accounts, Waves: waves}
	if err := f.check(); err != nil {
		return nil, err
	}
	var err error
	f.FileDigest, err = f.digest()
	return f, err
}

// document returns f as its document holds it (see document).
func (f *File) document() File {
	doc := *f
	doc.Accounts = make([]AccountPlan, len(f.Accounts))
	for i, a := range f.Accounts {
		p := document(a.Plan)
		doc.Accounts[i] = AccountPlan{Name: a.Name, Wave: a.Wave, Mode: a.Mode, Plan: &p}
	}
	return doc
}

// digest is the sha256 of f's compact JSON with file_digest empty.
func (f *File) digest() (string, error) {
	doc := f.document()
	doc.FileDigest = ""
	return sum(&doc)
}

// sealed reports whether f's FileDigest is its digest.
func (f *File) sealed() bool {
	d, err := f.digest()
	return err == nil && f.FileDigest != "" && d == f.FileDigest
}

// check is what a File must be, written or read: a project's accounts
// named and each listed once, a menus file's plan alone and unnamed, every
// plan whole (sealed, of this format, not blocked, runnable).
func (f *File) check() error {
	if len(f.Accounts) == 0 {
		return errors.New("invalid plan: it has no accounts")
	}
	if f.Project == "" && (len(f.Accounts) > 1 || f.Accounts[0].Name != "") {
		return errors.New("invalid plan: a plan of one menus file holds one unnamed account")
	}
	for _, w := range f.Waves {
		if !AccountName.MatchString(w) {
			return fmt.Errorf("invalid plan: wave %q is not a wave name", w)
		}
	}
	names, appids := map[string]bool{}, map[string]bool{}
	for i, a := range f.Accounts {
		if f.Project != "" && a.Name == "" {
			return fmt.Errorf("invalid plan: account %d has no name", i+1)
		}
		if f.Project != "" && !AccountName.MatchString(a.Name) {
			return fmt.Errorf("invalid plan: account %d's name %q is not an account name", i+1, a.Name)
		}
		if a.Plan == nil {
			return fmt.Errorf("invalid plan: account %s has no plan", a.Name)
		}
		if a.Mode != "" && a.Mode != "observe" {
			return fmt.Errorf("invalid plan: account %s's mode %q is not observe", a.Name, a.Mode)
		}
		if a.Wave != "" && !slices.Contains(f.Waves, a.Wave) {
			return fmt.Errorf("invalid plan: account %s's wave %q is not one of the plan's waves", a.Name, a.Wave)
		}
		if err := checkSealed(a.Plan); err != nil {
			if a.Name == "" {
				return err
			}
			return fmt.Errorf("account %s: %w", a.Name, err)
		}
		if names[a.Name] || appids[a.Plan.AppID] {
			return fmt.Errorf("invalid plan: account %s (%s) is listed twice", a.Name, a.Plan.AppID)
		}
		names[a.Name], appids[a.Plan.AppID] = true, true
	}
	return nil
}

// checkSealed is what every plan read or saved must be: of this format,
// not blocked, sealed and unchanged since, and runnable.
func checkSealed(p *Plan) error {
	if err := versionError(p.FormatVersion); err != nil {
		return err
	}
	switch {
	case p.IsBlocked():
		return errors.New("invalid plan: it is blocked by safety rails")
	case p.PlanDigest == "":
		return errors.New("invalid plan: plan_digest is missing")
	}
	if d, err := digestOf(p); err != nil || d != p.PlanDigest {
		return errors.New("plan file was edited after it was written, or made by a wxmenu that seals plans differently (plan_digest does not match)")
	}
	if err := checkPlan(p); err != nil {
		return fmt.Errorf("invalid plan: %w", err)
	}
	return nil
}

// WriteFile writes f, which NewFile sealed and nothing changed since.
func WriteFile(w io.Writer, f *File) error {
	if !f.sealed() {
		return errors.New("the plan file is not sealed, or changed after it was sealed")
	}
	doc := f.document()
	return writeIndented(w, &doc)
}

// legacyProjectKind is the "kind" of a project's plan before format 3.
const legacyProjectKind = "wxmenu-fleet-plan"

// readFile reads a File document, trusting nothing in it: apply runs
// whatever the steps say, so any edit, truncation or unknown content is
// refused.
func readFile(data []byte) (*File, error) {
	var f File
	if err := decodeDocument(data, &f); err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	if !f.sealed() {
		return nil, errors.New("plan file was edited after it was written, or made by a wxmenu that seals plans differently (file_digest does not match)")
	}
	return &f, nil
}

// ReadFile reads the plan file at path; its errors name the file and say
// how to make a new plan.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errtext.Errorf("make one with: wxmenu plan -f menus.yaml --out "+FreshName(path), "cannot read plan %s: %w", path, errtext.PathReason(err))
	}
	f, err := readFile(data)
	if err != nil {
		// The hints never name path as --out: path may be the user's
		// menus.yaml, given to apply without -f.
		out := path // an old or damaged plan: a new one may replace it
		if !IsPlanFile(path) {
			out = FreshName(path)
		}
		hint := "make a new plan with: wxmenu plan -f menus.yaml --out " + out
		if looksLikeYAML(data) {
			hint = path + " looks like a desired-state file; apply takes it with -f: wxmenu apply -f " + path +
				" (or review it first: wxmenu plan -f " + path + " --out " + FreshName(path) + ")"
		}
		return nil, &errtext.Error{Err: pathError(path, err), Hint: hint}
	}
	return f, nil
}
