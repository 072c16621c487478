// Package desired is the desired-state model: one account's menus as
// declared in menus.yaml (State), read strictly and checked before anything
// talks to WeChat.
//
//	default:
//	  button:
//	    - {type: view, name: 官网, url: "https://www.example.com/"}
//	conditional:
//	  - name: vip-ios
//	    matchrule: {tag_id: "101", client_platform_type: "1"}
//	    button: [...]
//	unmanaged:
//	  - {tag_id: "900"}
//
// Field names follow WeChat's API. A conditional menu's name is a label for
// people, never sent to WeChat. Files:
//
//   - load.go, decode.go: Parse decodes strictly through yaml.Node with
//     internal/yamlpos, recording each field's position by its path
//     ("conditional[0].button[1].name"); Load reads, parses and
//     validates.
//   - validate.go, validate_rules.go: Validate checks everything WeChat
//     enforces (counts, byte lengths, types and their fields, the
//     3-URL-domain cap, empty and privacy matchrules, the default-menu
//     prerequisite) and the mistakes WeChat accepts silently (duplicate and
//     shadowed rules).
//   - every problem is a Diagnostic (yamlpos's) located at
//     file:line:column with a hint where a fix is likely.
//   - schema.go: the JSON Schema of the file for editors.
//   - export.go: a live account written in the same format.
//   - console.go: a console-published menu (get_current_selfmenu_info)
//     converted to API buttons where a type maps, and exported; the
//     console-only buttons (text, img, voice, video, news) named instead.
//   - digest.go: State.Digest, the canonical digest a plan is pinned to.
//   - match.go: MenuSeenBy, which declared menu a follower sees.
//
// desired imports canon, preview, wechat and the helpers of internal/;
// nothing in it talks to the network.
package desired
