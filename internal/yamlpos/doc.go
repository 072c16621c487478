// Package yamlpos reads the tool's YAML files (menus.yaml, wxmenu.yaml)
// strictly, keeping every node's position so that each problem is a
// Diagnostic located at file:line:column with a hint where a fix is likely.
//
// A file is read in two steps. File.Parse checks the bytes (size, UTF-8,
// control characters) and parses exactly one YAML document with
// gopkg.in/yaml.v3, turning its syntax errors into located diagnostics;
// it returns the document's root node and a Decoder. The caller then
// walks the nodes with the Decoder, which reports rather than stops:
// Fields decodes a mapping described by a Mapping (unknown keys with a
// did-you-mean, repeated keys, keys that are not names, anything else
// than a mapping), and List, String and Bool decode the values people
// write, so that one run reports every problem of a file. Err returns
// them deduplicated, in file order.
//
// Aliases are followed and merge keys (<<: *anchor, or a list of them)
// honoured: a mapping's own keys win over merged ones, the first merged
// mapping over later ones, as YAML has it. Every node read is counted
// against the File's MaxNodes, so a small file that aliases multiply into
// millions of nodes is refused once rather than read.
//
// File.Decoder gives a Decoder for nodes made in code rather than parsed
// (a row of a CSV file, a line of JSON), reporting at the positions they
// were given.
//
// Files: parse.go (File.Parse and the syntax errors), decoder.go (Decoder,
// Mapping), diagnostic.go (Pos, Diagnostic, Diagnostics).
package yamlpos
