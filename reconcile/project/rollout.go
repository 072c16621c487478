package project

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// Mode is how a run treats an account (mode:).
type Mode string

// Modes. The zero Mode reads as ModeEnforce.
const (
	ModeEnforce Mode = "enforce" // planned and applied (the default)
	ModeObserve Mode = "observe" // planned and drift-checked, never applied
	ModePaused  Mode = "paused"  // skipped: not read, not planned, listed
)

// Rollout is rollout:, the waves an apply runs the accounts in.
type Rollout struct {
	Waves []Wave
	// At is where the waves are written, for errors about them (wxmenu
	// fmt's check of a project ignores it).
	At yamlpos.Pos
}

// Wave is one wave of a rollout. It takes the accounts whose names match
// one of Accounts (exact names or path.Match globs), or, with a Share,
// those whose share point (SharePoint) is below it. Shares are cumulative:
// {share: 0.1} then {share: 1.0} is the first tenth of the accounts, then
// everyone else. An account belongs to the first wave that takes it.
type Wave struct {
	Name     string
	Accounts []string
	// Share is 0 for a wave of accounts, else in (0, 1].
	Share float64

	at []yamlpos.Pos // where each of Accounts is written
}

// Names are the waves' names in the order they run.
func (r *Rollout) Names() []string {
	if r == nil {
		return nil
	}
	names := make([]string, len(r.Waves))
	for i, w := range r.Waves {
		names[i] = w.Name
	}
	return names
}

// CheckWave says whether apply --wave name names a wave of the project's
// rollout: a located error listing the waves when it does not.
func (p *Project) CheckWave(name string) error {
	if p.Rollout == nil {
		return yamlpos.Diagnostics{{Path: p.Path, Message: fmt.Sprintf("apply --wave %s needs waves, and the project has no rollout:", name),
			Hint: "add rollout: with waves: to the project (see docs/projects.md, \"Rollout in waves\"), or apply without --wave"}}
	}
	names := p.Rollout.Names()
	if slices.Contains(names, name) {
		return nil
	}
	return yamlpos.Diagnostics{{Path: p.Path, Pos: p.Rollout.At, Message: fmt.Sprintf("the rollout has no wave %q", name),
		Hint: "the waves are, in order: " + strings.Join(names, ", ")}}
}

// SharePoint is where account name falls in [0, 1) for a share wave: the
// first 53 bits of the sha256 of the name. It depends on the name alone,
// so an account stays in its wave across runs and when accounts are added
// or removed.
func SharePoint(name string) float64 {
	sum := sha256.Sum256([]byte(name))
	return float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
}

// Assign is the wave of the account named name: the first wave that takes
// it, "" when none does.
func (r *Rollout) Assign(name string) string {
	if r == nil {
		return ""
	}
	for _, w := range r.Waves {
		if w.takes(name) {
			return w.Name
		}
	}
	return ""
}

func (w Wave) takes(name string) bool {
	if w.Share > 0 {
		return SharePoint(name) < w.Share
	}
	for _, pat := range w.Accounts {
		if ok, _ := path.Match(pat, name); ok {
			return true
		}
	}
	return false
}

// The mappings of rollout:.
var (
	rolloutMapping = yamlpos.Mapping{
		Name: "rollout", In: "rollout", Hint: "write rollout: with waves: under it, a list of {name, accounts} or {name, share}",
		Keys: []string{"waves"},
	}
	waveMapping = yamlpos.Mapping{
		Name: "a wave", In: "a wave", Hint: "write each wave as {name: canary, accounts: [\"shop-*\"]} or {name: everyone, share: 1.0}",
		Keys: []string{"name", "accounts", "share"},
	}
	endWaves = "end the waves with one that takes every account left: {name: everyone, share: 1.0}"
)

// mode decodes an account's mode: field.
func (d decoder) mode(fields map[string]yamlpos.Field, what string) Mode {
	v, at := d.str(fields, "mode", what)
	switch m := Mode(v); {
	case at == nil:
		return ModeEnforce
	case m == ModeEnforce, m == ModeObserve, m == ModePaused:
		return m
	case v != "":
		d.Report(at, "write mode: enforce (the default), observe (planned, never applied) or paused (skipped)", "mode of %s is %q, not enforce, observe or paused", what, v)
	}
	return ModeEnforce
}

// rollout decodes rollout: into p.Rollout; assignWaves gives the accounts
// their waves once every account is known (accounts_from: included).
func (d decoder) rollout(p *Project, f yamlpos.Field) {
	fields := d.Fields(f.Value, &rolloutMapping)
	if fields == nil {
		return
	}
	wf, ok := fields["waves"]
	if !ok {
		d.Report(f.Value, "list the waves under waves:, e.g. [{name: canary, accounts: [shop-sh]}, {name: everyone, share: 1.0}]", "rollout has no waves")
		return
	}
	before := d.Problems()
	items := d.List(wf, "waves", "a list", "start each wave with '- name: ...'")
	if len(items) == 0 {
		if d.Problems() == before {
			d.Report(wf.Value, "list at least one wave, e.g. {name: everyone, share: 1.0}", "waves is empty")
		}
		return
	}
	r := &Rollout{At: yamlpos.PosOf(wf.Value)}
	names := map[string]int{}
	var share float64 // the largest share so far: what the waves took of it
	for _, n := range items {
		w, ok := d.wave(n)
		if !ok {
			continue
		}
		if line, dup := names[w.Name]; dup {
			d.Report(n, "give every wave a unique name: apply --wave names it", "wave name %q is used twice (first on line %d)", w.Name, line)
			continue
		}
		names[w.Name] = n.Line
		// Shares are cumulative: a wave whose share is not above every
		// earlier one, or any wave after share: 1.0, could take no account.
		switch {
		case share >= 1:
			d.Report(n, "end the waves with the one of share: 1.0, which takes every account left", "wave %q comes after a wave of share 1.0, which took every account", w.Name)
		case w.Share > 0 && w.Share <= share:
			d.Report(n, fmt.Sprintf("shares are cumulative (share: 0.1 then share: 0.5 is a tenth, then the next four tenths): give it a share above %s", strconv.FormatFloat(share, 'f', -1, 64)),
				"wave %q has share %s, which an earlier wave's share %s already took", w.Name, strconv.FormatFloat(w.Share, 'f', -1, 64), strconv.FormatFloat(share, 'f', -1, 64))
		}
		share = max(share, w.Share)
		r.Waves = append(r.Waves, w)
	}
	if d.Problems() == before {
		p.Rollout = r
	}
}

// assignWaves gives every account of p its wave (Account.Wave). A name a
// wave lists that is no account of the project, and an account that no
// wave takes, are reported where the rollout writes them.
func (p *Project) assignWaves() error {
	r := p.Rollout
	if r == nil {
		return nil
	}
	var diags yamlpos.Diagnostics
	listed := map[string]bool{}
	for _, a := range p.Accounts {
		listed[a.Name] = true
	}
	for _, w := range r.Waves {
		for i, pat := range w.Accounts {
			// A typo would leave the account to a later wave.
			if !strings.ContainsAny(pat, `*?[\`) && !listed[pat] {
				diags = append(diags, yamlpos.Diagnostic{Path: p.Path, Pos: w.at[i], Message: fmt.Sprintf("wave %s names account %q, which the project does not list", w.Name, pat),
					Hint: "the accounts are: " + listSome(p.Names(), 20)})
			}
		}
	}
	var left []string
	for i, a := range p.Accounts {
		if p.Accounts[i].Wave = r.Assign(a.Name); p.Accounts[i].Wave == "" {
			left = append(left, a.Name)
		}
	}
	if len(left) > 0 {
		diags = append(diags, yamlpos.Diagnostic{Path: p.Path, Pos: r.At, Message: fmt.Sprintf("%s in no wave of the rollout: %s", plural(len(left), "account is", "accounts are"), listSome(left, 10)), Hint: endWaves})
	}
	if len(diags) > 0 {
		return diags.Sorted()
	}
	return nil
}

// placeless is r without where it is written, which moves with the layout.
func (r *Rollout) placeless() *Rollout {
	if r == nil {
		return nil
	}
	q := Rollout{Waves: slices.Clone(r.Waves)}
	for i := range q.Waves {
		q.Waves[i].at = nil
	}
	return &q
}

// wave decodes one wave.
func (d decoder) wave(n *yaml.Node) (Wave, bool) {
	var w Wave
	before := d.Problems()
	f := d.Fields(n, &waveMapping)
	if f == nil {
		return w, false
	}
	var at *yaml.Node
	what := "a wave"
	if w.Name, at = d.str(f, "name", what); at == nil {
		d.Report(n, "add name: a short label such as canary (apply --wave names it)", "the wave has no name")
	} else if w.Name != "" && !plans.AccountName.MatchString(w.Name) {
		d.Report(at, "use lowercase letters, digits, '.', '_' and '-' (apply --wave names it)", "wave name %q is not a valid name", w.Name)
	} else if w.Name != "" {
		what = "wave " + w.Name
	}
	af, hasAccounts := f["accounts"]
	sf, hasShare := f["share"]
	switch {
	case hasAccounts && hasShare:
		d.Report(n, "split it into two waves: one of accounts, then one of a share", "%s has both accounts and share", what)
	case hasAccounts:
		w.Accounts, w.at = d.globs(af, what)
	case hasShare:
		w.Share = d.share(sf, what)
	default:
		d.Report(n, "give accounts: [names or globs] or share: a number above 0 and at most 1", "%s has neither accounts nor share", what)
	}
	return w, d.Problems() == before
}

// globs are a wave's accounts, names or globs, and where each is written.
func (d decoder) globs(f yamlpos.Field, what string) ([]string, []yamlpos.Pos) {
	hint := `list names or globs, e.g. accounts: ["store-0001", "store-00*"]`
	before := d.Problems()
	items := d.List(f, "accounts of "+what, "a list", hint)
	if len(items) == 0 {
		if d.Problems() == before {
			d.Report(f.Value, hint, "accounts of %s is empty", what)
		}
		return nil, nil
	}
	var out []string
	var at []yamlpos.Pos
	for _, item := range items {
		pat, ok := d.String(yamlpos.Field{Value: item}, "an account of "+what)
		if !ok {
			continue
		}
		if _, err := path.Match(pat, ""); err != nil || pat == "" {
			d.Report(item, "a glob uses * ? and [...] as in --account", "%q in %s is not a name or glob", pat, what)
			continue
		}
		out, at = append(out, pat), append(at, yamlpos.PosOf(item))
	}
	return out, at
}

// share is a wave's share: a number in (0, 1].
func (d decoder) share(f yamlpos.Field, what string) float64 {
	v := d.Resolve(f.Value)
	var share float64
	if v == nil || v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!float" && v.ShortTag() != "!!int") || v.Decode(&share) != nil || !(share > 0 && share <= 1) {
		d.Report(f.Value, "shares are cumulative: share: 0.1 takes the accounts of the first tenth not taken yet, share: 1.0 every account left", "share of %s must be a number above 0 and at most 1", what)
		return 0
	}
	return share
}

// listSome lists names, the first max of them and how many more.
func listSome(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
