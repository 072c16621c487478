// Package reconcile turns a desired-state file into the API calls that make
// a WeChat Official Account's menus match it, and makes them safely.
//
// # Desired state
//
// A menus.yaml file declares one account's default menu, its conditional
// (personalized) menus in priority order (the first entry wins) and the
// matchrules of live menus to leave alone:
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
// people, never sent to WeChat. Parse decodes the file strictly through
// yaml.Node, keeping each node's position; Validate then checks everything
// WeChat enforces (counts, byte lengths, types and their fields, the
// 3-URL-domain cap, empty and privacy matchrules, the default-menu
// prerequisite) and the mistakes WeChat accepts silently (duplicate and
// shadowed rules that leave a menu unreachable). Both report every problem
// at once as Diagnostics located at file:line:column, with a hint where a
// fix is likely. LoadFile does both. Schema describes the file for editors;
// Export writes a live account in the same format.
//
// # Canonical model
//
// WeChat's menu/get output differs from what was sent (tag_id comes back
// as group_id, values as strings or numbers, leaves with "sub_button": []).
// Desired and live menus are therefore compared in a canonical form: a
// conditional menu is identified by its canonical matchrule and buttons,
// since WeChat gives it no name and cannot edit it.
//
// # Plan
//
// A Plan is a versioned JSON document, data only: the ordered API calls
// (create the default menu, add or delete conditional menus, delete all),
// the menus kept, the quota spent and digests of the desired file and of
// the live account it was made from. Menus that can be kept are the longest
// run at the low-priority end of the desired list found unchanged and in
// order among the live menus; everything above it is recreated, lowest
// priority first, before stale menus are deleted.
//
// # Apply
//
// Apply executes a reviewed plan only if the account and the file still
// digest as they did when planning, then reads the account back to prove it
// converged.
package reconcile
