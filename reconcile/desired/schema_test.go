package desired

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/reconcile/internal/golden"
	"github.com/wxmenu/wxmenu/wechat"
)

func TestSchemaGolden(t *testing.T) {
	golden.Check(t, "../../testdata/schema.golden.json", Schema())
}

// schemaMap decodes Schema() as plain JSON.
func schemaMap(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(Schema(), &m); err != nil {
		t.Fatalf("Schema() is not valid JSON: %v", err)
	}
	return m
}

func keysOf(m any) []string {
	var keys []string
	for k := range m.(map[string]any) {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestSchemaIsValidJSONOfDraft2020(t *testing.T) {
	m := schemaMap(t)
	if got, want := m["$schema"], "https://json-schema.org/draft/2020-12/schema"; got != want {
		t.Errorf("$schema = %v, want %v", got, want)
	}
}

// TestSchemaMatchesParser checks that the schema lists exactly the fields
// the parser accepts, and each button type's required fields.
func TestSchemaMatchesParser(t *testing.T) {
	m := schemaMap(t)
	defs := m["$defs"].(map[string]any)
	props := func(def any) []string { return keysOf(def.(map[string]any)["properties"]) }

	if diff := cmp.Diff(sorted(topMapping.Keys), props(m)); diff != "" {
		t.Errorf("top-level properties (-parser +schema):\n%s", diff)
	}
	if diff := cmp.Diff(sorted(conditionalMapping.Keys), props(defs["conditionalMenu"])); diff != "" {
		t.Errorf("conditional menu properties (-parser +schema):\n%s", diff)
	}
	if diff := cmp.Diff(sorted(matchRuleFields), props(defs["matchRule"])); diff != "" {
		t.Errorf("matchrule properties (-parser +schema):\n%s", diff)
	}
	top := defs["topButtons"].(map[string]any)["items"]
	if diff := cmp.Diff(sorted(buttonMapping.Keys), props(top)); diff != "" {
		t.Errorf("button properties (-parser +schema):\n%s", diff)
	}
	required := map[string][]string{}
	for _, r := range top.(map[string]any)["allOf"].([]any) {
		rule := r.(map[string]any)
		typ := rule["if"].(map[string]any)["properties"].(map[string]any)["type"].(map[string]any)["const"].(string)
		for _, f := range rule["then"].(map[string]any)["required"].([]any) {
			required[typ] = append(required[typ], f.(string))
		}
	}
	want := map[string][]string{}
	for _, typ := range wechat.ButtonTypeNames() {
		want[typ], _ = wechat.ButtonTypeFields(typ)
	}
	if diff := cmp.Diff(want, required); diff != "" {
		t.Errorf("required fields per type (-wechat.ButtonTypeFields +schema):\n%s", diff)
	}
}

func TestGoodFilesTopLevelKeysInSchema(t *testing.T) {
	properties := schemaMap(t)["properties"].(map[string]any)
	files, _ := filepath.Glob("../../testdata/good/*.yaml")
	if len(files) == 0 {
		t.Fatal("no good files")
	}
	for _, file := range files {
		var doc map[string]any
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for k := range doc {
			if _, ok := properties[k]; !ok {
				t.Errorf("%s: top-level key %q is not in the schema", file, k)
			}
		}
	}
}

// compileSchema compiles Schema() with a draft 2020-12 validator.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("menus.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("menus.schema.json")
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return sch
}

// yamlAsJSON decodes a YAML file into the value a JSON-Schema validator
// sees (as an editor's YAML language server would).
func yamlAsJSON(t *testing.T, file string) (any, bool) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil || v == nil {
		return nil, false
	}
	js, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return out, true
}

func TestSchemaAcceptsGoodFiles(t *testing.T) {
	sch := compileSchema(t)
	files, _ := filepath.Glob("../../testdata/good/*.yaml")
	for _, file := range files {
		v, ok := yamlAsJSON(t, file)
		if !ok {
			t.Fatalf("%s: not decodable", file)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: schema rejects a valid file: %v", file, err)
		}
	}
}

// TestSchemaRejectsBadFiles checks the schema against bad files whose
// problem it can express (not byte lengths, domains or rule overlaps).
func TestSchemaRejectsBadFiles(t *testing.T) {
	sch := compileSchema(t)
	for _, name := range []string{
		"unknown-top-field", "unknown-default-field", "unknown-conditional-field", "unknown-button-field",
		"unknown-sub-button-field", "unknown-matchrule-field", "matchrule-group-id", "unknown-unmanaged-field",
		"name-list", "button-mapping", "default-list", "conditional-mapping", "matchrule-list",
		"protect-string", "four-top-buttons", "six-sub-buttons", "no-buttons", "default-without-button",
		"missing-field-click", "missing-field-view", "missing-field-miniprogram", "missing-field-article-id",
		"unknown-type", "parent-with-type", "leaf-without-type", "nested-too-deep", "empty-sub-button",
		"url-not-http", "name-empty", "name-missing", "bad-platform", "empty-matchrule", "missing-matchrule",
		"missing-name", "invalid-name", "name-too-long", "unmanaged-empty-rule", "key-129-bytes", "url-1025-bytes",
	} {
		v, ok := yamlAsJSON(t, filepath.Join("../../testdata/bad", name+".yaml"))
		if !ok {
			t.Errorf("%s: not decodable as YAML", name)
			continue
		}
		if err := sch.Validate(v); err == nil {
			t.Errorf("%s: schema accepts it", name)
		}
	}
}
