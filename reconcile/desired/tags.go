package desired

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/internal/yamlpos"
)

// The tags: map names tag ids for reviewers:
//
//	tags:
//	  "101": vip
//	  "102": staff
//
// Plans and previews then say "tag 101 (vip)" instead of a bare id. The
// names are never sent to WeChat; planning against the API checks them
// against the account's tag list (tags/get), so a plan cannot show a name
// the account does not give the tag.

// maxTagNameRunes is the longest tag name WeChat accepts (tags/create:
// "30 characters"; UNCONFIRMED whether it counts characters or bytes).
const maxTagNameRunes = 30

// tagIDPattern is a tag id as a key of tags:, for the decoder and the schema.
var tagIDPattern = regexp.MustCompile(`^[0-9]{1,10}$`)

// decodeTags decodes the top-level tags: mapping.
func (d *decoder) decodeTags(f yamlpos.Field) map[string]string {
	v := d.Resolve(f.Value)
	if v == nil || yamlpos.IsNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		d.Report(f.Value, `write tag ids and names as a mapping, e.g. tags: {"101": vip}`, "tags must be a mapping, got %s", yamlpos.KindName(v))
		return nil
	}
	tags := map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := d.Resolve(v.Content[i]), d.Resolve(v.Content[i+1])
		if k == nil || val == nil {
			continue
		}
		switch _, dup := tags[k.Value]; {
		case k.Kind != yaml.ScalarNode || !tagIDPattern.MatchString(k.Value):
			d.Report(v.Content[i], `use the numeric tag id as tags/get lists it, e.g. "101": vip`, "tag id %q is not a number", k.Value)
		case val.Kind != yaml.ScalarNode || yamlpos.IsNull(val) || strings.TrimSpace(val.Value) == "":
			d.Report(v.Content[i+1], "give the tag its name on the account, e.g. vip", "tag %s has no name", k.Value)
		case utf8.RuneCountInString(val.Value) > maxTagNameRunes:
			d.Report(v.Content[i+1], "use the tag's name as the account has it", "tag %s's name is longer than WeChat's %d characters", k.Value, maxTagNameRunes)
		case dup:
			d.Report(v.Content[i], "name each tag once", "tag %s is named twice", k.Value)
		default:
			tags[k.Value] = val.Value
			d.positions["tags."+k.Value] = yamlpos.PosOf(v.Content[i+1])
		}
	}
	return tags
}
