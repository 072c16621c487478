package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile/audit"
)

// History lists applies newest first, as text (a table) or json.
func History(w io.Writer, applies []*audit.Apply, format string) error {
	applies = slices.Clone(applies)
	slices.Reverse(applies)
	switch format {
	case "json":
		if applies == nil {
			applies = []*audit.Apply{}
		}
		return writeJSON(w, applies)
	case "text":
	default:
		return fmt.Errorf("unknown format %q (history shows text or json)", format)
	}
	if len(applies) == 0 {
		_, err := fmt.Fprintln(w, "The audit log records no apply.")
		return err
	}
	rows := [][]string{{"ID", "STARTED (UTC)", "ACCOUNT", "STEPS", "OUTCOME", "PLAN", "MADE IN"}}
	for _, a := range applies {
		account := a.AppID
		if a.Account != "" {
			account = a.Account + " (" + a.AppID + ")"
		}
		outcome := a.Outcome
		if a.State() != nil {
			outcome += ", restorable"
		}
		rows = append(rows, []string{a.ID, a.Time.UTC().Format("2006-01-02 15:04:05"), literal.Line(account), strconv.Itoa(a.Steps),
			outcome, shortDigest(a.PlanDigest), literal.Line(madeIn(a))})
	}
	for _, line := range columns(rows) {
		if _, err := fmt.Fprintln(w, strings.TrimRight(line, " ")); err != nil {
			return err
		}
	}
	return nil
}

// madeIn is where the applied plan was made: CI's commit and run, or "".
func madeIn(a *audit.Apply) string {
	pv := a.Provenance
	if pv == nil {
		return ""
	}
	s := pv.System
	if pv.Commit != "" {
		s += " " + pv.Commit[:min(len(pv.Commit), 12)]
	}
	if pv.RunURL != "" {
		s += " " + pv.RunURL
	}
	return s
}

// shortDigest is a digest's first 12 hex digits, as people compare them.
func shortDigest(d string) string {
	hex := strings.TrimPrefix(d, "sha256:")
	return hex[:min(len(hex), 12)]
}
