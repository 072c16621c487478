package plans

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile/canon"
)

// A fleet plan is the plan of several accounts of one project, saved by
// `plan --out` without -f: a versioned document listing, per account, its
// name and its own complete plan (format 3, sealed with its own digest),
// plus a digest over the whole (FleetDigest, canon.Digest of the header and
// every account's name, appid and plan digest), so that no account can be
// added, dropped, swapped or edited. A single-account plan file is unchanged;
// IsFleetDocument tells the two apart.

// FleetFormatVersion is the version of the fleet plan document.
const FleetFormatVersion = 1

// FleetKind is the value of the fleet document's "kind" field.
const FleetKind = "wxmenu-fleet-plan"

// FleetPlan is the saved plan of several accounts.
type FleetPlan struct {
	Kind          string    `json:"kind"`
	FormatVersion int       `json:"fleet_format_version"`
	ToolVersion   string    `json:"tool_version"`
	CreatedAt     time.Time `json:"created_at"`
	// Project is the project file the plan was made from, as given.
	Project  string         `json:"project"`
	Accounts []FleetAccount `json:"accounts"`
	// FleetDigest is set by SealFleet; see above.
	FleetDigest string `json:"fleet_digest"`
}

// FleetAccount is one account's plan in a fleet plan.
type FleetAccount struct {
	Name string `json:"name"`
	Plan *Plan  `json:"plan"`
}

// SealFleet sets f.FleetDigest. Every account's plan must be sealed.
func SealFleet(f *FleetPlan) error {
	for _, a := range f.Accounts {
		if a.Plan == nil {
			return fmt.Errorf("the plan of account %s is not sealed", a.Name)
		}
		if d, err := digestOf(a.Plan); err != nil || d != a.Plan.PlanDigest {
			return fmt.Errorf("the plan of account %s is not sealed", a.Name)
		}
	}
	f.Kind, f.FormatVersion = FleetKind, FleetFormatVersion
	f.FleetDigest = fleetDigest(f)
	return nil
}

// fleetDigest returns the digest SealFleet sets: canon.Digest of the
// fleet's header and, per account, its name and its plan's appid and
// digest (the plan digest covers the rest of each plan).
func fleetDigest(f *FleetPlan) string {
	type account struct {
		Name       string `json:"name"`
		AppID      string `json:"appid"`
		PlanDigest string `json:"plan_digest"`
	}
	doc := struct {
		Kind          string    `json:"kind"`
		FormatVersion int       `json:"fleet_format_version"`
		ToolVersion   string    `json:"tool_version"`
		CreatedAt     string    `json:"created_at"`
		Project       string    `json:"project"`
		Accounts      []account `json:"accounts"`
	}{f.Kind, f.FormatVersion, f.ToolVersion, f.CreatedAt.UTC().Format(time.RFC3339Nano), f.Project, make([]account, len(f.Accounts))}
	for i, a := range f.Accounts {
		doc.Accounts[i].Name = a.Name
		if a.Plan != nil {
			doc.Accounts[i].AppID, doc.Accounts[i].PlanDigest = a.Plan.AppID, a.Plan.PlanDigest
		}
	}
	return canon.Digest(doc)
}

// WriteFleet writes f as a fleet plan document; f must be sealed.
func WriteFleet(w io.Writer, f *FleetPlan) error {
	if f == nil || f.FleetDigest == "" || fleetDigest(f) != f.FleetDigest {
		return errors.New("the fleet plan is not sealed, or changed after it was sealed")
	}
	doc := struct {
		*FleetPlan
		Accounts []fleetAccountDoc `json:"accounts"`
	}{FleetPlan: f}
	for _, a := range f.Accounts {
		if a.Plan.IsBlocked() {
			return fmt.Errorf("the plan of account %s is blocked and cannot be written", a.Name)
		}
		var buf bytes.Buffer
		if err := Write(&buf, a.Plan); err != nil {
			return fmt.Errorf("account %s: %w", a.Name, err)
		}
		doc.Accounts = append(doc.Accounts, fleetAccountDoc{Name: a.Name, Plan: buf.Bytes()})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding the fleet plan: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

type fleetAccountDoc struct {
	Name string          `json:"name"`
	Plan json.RawMessage `json:"plan"`
}

// IsFleetDocument reports whether data is a fleet plan document (rather
// than a single account's plan).
func IsFleetDocument(data []byte) bool {
	var head struct {
		Kind string `json:"kind"`
	}
	return json.Unmarshal(data, &head) == nil && head.Kind == FleetKind
}

// ReadFleet reads a document written by WriteFleet, refusing unknown
// fields, other versions, duplicate names or appids, and any edit (every
// account's plan is read and checked as Read does, then the fleet digest).
func ReadFleet(r io.Reader) (*FleetPlan, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPlanBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the plan: %w", err)
	}
	if len(data) > maxPlanBytes {
		return nil, fmt.Errorf("plan file is larger than %d MiB", maxPlanBytes>>20)
	}
	var doc struct {
		Kind          string            `json:"kind"`
		FormatVersion int               `json:"fleet_format_version"`
		ToolVersion   string            `json:"tool_version"`
		CreatedAt     time.Time         `json:"created_at"`
		Project       string            `json:"project"`
		Accounts      []fleetAccountDoc `json:"accounts"`
		FleetDigest   string            `json:"fleet_digest"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("invalid fleet plan: %s", jsonErrorText(err))
	}
	if doc.Kind != FleetKind {
		return nil, errors.New("not a wxmenu fleet plan: kind is not " + FleetKind)
	}
	if doc.FormatVersion != FleetFormatVersion {
		return nil, fmt.Errorf("fleet plan format version %d is not supported by this wxmenu (%d)", doc.FormatVersion, FleetFormatVersion)
	}
	if len(doc.Accounts) == 0 {
		return nil, errors.New("invalid fleet plan: it has no accounts")
	}
	f := &FleetPlan{Kind: doc.Kind, FormatVersion: doc.FormatVersion, ToolVersion: doc.ToolVersion, CreatedAt: doc.CreatedAt, Project: doc.Project, FleetDigest: doc.FleetDigest}
	names, appids := map[string]bool{}, map[string]bool{}
	for i, a := range doc.Accounts {
		if a.Name == "" {
			return nil, fmt.Errorf("invalid fleet plan: account %d has no name", i+1)
		}
		p, err := Read(bytes.NewReader(a.Plan))
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", a.Name, err)
		}
		if names[a.Name] || appids[p.AppID] {
			return nil, fmt.Errorf("invalid fleet plan: account %s (%s) is listed twice", a.Name, p.AppID)
		}
		names[a.Name], appids[p.AppID] = true, true
		f.Accounts = append(f.Accounts, FleetAccount{Name: a.Name, Plan: p})
	}
	if f.FleetDigest == "" || fleetDigest(f) != f.FleetDigest {
		return nil, errors.New("plan file was edited after it was written, or made by a wxmenu that seals plans differently (fleet_digest does not match)")
	}
	return f, nil
}

// ReadAnyFile reads the plan file at path: a fleet plan (fleet set) or a
// single account's plan (single set).
func ReadAnyFile(path string) (single *Plan, fleet *FleetPlan, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &FileError{Err: fmt.Errorf("cannot read plan %s: %w", path, errtext.PathReason(err)), Hint: "make one with: wxmenu plan --out " + path}
	}
	if IsFleetDocument(data) {
		fleet, err = ReadFleet(bytes.NewReader(data))
	} else {
		single, err = Read(bytes.NewReader(data))
	}
	if err != nil {
		return nil, nil, &FileError{Err: pathError(path, err), Hint: "make a new plan with: wxmenu plan --out " + path}
	}
	return single, fleet, nil
}
