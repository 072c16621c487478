package desired

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const shopTemplate = `default:
  button:
    - {type: view, name: "S${store_id}", url: "https://${host}/s/${store_id}?a=${account.appid}&c=${platform.component_appid}"}
    - {type: click, name: "$${x}", key: "K_${store_id}"}
conditional:
  - name: vip
    matchrule: {tag_id: "${vip_tag}"}
    button:
      - {type: view, name: VIP, url: "https://${vip_host}/"}
`

func TestTemplateRender(t *testing.T) {
	tmpl, err := ParseTemplate("shop", "shop.yaml", []byte(shopTemplate))
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"store_id": "0001", "host": "a.example.com", "vip_tag": "101", "vip_host": "b.example.com"}
	b := Binding{Account: "store-0001", AppID: "wx0000000000000001", ComponentAppID: "wxfedcba9876543210", Vars: vars, Origin: Origin{Path: "stores.csv", Line: 2, Column: 1}}
	ds, err := tmpl.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{ds.Default.Buttons[0].Name, ds.Default.Buttons[0].URL, ds.Default.Buttons[1].Name, ds.Default.Buttons[1].Key, ds.Conditional[0].MatchRule.TagID}
	want := []string{"S0001", "https://a.example.com/s/0001?a=wx0000000000000001&c=wxfedcba9876543210", "${x}", "K_0001", "101"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rendered (-want +got):\n%s", diff)
	}
	if ds.Rendered.Template != "shop" || ds.Rendered.TemplateDigest != tmpl.Digest || ds.Rendered.VarsDigest == "" {
		t.Errorf("Rendered = %+v", ds.Rendered)
	}
	// Another account's values give another digest; the template's is shared.
	b.Vars = map[string]string{"store_id": "0002", "host": "a.example.com", "vip_tag": "101", "vip_host": "b.example.com", "spare": "x"}
	other, err := tmpl.Render(b)
	if err != nil {
		t.Fatal(err)
	}
	if other.Rendered.VarsDigest == ds.Rendered.VarsDigest {
		t.Error("two accounts' values have the same digest")
	}
	if diff := cmp.Diff([]string{"spare"}, other.Rendered.Unused); diff != "" {
		t.Errorf("unused (-want +got):\n%s", diff)
	}
	var warnings []string
	for _, w := range Warnings(other) {
		warnings = append(warnings, w.String())
	}
	if diff := cmp.Diff([]string{"stores.csv:2:1: account store-0001: variable spare is not used by template shop (shop.yaml)\nhint: remove spare from the account's vars, or use ${spare} in shop.yaml"}, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestTemplateErrors(t *testing.T) {
	origin := Origin{Path: "wxmenu.yaml", Line: 7, Column: 5}
	tests := []struct {
		name, template string
		vars           map[string]string
		parse, render  []string
	}{{
		name:     "undefined variable, located in the template and naming the account",
		template: "default:\n  button:\n    - {type: view, name: A, url: \"https://x.example.com/${store}\"}\n",
		render:   []string{`t.yaml:3:57: account a (wxmenu.yaml:7:5): variable ${store} is not defined` + "\nhint: give the account vars: {store: ...}, or write $${store} for a literal ${"},
	}, {
		name:     "a placeholder in a key",
		template: "default:\n  button:\n    - {type: click, name: A, key: K}\ntags: {\"${vip}\": vip}\n",
		parse:    []string{`t.yaml:4:8: key "${vip}" holds a placeholder` + "\nhint: placeholders go in string values only; a key (a field name, a tag id) is written as is", `t.yaml:4:8: tag id "${vip}" is not a number` + "\nhint: use the numeric tag id as tags/get lists it, e.g. \"101\": vip"},
	}, {
		name:     "unclosed and expression",
		template: "default:\n  button:\n    - {type: click, name: \"${a\", key: \"${a+b}\"}\n",
		parse:    []string{`t.yaml:3:28: placeholder "${a" is not closed` + "\nhint: close it with }, or write $${ for a literal ${", `t.yaml:3:40: placeholder "${a+b}" does not name a variable` + "\nhint: a placeholder names one variable, e.g. ${store_id}; there are no expressions"},
	}, {
		name:     "a dotted name that is no built-in, and a built-in the account lacks",
		template: "default:\n  button:\n    - {type: click, name: A, key: \"${account.app}\"}\n",
		parse:    []string{`t.yaml:3:36: placeholder "${account.app}" is no built-in variable` + "\nhint: the built-in variables are ${account.appid}, ${account.name} and ${platform.component_appid}; an account's own vars have no dot"},
	}, {
		name:     "the platform's appid for an account that is no platform account",
		template: "default:\n  button:\n    - {type: click, name: A, key: 'C_${platform.component_appid}'}\n",
		render:   []string{"t.yaml:3:38: account a (wxmenu.yaml:7:5): variable ${platform.component_appid} is not defined\nhint: the account is no platform authorizer, or the project has no platform: block"},
	}, {
		name:     "an unquoted placeholder in a flow mapping",
		template: "default:\n  button:\n    - {type: click, name: A, key: K_${id}}\n",
		parse:    []string{"t.yaml:3:1: invalid YAML: did not find expected ',' or '}'\nhint: quote a value that holds a placeholder inside {...}, e.g. {key: \"K_${store_id}\"}: its } ends the mapping"},
	}, {
		name: "four URL domains once rendered",
		template: `default:
  button:
    - {type: view, name: A, url: "https://${d1}/"}
conditional:
  - {name: b, matchrule: {tag_id: "1"}, button: [{type: view, name: B, url: "https://${d2}/"}]}
  - {name: c, matchrule: {tag_id: "2"}, button: [{type: view, name: C, url: "https://${d3}/"}]}
  - {name: d, matchrule: {tag_id: "3"}, button: [{type: view, name: D, url: "https://${d4}/"}]}
  - {name: e, matchrule: {tag_id: "4"}, button: [{type: view, name: E, url: "https://${d1}/"}]}
`,
		vars:   map[string]string{"d1": "a.example.com", "d2": "b.example.com", "d3": "c.example.com", "d4": "d.example.com"},
		render: []string{"t.yaml:8:72: account a (wxmenu.yaml:7:5): conditional menus link to 4 URL domains (b.example.com, c.example.com, d.example.com, a.example.com); WeChat allows at most 3 across all conditional menus (65316)\nhint: serve these pages from at most 3 domains"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate("t", "t.yaml", []byte(tt.template))
			if diff := cmp.Diff(tt.parse, lines(err)); diff != "" {
				t.Fatalf("ParseTemplate (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			_, err = tmpl.Render(Binding{Account: "a", AppID: "wx0000000000000001", Vars: tt.vars, Origin: origin})
			if diff := cmp.Diff(tt.render, lines(err)); diff != "" {
				t.Errorf("Render (-want +got):\n%s", diff)
			}
		})
	}
}

func lines(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, d := range err.(Diagnostics) {
		out = append(out, d.String())
	}
	return out
}
