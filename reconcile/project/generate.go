package project

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/runcmd"
	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/reconcile/desired"
)

// Generator is one entry of accounts_from:: a CSV file or a command that
// lists accounts, each decoded like an account of accounts: with Defaults
// merged under it.
type Generator struct {
	// File is file: as written, relative to the project file; Path is it
	// resolved against the project's directory.
	File, Path string
	// Command is command:, a program and its arguments run without a
	// shell in the project's directory, printing one JSON account object
	// a line; Timeout bounds it (timeout:, DefaultGeneratorTimeout). It
	// is run by internal/runcmd, which ends it (and, outside a terminal,
	// its process group) on a timeout.
	Command []string
	Timeout time.Duration
	// Defaults is defaults:, the keys every generated account takes
	// unless it gives its own; its vars are merged key by key.
	Defaults *yaml.Node
}

// DefaultGeneratorTimeout bounds a generator command without timeout:.
const DefaultGeneratorTimeout = time.Minute

// maxGeneratorOutput bounds a CSV file and a command's output, as the
// project file is bounded.
const maxGeneratorOutput = maxProjectBytes

var (
	generatorMapping = yamlpos.Mapping{
		Name: "an accounts_from entry", In: "an accounts_from entry",
		Hint: `write - {file: stores.csv, defaults: {platform: true, template: shop}} or - {command: ["./bin/list-stores"]}`,
		Keys: []string{"file", "command", "timeout", "defaults"},
	}
	defaultsMapping = yamlpos.Mapping{
		Name: "defaults", In: "defaults", Hint: "write defaults: {platform: true, template: shop}",
		Keys: slices.DeleteFunc(slices.Clone(accountMapping.Keys), func(k string) bool { return k == "name" || k == "appid" }),
		KeyHints: map[string]string{
			"name":  "every account has its own name; the generator gives it",
			"appid": "every account has its own appid; the generator gives it",
		},
	}
)

// generators decodes accounts_from:.
func (d decoder) generators(p *Project, f yamlpos.Field) []Generator {
	var out []Generator
	for _, n := range d.List(f, "accounts_from", "a list", "start each generator with '- file: ...' or '- command: [...]'") {
		fields := d.Fields(n, &generatorMapping)
		if fields == nil {
			continue
		}
		var g Generator
		file, fileAt := d.str(fields, "file", "an accounts_from entry")
		cf, isCommand := fields["command"]
		switch {
		case fileAt != nil && isCommand:
			d.Report(cf.Key, "give each generator its own entry", "an accounts_from entry has both file and command")
		case isCommand:
			g.Command = d.argv(cf, "command", "an accounts_from entry", "./bin/list-stores")
		case fileAt == nil:
			d.Report(n, `give file: (a CSV file with a header row) or command: [PROGRAM, ARGS...]`, "an accounts_from entry has neither file nor command")
		case file != "":
			g.File, g.Path = file, filepath.Join(p.Dir, filepath.FromSlash(file))
		}
		if tf, ok := fields["timeout"]; ok {
			s, _ := d.String(tf, "timeout")
			var err error
			if g.Timeout, err = time.ParseDuration(s); err != nil || g.Timeout <= 0 {
				d.Report(tf.Value, "write a duration such as 30s or 2m", "timeout %q is not a duration", s)
			}
			if !isCommand {
				d.Report(tf.Key, "only a command: generator runs; remove timeout:", "timeout needs command")
			}
		}
		if df, ok := fields["defaults"]; ok && d.Fields(df.Value, &defaultsMapping) != nil {
			g.Defaults = d.Resolve(df.Value)
		}
		out = append(out, g)
	}
	return out
}

// generate adds the accounts of every generator to p, after those of the
// file, each decoded and checked like one written in accounts:. A
// generator whose source cannot be read, or whose command fails, adds no
// account.
func (p *Project) generate(ctx context.Context) error {
	u := p.unique()
	for _, a := range p.Accounts {
		u.names[a.Name], u.appids[a.AppID] = a.Origin, a.Origin
	}
	var diags yamlpos.Diagnostics
	for _, g := range p.AccountsFrom {
		var d decoder
		var rows []*yaml.Node
		var err error
		if g.Command != nil {
			d, rows, err = p.runGenerator(ctx, g)
		} else {
			d, rows, err = p.readCSV(g)
		}
		if err != nil {
			return err
		}
		for _, n := range rows {
			if a, ok := d.account(p, withDefaults(n, g.Defaults)); ok {
				u.add(d, n, a)
			}
		}
		if err := d.Err(); err != nil {
			diags = append(diags, err.(yamlpos.Diagnostics)...)
		}
	}
	if len(diags) > 0 {
		return diags
	}
	return nil
}

// withDefaults is the account n with defaults merged under it (a YAML
// merge key: its own keys win), and their vars merged key by key.
func withDefaults(n, defaults *yaml.Node) *yaml.Node {
	if defaults == nil {
		return n
	}
	merge := func(n, under *yaml.Node) {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!merge", Value: "<<", Line: n.Line, Column: n.Column}, under)
	}
	for i := 0; i+1 < len(defaults.Content); i += 2 {
		if defaults.Content[i].Value != "vars" {
			continue
		}
		for j := 0; j+1 < len(n.Content); j += 2 {
			if v := n.Content[j+1]; n.Content[j].Value == "vars" && v.Kind == yaml.MappingNode {
				merge(v, defaults.Content[i+1])
			}
		}
	}
	merge(n, defaults)
	return n
}

// csvKeys are the account keys a CSV column may name; vars are columns
// vars.NAME.
var csvKeys = slices.DeleteFunc(slices.Clone(accountMapping.Keys), func(k string) bool { return k == "token_command" || k == "vars" })

// readCSV reads a CSV generator: a header row naming account keys and
// vars.NAME columns, then one account a row, an empty cell giving no
// value. Each row becomes an account mapping located at its line and
// columns.
func (p *Project) readCSV(g Generator) (decoder, []*yaml.Node, error) {
	d := decoder{projectFile.Decoder(g.Path)}
	data, err := yamlpos.ReadFile(g.Path, maxGeneratorOutput)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return d, nil, yamlpos.Diagnostics{{Path: p.Path, Message: fmt.Sprintf("accounts_from: %s does not exist", g.Path), Hint: "file: names a CSV file relative to the project file"}}
	case err != nil:
		return d, nil, fmt.Errorf("reading %s: %w", g.Path, errtext.PathReason(err))
	case len(data) > maxGeneratorOutput:
		return d, nil, yamlpos.Diagnostics{{Path: g.Path, Message: fmt.Sprintf("file is larger than %d MiB", maxGeneratorOutput>>20), Hint: "split the accounts into several files"}}
	}
	// A spreadsheet saves UTF-8 with a byte order mark, and CRLF line ends
	// (which encoding/csv reads).
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return d, nil, yamlpos.Diagnostics{{Path: g.Path, Message: "file is empty", Hint: "the first row names the columns, e.g. name,appid,vars.store_id"}}
	} else if err != nil {
		return d, nil, csvError(g.Path, err)
	}
	var problems yamlpos.Diagnostics
	for i, col := range header {
		line, column := r.FieldPos(i)
		name, isVar := strings.CutPrefix(col, "vars.")
		switch {
		case isVar && (!desired.VarName(name) || strings.Contains(name, ".")):
			problems = append(problems, yamlpos.Diagnostic{Path: g.Path, Pos: yamlpos.Pos{Line: line, Column: column}, Message: fmt.Sprintf("column %q does not name a variable", col),
				Hint: "a variable's column is vars.NAME, NAME of letters, digits, '_' and '-'"})
		case !isVar && !slices.Contains(csvKeys, col):
			problems = append(problems, yamlpos.Diagnostic{Path: g.Path, Pos: yamlpos.Pos{Line: line, Column: column}, Message: fmt.Sprintf("column %q is no account key", col),
				Hint: "columns are " + strings.Join(csvKeys, ", ") + " and vars.NAME"})
		case slices.Index(header, col) < i:
			problems = append(problems, yamlpos.Diagnostic{Path: g.Path, Pos: yamlpos.Pos{Line: line, Column: column}, Message: fmt.Sprintf("column %q is named twice", col), Hint: "remove one of them"})
		}
	}
	if len(problems) > 0 {
		return d, nil, problems
	}
	var rows []*yaml.Node
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return d, nil, csvError(g.Path, err)
		}
		line, column := r.FieldPos(0)
		row := &yaml.Node{Kind: yaml.MappingNode, Line: line, Column: column}
		var vars *yaml.Node
		for i, cell := range record {
			if cell == "" {
				continue
			}
			line, column := r.FieldPos(i)
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: header[i], Line: line, Column: column}
			value := &yaml.Node{Kind: yaml.ScalarNode, Value: cell, Line: line, Column: column}
			name, isVar := strings.CutPrefix(header[i], "vars.")
			if !isVar {
				row.Content = append(row.Content, key, value) // plain: true is a boolean
				continue
			}
			if vars == nil {
				vars = &yaml.Node{Kind: yaml.MappingNode, Line: line, Column: column}
				row.Content = append(row.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "vars", Line: line, Column: column}, vars)
			}
			key.Value, value.Tag = name, "!!str"
			vars.Content = append(vars.Content, key, value)
		}
		rows = append(rows, row)
	}
	return d, rows, nil
}

// csvError locates a CSV syntax error.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return yamlpos.Diagnostics{{Path: path, Pos: yamlpos.Pos{Line: pe.Line, Column: pe.Column}, Message: "invalid CSV: " + pe.Err.Error(),
			Hint: "every row has the header's columns; quote a cell that holds a comma or a quote, doubling the quote"}}
	}
	return fmt.Errorf("reading %s: %w", path, err)
}

// runGenerator runs a command generator in the project's directory and
// reads its output: one JSON account object a line, blank lines ignored,
// each located at its line. The command's standard error is never shown,
// nor a line that is not an account object: either may hold secrets. The
// accounts it prints are settings, decoded like those of a CSV file: a
// wrong value in one is named as it is, as the file's would be. A command
// that fails, times out or prints something else than JSON objects gives
// no account.
func (p *Project) runGenerator(ctx context.Context, g Generator) (decoder, []*yaml.Node, error) {
	program := filepath.Base(g.Command[0])
	where := "the output of " + program
	d := decoder{projectFile.Decoder(where)}
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = DefaultGeneratorTimeout
	}
	argv := slices.Clone(g.Command)
	if !filepath.IsAbs(argv[0]) && filepath.Base(argv[0]) != argv[0] {
		if abs, err := filepath.Abs(filepath.Join(p.Dir, argv[0])); err == nil {
			argv[0] = abs
		}
	}
	out, err := runcmd.Run(ctx, runcmd.Command{Argv: argv, Dir: p.Dir, MaxOutput: maxGeneratorOutput, Timeout: timeout})
	if err != nil {
		// err names the program and how it failed, never its output,
		// arguments or standard error.
		return d, nil, errtext.Errorf("run it by hand from the project's directory to see why; one that needs longer gets it with timeout: in its accounts_from entry",
			"accounts_from: command %v; no account of it is planned", err)
	}
	var rows []*yaml.Node
	var problems yamlpos.Diagnostics
	for i, line := range bytes.Split(out, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var n yaml.Node
		var obj map[string]any
		if json.Unmarshal(line, &obj) != nil || jsonNode(line, obj, &n) != nil || len(n.Content) != 1 {
			problems = append(problems, yamlpos.Diagnostic{Path: where, Pos: yamlpos.Pos{Line: i + 1, Column: 1}, Message: "line is not a JSON object (the output is not shown)",
				Hint: `the command prints one account a line, e.g. {"name": "store-0001", "appid": "wx0000000000000001", "vars": {"store_id": "0001"}}`})
			continue
		}
		setLine(n.Content[0], i+1)
		rows = append(rows, n.Content[0])
	}
	if len(problems) > 0 {
		return d, nil, problems
	}
	return d, rows, nil
}

// jsonNode decodes a line of JSON, obj, into n: as YAML, which JSON is,
// keeping positions and catching duplicate keys; a line YAML parsers
// reject though JSON allows it (an escaped "\/" as PHP's json_encode
// writes, a character outside the BMP as a "\ud83d\ude00" pair, as
// Python's json.dumps does) is encoded from the decoded JSON instead.
func jsonNode(line []byte, obj map[string]any, n *yaml.Node) error {
	if yaml.Unmarshal(line, n) == nil {
		return nil
	}
	var value yaml.Node
	if err := value.Encode(obj); err != nil {
		return err
	}
	*n = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{&value}}
	return nil
}

// setLine places n and its descendants on line, as the output line they
// come from.
func setLine(n *yaml.Node, line int) {
	n.Line = line
	for _, c := range n.Content {
		setLine(c, line)
	}
}
