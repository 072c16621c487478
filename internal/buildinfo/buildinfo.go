package buildinfo

import (
	"cmp"
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
	"time"
)

// Release builds set these at link time (GoReleaser's names, see
// .goreleaser.yaml):
//
//	-X github.com/wxmenu/wxmenu/internal/buildinfo.version=v1.2.3
//	-X github.com/wxmenu/wxmenu/internal/buildinfo.commit=<full sha>
//	-X github.com/wxmenu/wxmenu/internal/buildinfo.date=<RFC 3339>
//
// They stay empty for `go build` and `go install`, whose builds are
// described by debug.ReadBuildInfo instead.
var (
	version string
	commit  string
	date    string
)

// Stamp says which build of wxmenu is running.
type Stamp struct {
	Version  string // "v1.2.3", a Go pseudo-version, or "dev" when unknown
	Commit   string // the VCS revision, "" when unknown
	Date     string // when that revision was committed (or, for releases, built), RFC 3339; "" when unknown
	Modified bool   // built from a work tree with uncommitted changes
}

// Current describes the running binary.
func Current() Stamp {
	bi, _ := debug.ReadBuildInfo()
	return Resolve(version, commit, date, bi)
}

// ToolVersion is the version recorded in plans and audit records.
func ToolVersion() string { return Current().Version }

// Resolve merges what the linker was told (a release build) with what
// the Go toolchain recorded (every build): link-time values win, the build
// info fills the gaps. `go install module@v1.2.3` records the module
// version but no VCS settings (it builds from the module zip), so for a
// pseudo-version the commit and its time are read from the version itself.
func Resolve(ldVersion, ldCommit, ldDate string, bi *debug.BuildInfo) Stamp {
	s := Stamp{Version: ldVersion, Commit: ldCommit, Date: ldDate}
	// GoReleaser fills in "none" and the zero time when it could not read git.
	if s.Commit == "none" {
		s.Commit = ""
	}
	if strings.HasPrefix(s.Date, "0001-01-01") {
		s.Date = ""
	}
	if bi != nil {
		if s.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			s.Version = bi.Main.Version
		}
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				s.Commit = cmp.Or(s.Commit, kv.Value)
			case "vcs.time":
				s.Date = cmp.Or(s.Date, kv.Value)
			case "vcs.modified":
				s.Modified = s.Modified || kv.Value == "true"
			}
		}
	}
	// A pseudo-version's commit and time, when it is one and its time is a
	// time.
	if m := pseudoVersion.FindStringSubmatch(s.Version); m != nil {
		if t, err := time.Parse("20060102150405", m[1]); err == nil {
			s.Commit, s.Date = cmp.Or(s.Commit, m[2]), cmp.Or(s.Date, t.UTC().Format(time.RFC3339))
		}
	}
	s.Modified = s.Modified || strings.HasSuffix(s.Version, "+dirty")
	// "dev": a build that carries no version (go run, go test, or go build
	// -buildvcs=false outside a module version).
	s.Version = cmp.Or(s.Version, "dev")
	return s
}

// pseudoVersion matches a Go pseudo-version, vX.Y.Z-yyyymmddhhmmss-abcdefabcdef
// in its three forms (the timestamp follows "-" in vX.0.0-, "." in
// vX.Y.Z-pre.0. and vX.Y.(Z+1)-0.), optionally with +incompatible or
// +dirty; its submatches are the timestamp and the revision prefix.
var pseudoVersion = regexp.MustCompile(`^[^+]*[-.]([0-9]{14})-([0-9a-f]{12})(\+.*)?$`)

// String is what `wxmenu --version` prints after "wxmenu version ":
// "v1.2.3 (commit 0123abcd, 2026-12-01T20:00:00Z)", with ", modified"
// when the work tree had uncommitted changes.
func (s Stamp) String() string {
	var details []string
	if s.Commit != "" {
		details = append(details, "commit "+s.Commit)
	}
	if s.Date != "" {
		details = append(details, s.Date)
	}
	if s.Modified {
		details = append(details, "modified")
	}
	if len(details) == 0 {
		return s.Version
	}
	return fmt.Sprintf("%s (%s)", s.Version, strings.Join(details, ", "))
}
