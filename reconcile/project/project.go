package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/suggest"

	"github.com/wxmenu/wxmenu/reconcile/desired"
)

// DefaultFile is the project file looked for in the working directory.
const DefaultFile = "wxmenu.yaml"

// Credential kinds, exactly one per account.
const (
	KindSecretEnv    = "secret_env"
	KindTokenCommand = "token_command"
	KindPlatform     = "platform"
)

// Project is a decoded project file.
type Project struct {
	// Path is the project file as given; Dir its directory, against which
	// account files and token commands are resolved.
	Path, Dir string
	Accounts  []Account
	// Platform is nil when no account is a platform authorizer.
	Platform *Platform
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
	// Pos locates the account's entry for messages.
	Pos desired.Pos
}

// Kind is the account's credential kind.
func (a *Account) Kind() string {
	switch {
	case a.Platform:
		return KindPlatform
	case len(a.TokenCommand) > 0:
		return KindTokenCommand
	}
	return KindSecretEnv
}

// Platform is the project's third-party platform.
type Platform struct {
	ComponentAppID     string
	ComponentSecretEnv string
	VerifyTicketEnv    string
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
func Load(path string) (*Project, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotFoundError{Path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return Parse(path, data)
}

var (
	topFields      = []string{"accounts", "platform"}
	accountFields  = []string{"name", "appid", "file", "secret_env", "token_command", "platform", "refresh_token_env"}
	platformFields = []string{"component_appid", "component_secret_env", "verify_ticket_env"}
	namePattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	appIDPattern   = regexp.MustCompile(`^wx[0-9a-zA-Z_-]{6,30}$`)
	envPattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// Parse decodes a project file's bytes; path is used in messages and to
// resolve the accounts' files.
func Parse(path string, data []byte) (*Project, error) { return parse(path, data, false) }

// LoadBootstrap loads a project file that may list no accounts yet (only
// its platform block), for bootstrapping the accounts from the platform.
func LoadBootstrap(path string) (*Project, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotFoundError{Path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	p, err := parse(path, data, true)
	if err == nil && p.Platform == nil {
		return nil, desired.Diagnostics{{Path: path, Message: "the project file has no platform block to bootstrap from", Hint: "add platform: with component_appid, component_secret_env and verify_ticket_env"}}
	}
	return p, err
}

func parse(path string, data []byte, bootstrap bool) (*Project, error) {
	d := newDecoder(path)
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if _, after, ok := strings.Cut(msg, "line "); ok {
			fmt.Sscanf(after, "%d", &line)
		}
		return nil, desired.Diagnostics{{Path: path, Pos: desired.Pos{Line: line, Column: 1}, Message: "not valid YAML: " + msg, Hint: "indent with spaces and quote values containing ': '"}}
	}
	p := &Project{Path: path, Dir: filepath.Dir(path)}
	if len(root.Content) == 0 {
		return nil, desired.Diagnostics{{Path: path, Message: "the project file is empty", Hint: "list the accounts under accounts:, each with name, appid, file and credentials"}}
	}
	top := d.mapping(root.Content[0], "the project file", topFields)
	if top == nil {
		return nil, d.diags
	}
	if n, ok := top["platform"]; ok {
		p.Platform = d.platform(n)
	}
	accounts, ok := top["accounts"]
	if ok {
		if accounts = d.resolve(accounts); accounts == nil {
			return nil, d.diags
		}
	}
	switch {
	case bootstrap && (!ok || isEmptyList(accounts)):
	case !ok:
		d.report(root.Content[0], "list the accounts under accounts:, each with name, appid, file and credentials", "the project file has no accounts")
	case accounts.Kind != yaml.SequenceNode:
		d.report(accounts, "accounts is a list: start each account with '- name: ...'", "accounts must be a list, not %s", kindName(accounts))
	default:
		if len(accounts.Content) == 0 {
			d.report(accounts, "list at least one account", "accounts is empty")
		}
		names, appids := map[string]int{}, map[string]int{}
		for _, n := range accounts.Content {
			a, ok := d.account(p, n)
			if !ok {
				continue
			}
			if line, dup := names[a.Name]; dup {
				d.report(n, "give every account a unique name: plans, locks and --account use it", "account name %q is used twice (first on line %d)", a.Name, line)
			} else {
				names[a.Name] = a.Pos.Line
			}
			if line, dup := appids[a.AppID]; dup && a.AppID != "" {
				d.report(n, "list each account once; two entries would fight over its menus", "appid %s is listed twice (first on line %d)", a.AppID, line)
			} else {
				appids[a.AppID] = a.Pos.Line
			}
			p.Accounts = append(p.Accounts, a)
		}
	}
	if p.Platform == nil {
		for _, a := range p.Accounts {
			if a.Platform {
				d.diags = append(d.diags, desired.Diagnostic{Path: path, Pos: a.Pos, Message: fmt.Sprintf("account %q is a platform authorizer but the project has no platform", a.Name),
					Hint: "add platform: with component_appid, component_secret_env and verify_ticket_env"})
				break
			}
		}
	}
	if len(d.diags) > 0 {
		return nil, d.diags
	}
	return p, nil
}

func isEmptyList(n *yaml.Node) bool {
	return n.Tag == "!!null" || (n.Kind == yaml.SequenceNode && len(n.Content) == 0)
}

type decoder struct {
	path  string
	diags desired.Diagnostics
	walk  desired.Walker
}

func newDecoder(path string) *decoder {
	d := &decoder{path: path}
	d.walk = desired.Walker{Max: maxVisits, Exhausted: func(at *yaml.Node) {
		d.report(at, "a project lists each account in a few lines; check anchors and aliases (& and *)", "the project file expands to more than %d nodes through aliases", maxVisits)
	}}
	return d
}

// maxVisits bounds the nodes a project file may expand to through aliases
// and merge keys: far above a project of thousands of accounts, far below
// what nested aliases can multiply a small file into.
const maxVisits = 1_000_000

// resolve follows an alias to the node it names and counts the visit; it
// returns nil once the budget is spent.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node { return d.walk.Resolve(n) }

func (d *decoder) report(n *yaml.Node, hint, format string, args ...any) {
	d.diags = append(d.diags, desired.Diagnostic{Path: d.path, Pos: desired.Pos{Line: n.Line, Column: n.Column}, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// kindName describes a node as menus.yaml's messages do ("an integer", "a
// list"), but calls a missing value empty: a project file's key left blank.
func kindName(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return "empty"
	}
	return desired.KindName(n)
}

// mapping returns n's keys and values (aliases followed), reporting
// unknown and repeated keys. Merge keys (<<: *anchor, or a list of them)
// bring in the keys of the mappings they name that n does not set itself,
// the first merged mapping winning, as YAML has it.
func (d *decoder) mapping(n *yaml.Node, what string, allowed []string) map[string]*yaml.Node {
	at := n
	if n = d.resolve(n); n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.report(at, "", "%s must be a mapping, not %s", what, kindName(n))
		return nil
	}
	c := keyCollector{d: d, what: what, allowed: allowed, out: map[string]*yaml.Node{}}
	if d.walk.Fields(n, &c) {
		d.report(at, "merge mappings that hold keys, not merges of merges", "merges (<<) in %s are nested more than 10 deep", what)
	}
	return c.out
}

// keyCollector gathers a mapping's allowed keys for mapping, reporting the
// rest.
type keyCollector struct {
	d       *decoder
	what    string
	allowed []string
	out     map[string]*yaml.Node
}

func (c *keyCollector) Field(k, v *yaml.Node, depth int, first *yaml.Node) {
	switch {
	case !slices.Contains(c.allowed, k.Value):
		hint := "known keys: " + strings.Join(c.allowed, ", ")
		if s := suggest.Closest(k.Value, c.allowed); s != "" {
			hint = "did you mean " + s + "?"
		}
		c.d.report(k, hint, "unknown key %q in %s", k.Value, c.what)
	case first != nil:
		c.d.report(k, "remove one of them", "key %q is repeated in %s", k.Value, c.what)
	case depth == 0 || c.out[k.Value] == nil: // a merging mapping's keys win
		c.out[k.Value] = v
	}
}

func (c *keyCollector) BadMerge(source, resolved *yaml.Node) {
	c.d.report(source, "merge an anchored mapping: <<: *name", "a merge (<<) in %s must name a mapping, not %s", c.what, kindName(resolved))
}

func (d *decoder) str(fields map[string]*yaml.Node, key, what string) (string, *yaml.Node) {
	n, ok := fields[key]
	if !ok {
		return "", nil
	}
	if r := d.resolve(n); r != nil {
		n = r
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || (n.Tag != "!!str" && n.Style == 0 && n.Tag != "!!int") {
		d.report(n, "write it as a string, e.g. "+key+": \"...\"", "%s of %s must be a string, not %s", key, what, kindName(n))
		return "", n
	}
	if n.Value == "" {
		d.report(n, "", "%s of %s is empty", key, what)
	}
	return n.Value, n
}

func (d *decoder) envName(fields map[string]*yaml.Node, key, what string) string {
	v, n := d.str(fields, key, what)
	if n != nil && v != "" && !envPattern.MatchString(v) {
		d.report(n, "name the environment variable that holds it (letters, digits, _), never the value itself", "%s of %s is not an environment variable name", key, what)
		return ""
	}
	return v
}

func (d *decoder) platform(n *yaml.Node) *Platform {
	f := d.mapping(n, "platform", platformFields)
	if f == nil {
		return nil
	}
	p := &Platform{}
	var at *yaml.Node
	p.ComponentAppID, at = d.str(f, "component_appid", "platform")
	if at != nil && p.ComponentAppID != "" && !appIDPattern.MatchString(p.ComponentAppID) {
		d.report(at, "a component appid looks like wx1234567890abcdef", "component_appid %q is not an appid", p.ComponentAppID)
	}
	p.ComponentSecretEnv = d.envName(f, "component_secret_env", "platform")
	p.VerifyTicketEnv = d.envName(f, "verify_ticket_env", "platform")
	for _, k := range platformFields {
		if f[k] == nil {
			d.report(n, "a platform needs component_appid, component_secret_env and verify_ticket_env", "platform has no %s", k)
		}
	}
	return p
}

func (d *decoder) account(p *Project, n *yaml.Node) (Account, bool) {
	a := Account{Pos: desired.Pos{Line: n.Line, Column: n.Column}}
	what := "an account"
	f := d.mapping(n, what, accountFields)
	if f == nil {
		return a, false
	}
	before := len(d.diags)
	var at *yaml.Node
	if a.Name, at = d.str(f, "name", what); at == nil {
		d.report(n, "add name: a short unique label such as shop-sh", "the account has no name")
	} else if a.Name != "" && !namePattern.MatchString(a.Name) {
		d.report(at, "use lowercase letters, digits, '.', '_' and '-' (it names lock files and --account globs)", "account name %q is not a valid name", a.Name)
	}
	if a.Name != "" {
		what = "account " + a.Name
	}
	if a.AppID, at = d.str(f, "appid", what); at == nil {
		d.report(n, "add appid: the account's AppID (wx...)", "%s has no appid", what)
	} else if a.AppID != "" && !appIDPattern.MatchString(a.AppID) {
		d.report(at, "an appid looks like wx1234567890abcdef", "appid %q of %s is not an appid", a.AppID, what)
	}
	if a.File, at = d.str(f, "file", what); at == nil {
		d.report(n, "add file: the account's menus file, relative to the project file", "%s has no file", what)
	} else if a.File != "" {
		a.Path = filepath.Join(p.Dir, filepath.FromSlash(a.File))
	}
	kinds := []string{}
	if _, ok := f["secret_env"]; ok {
		a.SecretEnv = d.envName(f, "secret_env", what)
		kinds = append(kinds, "secret_env")
	}
	if n, ok := f["token_command"]; ok {
		kinds = append(kinds, "token_command")
		a.TokenCommand = d.argv(n, what)
	}
	if n, ok := f["platform"]; ok {
		if r := d.resolve(n); r != nil {
			n = r
		}
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Value != "true" {
			d.report(n, "write platform: true, or leave it out", "platform of %s must be true", what)
		} else {
			a.Platform = true
			kinds = append(kinds, "platform")
		}
	}
	switch len(kinds) {
	case 0:
		d.report(n, "give exactly one of secret_env: VAR, token_command: [PROGRAM, ARGS...] or platform: true", "%s has no credentials", what)
	case 1:
	default:
		d.report(n, "keep exactly one of them", "%s has more than one kind of credentials: %s", what, strings.Join(kinds, ", "))
	}
	if rn, ok := f["refresh_token_env"]; ok {
		a.RefreshTokenEnv = d.envName(f, "refresh_token_env", what)
		if !a.Platform {
			d.report(rn, "only platform accounts have refresh tokens; remove it", "refresh_token_env of %s needs platform: true", what)
		}
	}
	return a, len(d.diags) == before
}

func (d *decoder) argv(n *yaml.Node, what string) []string {
	hint := `write the program and its arguments as a list, e.g. token_command: ["./bin/wechat-token", "brand"] (no shell is used)`
	if r := d.resolve(n); r != nil {
		n = r
	}
	if n.Kind != yaml.SequenceNode {
		d.report(n, hint, "token_command of %s must be a list, not %s", what, kindName(n))
		return nil
	}
	if len(n.Content) == 0 {
		d.report(n, hint, "token_command of %s is empty", what)
		return nil
	}
	var argv []string
	for _, item := range n.Content {
		if r := d.resolve(item); r != nil {
			item = r
		}
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			d.report(item, hint, "token_command of %s must list strings, not %s", what, kindName(item))
			return nil
		}
		argv = append(argv, item.Value)
	}
	if argv[0] == "" {
		d.report(n.Content[0], hint, "token_command of %s names no program", what)
	}
	return argv
}
