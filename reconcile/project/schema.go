package project

import _ "embed"

//go:embed schema.json
var schema []byte

// Schema is the JSON Schema of the project file (for yaml-language-server
// and editors). Load checks more than it can say (unique names and appids,
// a platform block when an account needs one).
func Schema() []byte { return append([]byte(nil), schema...) }
