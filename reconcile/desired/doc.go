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
// people, never sent to WeChat.
//
// Parse decodes a file strictly with internal/yamlpos, recording each
// field's position by its path ("conditional[0].button[1].name"), and
// Validate checks the menus against WeChat's rules and against mistakes it
// accepts silently; every problem is a Diagnostic located at
// file:line:column with a hint where a fix is likely. Load does both. The
// other files hold the file's JSON Schema (schema.go), a live account or a
// console-published menu written in the same format (export.go,
// console.go), the digest a plan is pinned to (digest.go) and the declared
// menus a follower is shown (match.go).
//
// desired imports canon, preview, wechat and the helpers of internal/;
// nothing in it talks to the network.
package desired
