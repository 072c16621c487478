package buildinfo

import (
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolveBuild(t *testing.T) {
	vcs := func(rev, when, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: when}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "a95a7d9327d3928c12800e564221032088ce5c0c"
	tests := []struct {
		name                        string
		ldVersion, ldCommit, ldDate string
		bi                          *debug.BuildInfo
		want                        Stamp
		wantString                  string
	}{
		{
			name:      "release build: link-time values win over the build info",
			ldVersion: "v1.2.3", ldCommit: rev, ldDate: "2026-12-01T20:00:00Z",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("ffff", "2026-01-01T00:00:00Z", "false")},
			want:       Stamp{Version: "v1.2.3", Commit: rev, Date: "2026-12-01T20:00:00Z"},
			wantString: "v1.2.3 (commit " + rev + ", 2026-12-01T20:00:00Z)",
		},
		{
			name:      "snapshot release build from a dirty tree",
			ldVersion: "v0.0.0-SNAPSHOT-a95a7d9", ldCommit: rev, ldDate: "2026-12-01T20:00:00Z",
			bi:         &debug.BuildInfo{Settings: vcs(rev, "2026-11-27T18:29:03Z", "true")},
			want:       Stamp{Version: "v0.0.0-SNAPSHOT-a95a7d9", Commit: rev, Date: "2026-12-01T20:00:00Z", Modified: true},
			wantString: "v0.0.0-SNAPSHOT-a95a7d9 (commit " + rev + ", 2026-12-01T20:00:00Z, modified)",
		},
		{
			name:      "snapshot build where GoReleaser could not read git: its placeholders are dropped",
			ldVersion: "v0.0.1-snapshot+none", ldCommit: "none", ldDate: "0001-01-01T00:00:00Z",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			want:       Stamp{Version: "v0.0.1-snapshot+none"},
			wantString: "v0.0.1-snapshot+none",
		},
		{
			name:       "go install module@v1.2.3: a module version, no VCS settings",
			bi:         &debug.BuildInfo{Main: debug.Module{Path: "github.com/wxmenu/wxmenu", Version: "v1.2.3"}},
			want:       Stamp{Version: "v1.2.3"},
			wantString: "v1.2.3",
		},
		{
			name:       "go install module@main: the commit and its time come from the pseudo-version",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261127182903-a95a7d9327d3"}},
			want:       Stamp{Version: "v0.0.0-20261127182903-a95a7d9327d3", Commit: "a95a7d9327d3", Date: "2026-11-27T18:29:03Z"},
			wantString: "v0.0.0-20261127182903-a95a7d9327d3 (commit a95a7d9327d3, 2026-11-27T18:29:03Z)",
		},
		{
			name: "pseudo-version after a pre-release tag",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "v1.3.0-rc.1.0.20261127182903-a95a7d9327d3"}},
			want: Stamp{Version: "v1.3.0-rc.1.0.20261127182903-a95a7d9327d3", Commit: "a95a7d9327d3", Date: "2026-11-27T18:29:03Z"},
		},
		{
			name: "pseudo-version after a release tag",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20261127182903-a95a7d9327d3"}},
			want: Stamp{Version: "v1.2.4-0.20261127182903-a95a7d9327d3", Commit: "a95a7d9327d3", Date: "2026-11-27T18:29:03Z"},
		},
		{
			name:       "go build in a clone: VCS settings give the full revision; +dirty means modified",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261127182903-a95a7d9327d3+dirty"}, Settings: vcs(rev, "2026-11-27T18:29:03Z", "true")},
			want:       Stamp{Version: "v0.0.0-20261127182903-a95a7d9327d3+dirty", Commit: rev, Date: "2026-11-27T18:29:03Z", Modified: true},
			wantString: "v0.0.0-20261127182903-a95a7d9327d3+dirty (commit " + rev + ", 2026-11-27T18:29:03Z, modified)",
		},
		{
			name:       "go build -buildvcs=false outside a module version: dev",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			want:       Stamp{Version: "dev"},
			wantString: "dev",
		},
		{
			name:       "go build with VCS settings but no module version",
			bi:         &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "2026-11-27T18:29:03Z", "false")},
			want:       Stamp{Version: "dev", Commit: rev, Date: "2026-11-27T18:29:03Z"},
			wantString: "dev (commit " + rev + ", 2026-11-27T18:29:03Z)",
		},
		{
			name: "no build info at all",
			want: Stamp{Version: "dev"},
		},
		{
			name: "a version that only looks like a pseudo-version is taken as is",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "v1.0.0-beta-a95a7d9327d3"}},
			want: Stamp{Version: "v1.0.0-beta-a95a7d9327d3"},
		},
		{
			name: "a pseudo-version with an impossible time is taken as is",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261399999999-a95a7d9327d3"}},
			want: Stamp{Version: "v0.0.0-20261399999999-a95a7d9327d3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Resolve(tt.ldVersion, tt.ldCommit, tt.ldDate, tt.bi)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Resolve (-want +got):\n%s", diff)
			}
			if tt.wantString != "" {
				if diff := cmp.Diff(tt.wantString, got.String()); diff != "" {
					t.Errorf("String (-want +got):\n%s", diff)
				}
			}
		})
	}
}
