package desired

import (
	"encoding/json"
	"fmt"
	"maps"

	"github.com/wxmenu/wxmenu/wechat"
)

// schemaID is the $id of the desired-state JSON Schema.
const schemaID = "https://github.com/wxmenu/wxmenu/schema/menus.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of the desired-state file,
// indented, for editors and CI linters. It describes the structure and the
// limits a schema can express; Validate remains the authority (byte limits,
// URL domains, duplicate and shadowed rules are beyond a schema).
func Schema() []byte {
	// The document is built from literals (no <, > or & to escape);
	// encoding cannot fail.
	data, _ := json.MarshalIndent(schemaDocument(), "", "  ")
	return append(data, '\n')
}

type jsonObject = map[string]any

// object is the schema of a mapping with exactly the properties props, and
// the keywords of more.
func object(props, more jsonObject) jsonObject {
	o := jsonObject{"type": "object", "additionalProperties": false, "properties": props}
	maps.Copy(o, more)
	return o
}

func schemaDocument() jsonObject {
	ruleValue := []string{"string", "integer"}
	rule := jsonObject{
		"tag_id": jsonObject{"type": ruleValue, "description": "Numeric id of a user tag. A user with several tags is matched on the most recent one."},
		"client_platform_type": jsonObject{
			"enum":        []any{"1", "2", "3", 1, 2, 3},
			"description": "1 iOS, 2 Android, 3 others.",
		},
	}
	for _, name := range matchRuleFields[2:] { // the privacy fields
		rule[name] = jsonObject{"type": ruleValue, "deprecated": true,
			"description": name + ": rejected by WeChat since its privacy change (65320); menus that still have it never match"}
	}
	return object(jsonObject{
		"default": object(jsonObject{"button": jsonObject{"$ref": "#/$defs/topButtons"}}, jsonObject{
			"description": "The default menu, shown to users no conditional menu matches. Without it the account has no menu.",
			"required":    []string{"button"},
		}),
		"conditional": jsonObject{
			"description": "Conditional menus in priority order: the first entry wins.",
			"type":        "array",
			"items":       jsonObject{"$ref": "#/$defs/conditionalMenu"},
		},
		"unmanaged": jsonObject{
			"description": "Matchrules of live conditional menus to leave alone.",
			"type":        "array",
			"items":       jsonObject{"$ref": "#/$defs/matchRule"},
		},
		"tags": jsonObject{
			"description":          "Names of tag ids for people reviewing plans (\"101\": vip); checked against the account's tags when planning, never sent to WeChat.",
			"type":                 "object",
			"propertyNames":        jsonObject{"pattern": tagIDPattern.String()},
			"additionalProperties": jsonObject{"type": "string", "minLength": 1, "maxLength": maxTagNameRunes},
		},
	}, jsonObject{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         schemaID,
		"title":       "wxmenu desired state",
		"description": "A WeChat Official Account's menus: the default menu and the conditional menus in priority order (the first match wins).",
		"$defs": jsonObject{
			"matchRule": object(rule, jsonObject{"minProperties": 1, "description": "Which users see the menu. At least one field (65304)."}),
			"conditionalMenu": object(jsonObject{
				"name": jsonObject{
					"type":        "string",
					"pattern":     validName.String(),
					"maxLength":   maxNameLen,
					"description": "A unique label for people; never sent to WeChat.",
				},
				"matchrule": jsonObject{"$ref": "#/$defs/matchRule"},
				"button":    jsonObject{"$ref": "#/$defs/topButtons"},
				"protect": jsonObject{
					"type":        "boolean",
					"description": "Refuse to delete or recreate this menu without an override.",
				},
			}, jsonObject{"required": []string{"name", "matchrule", "button"}}),
			"topButtons": jsonObject{
				"type":     "array",
				"minItems": 1,
				"maxItems": wechat.MaxTopButtons,
				"items":    buttonSchema(wechat.MaxTopNameBytes, true),
			},
			"subButton": buttonSchema(wechat.MaxSubNameBytes, false),
		},
	})
}

// buttonSchema describes a button: a leaf with a type and that type's
// fields, or (top level only) a parent with sub_button.
func buttonSchema(maxNameBytes int, topLevel bool) jsonObject {
	props := jsonObject{
		"name": jsonObject{
			"type": "string", "minLength": 1,
			// maxLength counts characters, WeChat counts UTF-8 bytes: the
			// schema bound is necessary, not sufficient.
			"maxLength":   maxNameBytes,
			"description": fmt.Sprintf("At most %d UTF-8 bytes; a CJK character takes 3.", maxNameBytes),
		},
		"type": jsonObject{"enum": wechat.ButtonTypeNames()},
	}
	for _, f := range wechat.ButtonFields() {
		p := jsonObject{"type": "string", "minLength": 1}
		if f.MaxBytes > 0 {
			p["maxLength"] = f.MaxBytes
		}
		if f.Name == "url" {
			p["pattern"] = "^https?://"
			delete(p, "minLength")
		}
		props[f.Name] = p
	}
	var rules []any
	for _, t := range wechat.ButtonTypeNames() {
		required, _ := wechat.ButtonTypeFields(t)
		rules = append(rules, jsonObject{
			"if":   jsonObject{"properties": jsonObject{"type": jsonObject{"const": t}}, "required": []string{"type"}},
			"then": jsonObject{"required": required},
		})
	}
	leaf := jsonObject{"required": []string{"name", "type"}, "not": jsonObject{"required": []string{"sub_button"}}}
	if !topLevel {
		return object(props, jsonObject{"allOf": rules, "required": leaf["required"]})
	}
	props["sub_button"] = jsonObject{
		"type":     "array",
		"minItems": 1,
		"maxItems": wechat.MaxSubButtons,
		"items":    jsonObject{"$ref": "#/$defs/subButton"},
	}
	parent := jsonObject{"required": []string{"name", "sub_button"}, "not": jsonObject{"required": []string{"type"}}}
	return object(props, jsonObject{"allOf": rules, "oneOf": []any{leaf, parent}})
}
