package plans

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/wxmenu/wxmenu/reconcile/canon"
)

// maxPlanBytes bounds what ReadFile reads; real plans are far smaller.
const maxPlanBytes = 32 << 20

var digestPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// Seal sets p.PlanDigest: the sha256 of the plan's JSON with plan_digest
// empty (canon.Marshal of its document: compact, HTML characters left
// alone), so it covers every other field. NewPlan seals every plan it
// makes.
func Seal(p *Plan) (err error) {
	p.PlanDigest, err = digestOf(p)
	return err
}

// digestOf returns the digest Seal sets on p. A plan read back from its
// document digests as the plan that was written: the document holds every
// field, and encoding/json writes the same JSON for the values it reads.
func digestOf(p *Plan) (string, error) {
	doc := document(p)
	doc.PlanDigest = ""
	return sum(&doc)
}

// sum is the digest of v's compact JSON (canon.Marshal).
func sum(v any) (string, error) {
	data, err := canon.Marshal(v)
	if err != nil { // a created_at outside the years 0 to 9999
		return "", fmt.Errorf("encoding the plan: %w", err)
	}
	return canon.Sum(data), nil
}

// document returns p as its document holds it: the steps and the quota are
// written as [] and {} when there are none, as a reader gives them back.
func document(p *Plan) Plan {
	doc := *p
	if doc.Steps == nil {
		doc.Steps = []Step{}
	}
	if doc.Quota == nil {
		doc.Quota = map[string]int{}
	}
	return doc
}

// Show writes p, sealed and unchanged since, as one account's plan
// document, a blocked plan included: for showing a plan (plan --format
// json prints a blocked plan so CI can post it), never for saving one
// (WriteFile saves plans, and ReadFile refuses this document).
func Show(w io.Writer, p *Plan) error {
	if p == nil {
		return errors.New("no plan to write")
	}
	if d, err := digestOf(p); err != nil || d != p.PlanDigest {
		return errors.New("the plan is not sealed, or changed after it was sealed")
	}
	doc := document(p)
	return writeIndented(w, &doc)
}

// writeIndented writes a plan document: indented JSON, HTML characters
// left alone (URLs keep their "&"), in one write.
func writeIndented(w io.Writer, doc any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding the plan: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// FormatError is a plan document of an earlier format, which this wxmenu
// does not read: a plan is planned again, never converted.
type FormatError struct{ Version int }

func (e *FormatError) Error() string {
	return fmt.Sprintf("a plan of format %d, made by an earlier wxmenu; this wxmenu reads plans of format %d", e.Version, FormatVersion)
}

// versionError refuses a document of format version v unless it is
// FormatVersion; an earlier one is a *FormatError.
func versionError(v int) error {
	switch {
	case v >= 1 && v < FormatVersion:
		return &FormatError{Version: v}
	case v != FormatVersion:
		return fmt.Errorf("plan format version %d is not supported by this wxmenu (%d)", v, FormatVersion)
	}
	return nil
}

// checkPlan checks what apply relies on.
func checkPlan(p *Plan) error {
	if p.AppID == "" {
		return errors.New("appid is missing")
	}
	if !AppID.MatchString(p.AppID) {
		return fmt.Errorf("appid %q is not an appid", p.AppID)
	}
	for _, f := range []struct{ name, value string }{
		{"desired_digest", p.DesiredDigest}, {"live_digest", p.LiveDigest},
	} {
		if f.value == "" {
			return fmt.Errorf("%s is missing", f.name)
		}
		if !digestPattern.MatchString(f.value) {
			return fmt.Errorf("%s %q is not a sha256 digest", f.name, f.value)
		}
	}
	if p.Template != "" {
		for _, f := range []struct{ name, value string }{{"template_digest", p.TemplateDigest}, {"vars_digest", p.VarsDigest}} {
			if !digestPattern.MatchString(f.value) {
				return fmt.Errorf("%s %q is not a sha256 digest", f.name, f.value)
			}
		}
	}
	for i, k := range p.Kept {
		if k.MatchRule == nil {
			return fmt.Errorf("kept menu %d has no matchrule", i+1)
		}
	}
	for i, m := range p.Priority {
		if m.MatchRule == nil {
			return fmt.Errorf("priority menu %d has no matchrule", i+1)
		}
	}
	quota := map[string]int{}
	for i, s := range p.Steps {
		if err := checkStep(s); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
		if want := s.Explain(p.DesiredFile, p.TagNames); s.Reason != want {
			return fmt.Errorf("step %d: reason %q is not what reason_code %s says (%q)", i+1, s.Reason, s.ReasonCode, want)
		}
		if r := s.ReplacedBy; r != nil && (*r < 0 || *r >= len(p.Steps) || p.Steps[*r].Action != ActionAddConditional) {
			return fmt.Errorf("step %d: replaced_by %d is not a create of this plan", i+1, *r)
		}
		quota[s.Action.Endpoint()]++
	}
	endpoints := maps.Clone(quota) // and those p.Quota names
	maps.Copy(endpoints, p.Quota)
	// Sorted, so the error names the same endpoint every time.
	for _, endpoint := range slices.Sorted(maps.Keys(endpoints)) {
		if p.Quota[endpoint] != quota[endpoint] {
			return fmt.Errorf("quota says %d calls to %s, the steps make %d", p.Quota[endpoint], endpoint, quota[endpoint])
		}
	}
	return nil
}

func checkStep(s Step) error {
	switch s.Action {
	case ActionCreateDefault:
		if len(s.After) == 0 {
			return errors.New("create_default has no buttons")
		}
	case ActionAddConditional:
		if s.MatchRule == nil || s.MatchRule.IsEmpty() {
			return errors.New("add_conditional has no matchrule")
		}
		if len(s.After) == 0 {
			return errors.New("add_conditional has no buttons")
		}
	case ActionDelConditional:
		if s.MenuID == "" {
			return errors.New("del_conditional has no menuid")
		}
	case ActionDeleteAll:
	case "":
		return errors.New("action is missing")
	default:
		return fmt.Errorf("unknown action %q", s.Action)
	}
	if s.MenuID != "" && s.Action != ActionDelConditional {
		return fmt.Errorf("%s has a menuid", s.Action)
	}
	if s.ReasonCode == "" {
		return errors.New("reason_code is missing")
	}
	return nil
}

// decodeDocument decodes a plan file into f, strictly: whole JSON of this
// format version, no unknown field, nothing after it.
func decodeDocument(data []byte, f *File) error {
	if len(data) > maxPlanBytes {
		return fmt.Errorf("plan file is larger than %d MiB", maxPlanBytes>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("plan file is empty")
	}
	// The version decides how to read the rest, so it is read alone first.
	var head struct {
		FormatVersion *int    `json:"format_version"`
		Kind          string  `json:"kind"`
		AppID         *string `json:"appid"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		if !json.Valid(data) { // Unmarshal checks the whole input first
			return fmt.Errorf("plan file is truncated or not JSON: %s", jsonErrorText(err))
		}
		return fmt.Errorf("not a wxmenu plan: %s", jsonErrorText(err))
	}
	switch {
	case head.Kind == legacyProjectKind:
		return &FormatError{Version: 2}
	case head.FormatVersion == nil:
		return errors.New("not a wxmenu plan: format_version is missing")
	case versionError(*head.FormatVersion) != nil:
		return versionError(*head.FormatVersion)
	case head.AppID != nil:
		return errors.New("not a saved plan: it is one account's plan as plan --format json prints it, for reading; apply and show take the file plan --out saves")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil {
		return fmt.Errorf("invalid plan: %s", jsonErrorText(err))
	}
	if dec.More() {
		return errors.New("invalid plan: unexpected data after the plan")
	}
	return nil
}

// jsonErrorText words encoding/json's errors without the Go type names.
func jsonErrorText(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || err.Error() == "unexpected end of JSON input":
		return "unexpected end of file"
	case errors.As(err, &syntax):
		return fmt.Sprintf("%s at byte %d", syntax.Error(), syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("field %s has the wrong type (%s)", typ.Field, typ.Value)
		}
		return fmt.Sprintf("wrong type (%s)", typ.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// pathError names the plan file at path in err: "plan.json is a plan of
// format 2, …" when the file is of an earlier format, else "plan.json: …"
// (a project plan's errors name the account first).
func pathError(path string, err error) error {
	if _, ok := err.(*FormatError); ok {
		return fmt.Errorf("%s is %w", path, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}
