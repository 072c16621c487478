package plans

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/internal/yamlpos"
)

// CheckOut says whether `plan --out out` may write a plan to out: never
// onto the desired-state file the plan is made from, and never over an
// existing file that is not a wxmenu plan unless force is set (a plan is
// replaced freely: that is what --out is for). It is checked before the
// account is read, so a mistyped --out costs nothing.
func CheckOut(out, desiredFile string, force bool) error {
	outInfo, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return errtext.Errorf("", "cannot write the plan to %s: %w", out, errtext.PathReason(err))
	}
	if outInfo.IsDir() {
		return errtext.Errorf("name a file, e.g. --out "+filepath.Join(out, "plan.json"), "cannot write the plan to %s: it is a directory", out)
	}
	if li, err := os.Lstat(out); err == nil && li.Mode()&(fs.ModeType&^fs.ModeSymlink) != 0 {
		// A device or a pipe: --force would not replace it either.
		return errtext.Errorf("save the plan to a file: --out "+FreshName("plan.json"), "--out %s is not a regular file; it was left as it is", out)
	}
	if desiredFile != "" {
		if inInfo, err := os.Stat(desiredFile); err == nil && os.SameFile(inInfo, outInfo) {
			// Even --force does not allow this: the plan would replace the
			// menus.yaml it was made from.
			return errtext.Errorf("save the plan to a file of its own: --out "+FreshName(out), "--out %s is the desired-state file the plan is made from", out)
		}
	}
	if force || IsPlanFile(out) {
		return nil
	}
	return errtext.Errorf("save the plan to a new file (--out "+FreshName(out)+"), or pass --force to replace "+out, "--out %s exists and is not a wxmenu plan; it was left as it is", out)
}

// IsPlanFile reports whether the file at path holds a wxmenu plan of any
// format version (a JSON object with a numeric format_version), readable
// or stale: such a file may be replaced by a new plan.
func IsPlanFile(path string) bool {
	data, err := yamlpos.ReadFile(path, maxPlanBytes)
	if err != nil || len(data) > maxPlanBytes || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return false
	}
	var head struct {
		FormatVersion *json.Number `json:"format_version"`
	}
	return json.Unmarshal(data, &head) == nil && head.FormatVersion != nil
}

// FreshName is a plan file name next to path that does not exist yet:
// plan.json, else plan-2.json, plan-3.json, … in path's directory. Hints
// name it so that running them never replaces a file.
func FreshName(path string) string {
	dir := filepath.Dir(path)
	for i := 1; ; i++ {
		name := "plan.json"
		if i > 1 {
			name = "plan-" + strconv.Itoa(i) + ".json"
		}
		candidate := filepath.Join(dir, name)
		if _, err := os.Lstat(candidate); errors.Is(err, os.ErrNotExist) {
			return candidate
		}
	}
}

// looksLikeYAML reports whether data reads as a menus.yaml rather than a
// plan: it is not JSON and mentions a menu's top-level keys.
func looksLikeYAML(data []byte) bool {
	if json.Valid(data) {
		return false
	}
	s := string(data)
	return strings.Contains(s, "default:") || strings.Contains(s, "conditional:") || strings.Contains(s, "button:")
}
