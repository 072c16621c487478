package project

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/yamlpos"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/plans"
)

// templates decodes templates:, a mapping of names to files.
func (d decoder) templates(p *Project, f yamlpos.Field) []Template {
	v := d.Resolve(f.Value)
	if v == nil || yamlpos.IsNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		d.Report(f.Value, "write templates: {shop: templates/shop.yaml}, a name for each template file", "templates must be a mapping, got %s", yamlpos.KindName(v))
		return nil
	}
	var out []Template
	for i := 0; i+1 < len(v.Content); i += 2 {
		k := v.Content[i]
		name := k.Value
		switch {
		case k.Kind != yaml.ScalarNode || !plans.AccountName.MatchString(name):
			d.Report(k, "use lowercase letters, digits, '.', '_' and '-'", "template name %q is not a valid name", name)
			continue
		case slices.ContainsFunc(out, func(t Template) bool { return t.Name == name }):
			d.Report(k, "name each template once", "template %q is named twice", name)
			continue
		}
		file, ok := d.String(yamlpos.Field{Key: k, Value: v.Content[i+1]}, "template "+name)
		if ok && file == "" {
			d.Report(v.Content[i+1], "name the template's file, relative to the project file", "template %s has no file", name)
		}
		if ok && file != "" {
			out = append(out, Template{Name: name, File: file, Path: filepath.Join(p.Dir, filepath.FromSlash(file))})
		}
	}
	return out
}

// template is the project's template name, or nil.
func (p *Project) template(name string) *Template {
	i := slices.IndexFunc(p.Templates, func(t Template) bool { return t.Name == name })
	if i < 0 {
		return nil
	}
	return &p.Templates[i]
}

func (p *Project) templateHint() string {
	if len(p.Templates) == 0 {
		return "declare it under templates:, e.g. templates: {shop: templates/shop.yaml}"
	}
	names := make([]string, len(p.Templates))
	for i, t := range p.Templates {
		names[i] = t.Name
	}
	return "the project's templates are: " + strings.Join(names, ", ")
}

// vars decodes an account's vars:, a mapping of names to text.
func (d decoder) vars(f yamlpos.Field, what string) map[string]string {
	v := d.Resolve(f.Value)
	if v == nil || yamlpos.IsNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		d.Report(f.Value, `write vars: {store_id: "0001"}`, "vars of %s must be a mapping, got %s", what, yamlpos.KindName(v))
		return nil
	}
	fields := d.Fields(v, &yamlpos.Mapping{Name: "vars", In: "vars of " + what, Keys: mappingKeys(d, v)})
	out := make(map[string]string, len(fields))
	for name, vf := range fields {
		if !desired.VarName(name) || strings.Contains(name, ".") {
			d.Report(vf.Key, "a variable's name is letters, digits, '_' and '-' (${store_id}); the dotted names are built in", "variable name %q of %s is not a valid name", name, what)
			continue
		}
		if s, ok := d.String(vf, "variable "+name+" of "+what); ok {
			out[name] = s
		}
	}
	return out
}

// mappingKeys are the keys a mapping holds, those it merges included: vars
// take any name.
func mappingKeys(d decoder, n *yaml.Node) []string {
	var keys []string
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n = d.Resolve(n); n == nil || depth > 10 {
			return
		}
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Tag == "!!merge" {
				walk(n.Content[i+1], depth+1)
			} else {
				keys = append(keys, k.Value)
			}
		}
	}
	walk(n, 0)
	return keys
}

// maxTemplateBytes is the largest template read, as for a menus file.
const maxTemplateBytes = desired.MaxFileBytes

// loadTemplates parses every template of the project once and binds each
// templated account to its template and the platform's appid. A template
// that cannot be read or parsed is reported with its own diagnostics.
func (p *Project) loadTemplates() error {
	var problems yamlpos.Diagnostics
	var other []error
	for i := range p.Templates {
		t := &p.Templates[i]
		data, err := yamlpos.ReadFile(t.Path, maxTemplateBytes)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			problems = append(problems, yamlpos.Diagnostic{Path: p.Path, Message: fmt.Sprintf("template %s: %s does not exist", t.Name, t.Path),
				Hint: "templates: names each template's file relative to the project file"})
			continue
		case err != nil:
			other = append(other, fmt.Errorf("reading template %s: %w", t.Path, errtext.PathReason(err)))
			continue
		}
		if t.Parsed, err = desired.ParseTemplate(t.Name, t.Path, data); err != nil {
			var diags yamlpos.Diagnostics
			if errors.As(err, &diags) {
				problems = append(problems, diags...)
			} else {
				other = append(other, err)
			}
		}
	}
	if len(problems) > 0 {
		return problems
	}
	if len(other) > 0 {
		return errors.Join(other...)
	}
	component := ""
	if p.Platform != nil {
		component = p.Platform.ComponentAppID
	}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		if a.Template != "" {
			a.Parsed = p.template(a.Template).Parsed
			if a.Platform {
				a.ComponentAppID = component
			}
		}
	}
	return nil
}
