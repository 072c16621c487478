// Package yamlfmt writes a YAML file in one canonical layout without
// changing what it says, keeping its comments: `wxmenu fmt` for menus.yaml
// and wxmenu.yaml, whose packages describe their files as a Shape.
//
// The layout, fixed so that two people's edits of a file differ only where
// their content does:
//
//   - Keys in the order the Shape gives (for menus.yaml, WeChat's field
//     order: the order of the decoders' key lists); merge keys (<<) first;
//     keys the Shape does not order keep their order after the others, or
//     are sorted by the Shape's KeyOrder (tag ids).
//   - Indentation of two spaces; a list under a key is indented under it.
//   - A list or mapping written on one line ({...}, [...]) stays on one
//     line, and a block one stays a block: it is the author's choice
//     between short and long entries, not a matter of layout.
//   - Strings are written plain when YAML reads the plain text back as the
//     same string where it stands, otherwise in double quotes; values the
//     Shape says are text (button fields, matchrule values) are strings
//     even when written as numbers (tag_id: 101 becomes tag_id: "101",
//     which the file's decoder reads the same). Booleans are true and
//     false.
//   - Comments stay with the entry they precede or follow (a comment after
//     the last entry of a mapping stays last when keys move); blank lines
//     between the entries of a block list or mapping are kept, one where
//     there were several; other blank lines go.
//
// Format parses with gopkg.in/yaml.v3, which keeps comments on the nodes,
// rewrites the nodes and encodes them. It checks its own work: the result
// must hold every comment of the input, or Format fails instead of
// dropping one. What the file means is the caller's to check (desired and
// project parse both and compare), since only the caller knows it.
//
// Files: format.go (Format and its checks), shape.go (Shape: key order and
// text), scalars.go (quoting), blank.go (blank lines).
package yamlfmt
