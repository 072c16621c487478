package buildinfo

import (
	"fmt"
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

// DevVersion names a build that carries no version: `go run`, `go test`,
// or `go build -buildvcs=false` outside a module version.
const DevVersion = "dev"

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
				if s.Commit == "" {
					s.Commit = kv.Value
				}
			case "vcs.time":
				if s.Date == "" {
					s.Date = kv.Value
				}
			case "vcs.modified":
				s.Modified = s.Modified || kv.Value == "true"
			}
		}
	}
	if s.Commit == "" || s.Date == "" {
		if rev, t, ok := pseudoVersionParts(s.Version); ok {
			if s.Commit == "" {
				s.Commit = rev
			}
			if s.Date == "" {
				s.Date = t
			}
		}
	}
	if strings.HasSuffix(s.Version, "+dirty") {
		s.Modified = true
	}
	if s.Version == "" {
		s.Version = DevVersion
	}
	return s
}

// pseudoVersionParts returns the revision prefix and commit time of a Go
// pseudo-version (vX.Y.Z-yyyymmddhhmmss-abcdefabcdef, in its three forms,
// optionally with +incompatible or +dirty).
func pseudoVersionParts(v string) (rev, when string, ok bool) {
	v, _, _ = strings.Cut(v, "+")
	i := strings.LastIndexByte(v, '-')
	if i < 0 {
		return "", "", false
	}
	rev = v[i+1:]
	if len(rev) != 12 || strings.Trim(rev, "0123456789abcdef") != "" {
		return "", "", false
	}
	rest := v[:i]
	if len(rest) < 14 {
		return "", "", false
	}
	// The timestamp follows "-" (vX.0.0-) or "." (vX.Y.Z-pre.0. and vX.Y.(Z+1)-0.).
	stamp := rest[len(rest)-14:]
	if sep := rest[:len(rest)-14]; sep == "" || (!strings.HasSuffix(sep, "-") && !strings.HasSuffix(sep, ".")) {
		return "", "", false
	}
	t, err := time.Parse("20060102150405", stamp)
	if err != nil {
		return "", "", false
	}
	return rev, t.UTC().Format(time.RFC3339), true
}

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
