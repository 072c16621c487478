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
// A template (template.go) is a menus file with ${name} placeholders in
// its string values, shared by many accounts of a project. ParseTemplate
// decodes it once, like any menus file, and checks its placeholders (never
// in a key; closed; naming a variable, the built-ins ${account.appid},
// ${account.name} and ${platform.component_appid} included; $${ is a
// literal ${). Template.Render makes one account's State from it: every
// placeholder replaced by the account's value (Binding), then Validate,
// so a rendered account is held to every rule a menus file is (byte
// limits and the URL-domain cap count the rendered values). Its problems
// are located in the template and name the account and where it is
// defined (Origin); an undefined variable is one of them, an unused one a
// warning (Warnings). A rendered State shares the template's positions
// and every string without a placeholder, and records in Rendered the
// template's digest and that of the account's values, which a plan pins.
// Marshal writes a State back as a menus file (wxmenu render).
//
// desired imports canon, preview, wechat and the helpers of internal/;
// nothing in it talks to the network.
package desired
