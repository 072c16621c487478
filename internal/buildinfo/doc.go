// Package buildinfo says which build of wxmenu is running: the version,
// commit and date a release build was stamped with at link time (see
// .goreleaser.yaml), completed from what the Go toolchain records in every
// binary (debug.ReadBuildInfo) for `go build` and `go install` builds.
// `wxmenu --version` prints Current, and plans and audit records carry
// ToolVersion.
package buildinfo
