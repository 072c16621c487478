package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// DefaultFile is the project file looked for in the working directory.
const DefaultFile = "wxmenu.yaml"

// Project is a decoded project file.
type Project struct {
	// Path is the project file as given; Dir its directory, against which
	// account files and token commands are resolved.
	Path, Dir string
	Accounts  []Account
	// Platform is nil when no account is a platform authorizer.
	Platform *Platform
	// AuditLog is audit_log:, the audit log of the project's applies
	// (resolved against Dir), when --audit-log does not name one.
	AuditLog string
	// Lang is lang:, the language of the project's review output ("en",
	// "zh-CN"), "" when the file does not set it (internal/i18n.Resolve
	// says what wins).
	Lang string
	// Rollout is rollout:, nil when apply runs every account in one wave.
	Rollout *Rollout
	// Templates are templates:, in file order; Load parses each once.
	Templates []Template
	// AccountsFrom are accounts_from:, the generators whose accounts Load
	// adds to Accounts after those the file lists.
	AccountsFrom []Generator
}

// Template is one entry of templates:: a menus file with ${...}
// placeholders that accounts name with template: instead of file:.
type Template struct {
	Name string
	// File is as written, relative to the project file; Path resolved
	// against the project's directory.
	File, Path string
	// Parsed is the template as Load parsed it; nil before.
	Parsed *desired.Template
}

// Account is one account of the project.
type Account struct {
	Name  string
	AppID string
	// File is the menus file as written, relative to the project file;
	// Path is it resolved against the project's directory.
	File, Path string
	// Exactly one of SecretEnv, TokenCommand, Platform is set.
	SecretEnv    string
	TokenCommand []string
	Platform     bool
	// RefreshTokenEnv optionally names the variable holding a platform
	// account's authorizer_refresh_token; else it comes from the
	// authorizer list.
	RefreshTokenEnv string
	// SelfHeal lets watch --self-heal revert the account to the state its
	// last apply left when it drifts (self_heal: true).
	SelfHeal bool
	// Mode is mode: (enforce, observe or paused; rollout.go).
	Mode Mode
	// Wave is the rollout wave the account is in; "" without rollout:.
	Wave string
	// Template names the project's template the account's menus are
	// rendered from (template:, instead of file:), with Vars its values
	// (vars:); Path is then the template's file.
	Template string
	Vars     map[string]string
	// Origin is where the account is defined: its line in the project
	// file, in a CSV file or in a command's output (accounts_from:).
	Origin desired.Origin
	// Parsed is Template as Load parsed it, shared by its accounts, and
	// ComponentAppID the platform's (${platform.component_appid}) for a
	// platform account; both are unset for a menus file.
	Parsed         *desired.Template
	ComponentAppID string
}

// Generated reports whether the account comes from accounts_from: rather
// than the project file's accounts: list (or code).
func (a *Account) Generated(p *Project) bool {
	return a.Origin.Path != "" && a.Origin.Path != p.Path
}

// Desired is the account's desired state: its menus file, loaded and
// validated (desired.LoadContext), or its template rendered with its vars
// and validated (desired.Template.Render). It is the one place every
// command gets an account's desired state from.
func (a *Account) Desired(ctx context.Context) (*desired.State, error) {
	switch {
	case a.Template == "":
		return desired.LoadContext(ctx, a.Path)
	case a.Parsed == nil:
		return nil, fmt.Errorf("account %s: template %s was not loaded with the project", a.Name, a.Template)
	}
	return a.Parsed.Render(desired.Binding{Account: a.Name, AppID: a.AppID, ComponentAppID: a.ComponentAppID, Vars: a.Vars, Origin: a.Origin})
}

// Platform is the project's third-party platform.
type Platform struct {
	ComponentAppID     string
	ComponentSecretEnv string
	VerifyTicketEnv    string
	// AuthorizerTokenCommand, when set, prints the access tokens of the
	// run's platform accounts (one run for all of them): the component
	// secret, the verify ticket and refresh tokens are then not needed.
	AuthorizerTokenCommand []string
}

// Names lists the accounts' names in file order.
func (p *Project) Names() []string {
	names := make([]string, len(p.Accounts))
	for i, a := range p.Accounts {
		names[i] = a.Name
	}
	return names
}

// NotFoundError says no project file was found where one was looked for.
type NotFoundError struct{ Path string }

func (e *NotFoundError) Error() string { return "project file " + e.Path + " not found" }

// ErrorHint is the hint for people.
func (e *NotFoundError) ErrorHint() string {
	return "pass -f menus.yaml for one account, or --config FILE for a project (see the README, \"Many accounts\")"
}

// Load reads and decodes the project file at path.
func Load(path string) (*Project, error) { return load(path, false) }

// LoadBootstrap loads a project file that may list no accounts yet (only
// its platform block), for bootstrapping the accounts from the platform.
func LoadBootstrap(path string) (*Project, error) {
	p, err := load(path, true)
	if err == nil && p.Platform == nil {
		return nil, yamlpos.Diagnostics{{Path: path, Message: "the project file has no platform block to bootstrap from", Hint: "add platform: with component_appid, component_secret_env and verify_ticket_env"}}
	}
	return p, err
}

// maxProjectBytes is the largest project file read.
const maxProjectBytes = 32 << 20

// read reads the project file at path.
func read(path string) ([]byte, error) {
	data, err := yamlpos.ReadFile(path, maxProjectBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotFoundError{Path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, errtext.PathReason(err))
	}
	return data, nil
}

func load(path string, bootstrap bool) (*Project, error) {
	data, err := read(path)
	if err != nil {
		return nil, err
	}
	p, err := parse(path, data, bootstrap)
	if err != nil {
		return nil, err
	}
	if err := p.generate(context.Background()); err != nil {
		return nil, err
	}
	if len(p.AccountsFrom) > 0 {
		if err := p.assignWaves(); err != nil {
			return nil, err
		}
	}
	if len(p.Accounts) == 0 && !bootstrap {
		return nil, yamlpos.Diagnostics{{Path: path, Message: "the project has no accounts", Hint: "list accounts under accounts:, or check that accounts_from: lists some"}}
	}
	if err := p.loadTemplates(); err != nil {
		return nil, err
	}
	return p, nil
}

// Parse decodes a project file's bytes; path is used in messages and to
// resolve the accounts' files. Unlike Load, it neither runs the
// generators (accounts_from:) nor reads the templates.
func Parse(path string, data []byte) (*Project, error) { return parse(path, data, false) }

// projectFile is what a project file may be. MaxNodes bounds what aliases
// and merge keys may expand it to: far above a project of thousands of
// accounts, far below what nested aliases can multiply a small file into.
var projectFile = yamlpos.File{
	MaxNodes: 1_000_000,
	// Ten thousand accounts take about 2 MiB; the bound keeps a path to
	// an endless file (a saved plan names its project) from eating memory.
	MaxBytes: maxProjectBytes,
	SizeHint: "a project file lists accounts, a few lines each; split a larger one into several projects",
	Example: `
  accounts:
    - {name: shop, appid: wx1234567890abcdef, file: menus.yaml, secret_env: SHOP_SECRET}`,
}

// The mappings of the file.
var (
	topMapping = yamlpos.Mapping{
		Name: "the project file", In: "the project file", Hint: "list the accounts under accounts:, each with name, appid, file and credentials",
		Keys: []string{"templates", "accounts", "accounts_from", "platform", "audit_log", "rollout", "lang"},
	}
	accountMapping = yamlpos.Mapping{
		Name: "an account", In: "an account", Hint: "start each account with '- name: ...' and give its appid, file and credentials",
		Keys: []string{"name", "appid", "file", "template", "vars", "secret_env", "token_command", "platform", "refresh_token_env", "self_heal", "mode"},
	}
	platformMapping = yamlpos.Mapping{
		Name: "platform", In: "platform", Hint: "write platform: with component_appid, component_secret_env and verify_ticket_env (or authorizer_token_command) under it",
		Keys: []string{"component_appid", "component_secret_env", "verify_ticket_env", "authorizer_token_command"},
	}
	envPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

func parse(path string, data []byte, bootstrap bool) (*Project, error) {
	yd, root, err := projectFile.Parse(path, data)
	if err != nil {
		return nil, err
	}
	d := decoder{yd}
	p := &Project{Path: path, Dir: filepath.Dir(path)}
	top := d.Fields(root, &topMapping)
	if top == nil {
		return nil, d.Err()
	}
	if f, ok := top["platform"]; ok {
		p.Platform = d.platform(f.Value)
	}
	if log, at := d.str(top, "audit_log", "the project file"); at != nil && log != "" {
		p.AuditLog = filepath.Join(p.Dir, filepath.FromSlash(log))
	}
	if lang, at := d.str(top, "lang", "the project file"); at != nil && lang != "" {
		if p.Lang, err = i18n.Parse("lang:", lang); err != nil {
			d.Report(at, "write lang: "+strings.Join(i18n.Supported, " or lang: "), "%v", err)
		}
	}
	if f, ok := top["templates"]; ok {
		p.Templates = d.templates(p, f)
	}
	if f, ok := top["accounts_from"]; ok {
		p.AccountsFrom = d.generators(p, f)
	}
	f, ok := top["accounts"]
	before := d.Problems()
	accounts := d.List(f, "accounts", "a list", "accounts is a list: start each account with '- name: ...'")
	switch {
	case bootstrap:
	case !ok && len(p.AccountsFrom) > 0:
	case !ok:
		d.Report(root, "list the accounts under accounts:, each with name, appid, file and credentials", "the project file has no accounts")
	case len(accounts) == 0 && d.Problems() == before:
		d.Report(f.Value, "list at least one account", "accounts is empty")
	}
	u := p.unique()
	for _, n := range accounts {
		if a, ok := d.account(p, n); ok {
			u.add(d, n, a)
		}
	}
	if f, ok := top["rollout"]; ok {
		d.rollout(p, f)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	if len(p.AccountsFrom) == 0 { // else once Load has the generated accounts
		if err := p.assignWaves(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// uniqueness checks that every account of a project, whichever source it
// comes from, has its own name and appid, and reports once a platform
// authorizer in a project without a platform.
type uniqueness struct {
	p                *Project
	names, appids    map[string]desired.Origin
	platformReported bool
}

func (p *Project) unique() *uniqueness {
	return &uniqueness{p: p, names: map[string]desired.Origin{}, appids: map[string]desired.Origin{}}
}

// add adds a, decoded from n, to the project unless it repeats an
// account's name or appid (reported).
func (u *uniqueness) add(d decoder, n *yaml.Node, a Account) {
	where := func(o desired.Origin) string {
		if o.Path == a.Origin.Path {
			return fmt.Sprintf("line %d", o.Line)
		}
		return o.String()
	}
	dup := false
	if first, ok := u.names[a.Name]; ok {
		dup = true
		d.Report(n, "give every account a unique name: plans, locks and --account use it", "account name %q is used twice (first on %s)", a.Name, where(first))
	} else {
		u.names[a.Name] = a.Origin
	}
	if first, ok := u.appids[a.AppID]; ok && a.AppID != "" {
		dup = true
		d.Report(n, "list each account once; two entries would fight over its menus", "appid %s is listed twice (first on %s)", a.AppID, where(first))
	} else {
		u.appids[a.AppID] = a.Origin
	}
	if a.Platform && u.p.Platform == nil && !u.platformReported {
		u.platformReported = true
		d.Report(n, "add platform: with component_appid, component_secret_env and verify_ticket_env", "account %q is a platform authorizer but the project has no platform", a.Name)
	}
	if !dup {
		u.p.Accounts = append(u.p.Accounts, a)
	}
}

// decoder adds to yamlpos's the values of a project file.
type decoder struct{ *yamlpos.Decoder }

// str is the string field key of fields, and its node; nil when fields
// does not have it. An empty value is reported.
func (d decoder) str(fields map[string]yamlpos.Field, key, what string) (string, *yaml.Node) {
	f, ok := fields[key]
	if !ok {
		return "", nil
	}
	v, ok := d.String(f, key+" of "+what)
	if ok && v == "" {
		d.Report(f.Value, "", "%s of %s is empty", key, what)
	}
	return v, f.Value
}

func (d decoder) envName(fields map[string]yamlpos.Field, key, what string) string {
	v, n := d.str(fields, key, what)
	if n != nil && v != "" && !envPattern.MatchString(v) {
		d.Report(n, "name the environment variable that holds it (letters, digits, _), never the value itself", "%s of %s is not an environment variable name", key, what)
		return ""
	}
	return v
}

func (d decoder) platform(n *yaml.Node) *Platform {
	f := d.Fields(n, &platformMapping)
	if f == nil {
		return nil
	}
	p := &Platform{}
	var at *yaml.Node
	p.ComponentAppID, at = d.str(f, "component_appid", "platform")
	if at != nil && p.ComponentAppID != "" && !plans.AppID.MatchString(p.ComponentAppID) {
		d.Report(at, "a component appid looks like wx1234567890abcdef", "component_appid %q is not an appid", p.ComponentAppID)
	}
	p.ComponentSecretEnv = d.envName(f, "component_secret_env", "platform")
	p.VerifyTicketEnv = d.envName(f, "verify_ticket_env", "platform")
	required := []string{"component_appid", "component_secret_env", "verify_ticket_env"}
	if tf, ok := f["authorizer_token_command"]; ok {
		p.AuthorizerTokenCommand = d.argv(tf, "authorizer_token_command", "the platform", "./bin/authorizer-tokens")
		required = required[:1] // the command gives the tokens
	}
	for _, k := range required {
		if _, ok := f[k]; !ok {
			d.Report(n, "a platform needs component_appid, and component_secret_env and verify_ticket_env unless authorizer_token_command gives the tokens", "platform has no %s", k)
		}
	}
	return p
}

func (d decoder) account(p *Project, n *yaml.Node) (Account, bool) {
	var a Account
	what := "an account"
	before := d.Problems()
	f := d.Fields(n, &accountMapping)
	if f == nil {
		return a, false
	}
	var at *yaml.Node
	if a.Name, at = d.str(f, "name", what); at == nil {
		d.Report(n, "add name: a short unique label such as shop-sh", "the account has no name")
	} else if a.Name != "" && !plans.AccountName.MatchString(a.Name) {
		d.Report(at, "use lowercase letters, digits, '.', '_' and '-' (it names lock files and --account globs)", "account name %q is not a valid name", a.Name)
	}
	if a.Name != "" {
		what = "account " + a.Name
	}
	if a.AppID, at = d.str(f, "appid", what); at == nil {
		d.Report(n, "add appid: the account's AppID (wx...)", "%s has no appid", what)
	} else if a.AppID != "" && !plans.AppID.MatchString(a.AppID) {
		d.Report(at, "an appid looks like wx1234567890abcdef", "appid %q of %s is not an appid", a.AppID, what)
	}
	a.Origin = desired.Origin{Path: d.Path, Line: n.Line, Column: n.Column}
	a.File, at = d.str(f, "file", what)
	tf, templated := f["template"]
	switch {
	case at != nil && templated:
		d.Report(tf.Key, "keep file: for an account's own menus file, or template: with vars: for a shared template", "%s has both file and template", what)
	case templated:
		a.Template, _ = d.String(tf, "template of "+what)
		if t := p.template(a.Template); t != nil {
			a.Path = t.Path
		} else if a.Template != "" || d.Problems() == before {
			d.Report(tf.Value, p.templateHint(), "template %q of %s is not one of the project's templates", a.Template, what)
		}
	case at == nil:
		d.Report(n, "add file: the account's menus file, relative to the project file (or template: with vars:)", "%s has no file", what)
	case a.File != "":
		a.Path = filepath.Join(p.Dir, filepath.FromSlash(a.File))
	}
	if vf, ok := f["vars"]; ok {
		a.Vars = d.vars(vf, what)
		if !templated {
			d.Report(vf.Key, "vars: are the values of a template's placeholders; add template: or remove vars:", "%s has vars but no template", what)
		}
	}
	kinds := []string{}
	if _, ok := f["secret_env"]; ok {
		a.SecretEnv = d.envName(f, "secret_env", what)
		kinds = append(kinds, "secret_env")
	}
	if tf, ok := f["token_command"]; ok {
		kinds = append(kinds, "token_command")
		a.TokenCommand = d.argv(tf, "token_command", what, "./bin/wechat-token\", \"brand")
	}
	if pf, ok := f["platform"]; ok {
		if v, ok := d.Bool(pf, "platform of "+what); ok && !v {
			d.Report(pf.Value, "write platform: true, or leave it out", "platform of %s must be true", what)
		} else if v {
			a.Platform = true
			kinds = append(kinds, "platform")
		}
	}
	switch len(kinds) {
	case 0:
		d.Report(n, "give exactly one of secret_env: VAR, token_command: [PROGRAM, ARGS...] or platform: true", "%s has no credentials", what)
	case 1:
	default:
		d.Report(n, "keep exactly one of them", "%s has more than one kind of credentials: %s", what, strings.Join(kinds, ", "))
	}
	if sf, ok := f["self_heal"]; ok {
		a.SelfHeal, _ = d.Bool(sf, "self_heal of "+what)
	}
	a.Mode = d.mode(f, what)
	if rf, ok := f["refresh_token_env"]; ok {
		a.RefreshTokenEnv = d.envName(f, "refresh_token_env", what)
		switch {
		case !a.Platform:
			d.Report(rf.Value, "only platform accounts have refresh tokens; remove it", "refresh_token_env of %s needs platform: true", what)
		case p.Platform != nil && p.Platform.AuthorizerTokenCommand != nil:
			d.Report(rf.Value, "remove it: the platform's authorizer_token_command gives the account's tokens", "refresh_token_env of %s is not used with authorizer_token_command", what)
		}
	}
	return a, d.Problems() == before
}

// argv is a command (token_command, authorizer_token_command): a program
// and its arguments; example is the list's items in the hint.
func (d decoder) argv(f yamlpos.Field, key, what, example string) []string {
	hint := `write the program and its arguments as a list, e.g. ` + key + `: ["` + example + `"] (no shell is used)`
	before := d.Problems()
	items := d.List(f, key+" of "+what, "a list", hint)
	if len(items) == 0 {
		if d.Problems() == before {
			d.Report(f.Value, hint, "%s of %s is empty", key, what)
		}
		return nil
	}
	argv := make([]string, len(items))
	for i, item := range items {
		var ok bool
		if argv[i], ok = d.String(yamlpos.Field{Value: item}, "an argument of "+key+" of "+what); !ok {
			return nil
		}
	}
	if argv[0] == "" {
		d.Report(items[0], hint, "%s of %s names no program", key, what)
	}
	return argv
}
