package snapshot

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/wxmenu/wxmenu/internal/errtext"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/canon"
	"github.com/wxmenu/wxmenu/reconcile/plans"
	"github.com/wxmenu/wxmenu/wechat"
)

// FormatVersion is the version of the snapshot document. Read refuses
// any other: a snapshot is taken again, never converted.
const FormatVersion = 1

// Kind names the document, so that a snapshot is never taken for a plan
// or a plan for a snapshot.
const Kind = "wxmenu-snapshot"

// maxBytes bounds what Read reads; a snapshot of a thousand accounts is
// far smaller.
const maxBytes = 64 << 20

// File is a snapshot: the reads of every account of a run, sealed.
type File struct {
	Kind          string `json:"kind"`
	FormatVersion int    `json:"format_version"`
	ToolVersion   string `json:"tool_version"`
	// TakenAt is when the snapshot was taken (its first read began).
	TakenAt time.Time `json:"taken_at"`
	// Project is the project file the accounts are of, as given; "" for
	// the one account of a menus file.
	Project  string    `json:"project,omitempty"`
	Accounts []Account `json:"accounts"`
	// Digest seals the file: see the package documentation.
	Digest string `json:"digest"`
}

// Account is what was read from one account.
type Account struct {
	// Name is the project's name for the account; "" for a menus file's.
	Name  string `json:"name,omitempty"`
	AppID string `json:"appid"`
	// TakenAt is when the account was read.
	TakenAt time.Time `json:"taken_at"`
	// Menus is what menu/get returned.
	Menus *wechat.MenuSet `json:"menus"`
	// SelfMenu is what get_current_selfmenu_info returned, read when
	// menu/get reported no menu (reconcile.ReadLive); nil otherwise.
	SelfMenu *wechat.SelfMenuInfo `json:"selfmenu,omitempty"`
	// Tags is what tags/get returned, and TagsError why it failed (the
	// error as a plan's warning quotes it; WeChat's errors never hold the
	// token, which the client redacts).
	Tags      []Tag  `json:"tags"`
	TagsError string `json:"tags_error,omitempty"`
}

// Tag is one of the account's user tags.
type Tag struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Take is the entry of the account named name (a project's, or "") with
// appid as read at takenAt: read is what reconcile.Session.Read returned,
// tags included.
func Take(name, appid string, read *reconcile.LiveRead, takenAt time.Time) Account {
	a := Account{Name: name, AppID: appid, TakenAt: takenAt.UTC().Truncate(time.Second), Menus: read.Menus, SelfMenu: read.SelfMenu}
	if read.TagsErr != nil {
		a.TagsError = read.TagsErr.Error()
	}
	if read.Tags != nil {
		a.Tags = make([]Tag, len(read.Tags))
		for i, t := range read.Tags {
			a.Tags[i] = Tag{ID: t.ID, Name: t.Name, Count: t.Count}
		}
	}
	return a
}

// Read is the account as the snapshot recorded it, for planning
// (reconcile.Session.PlanRead).
func (a *Account) Read() reconcile.LiveRead {
	var tags []wechat.Tag
	if a.Tags != nil {
		tags = make([]wechat.Tag, len(a.Tags))
		for i, t := range a.Tags {
			tags[i] = wechat.Tag{ID: t.ID, Name: t.Name, Count: t.Count}
		}
	}
	var tagsErr error
	if a.TagsError != "" {
		tagsErr = errors.New(a.TagsError)
	}
	return *reconcile.Recorded(a.Menus, a.SelfMenu, tags, tagsErr)
}

// New is the sealed snapshot of accounts, taken at takenAt by toolVersion
// for project ("" for a menus file).
func New(project, toolVersion string, takenAt time.Time, accounts []Account) (*File, error) {
	f := &File{Kind: Kind, FormatVersion: FormatVersion, ToolVersion: toolVersion,
		TakenAt: takenAt.UTC().Truncate(time.Second), Project: project, Accounts: accounts}
	if err := f.check(); err != nil {
		return nil, err
	}
	var err error
	f.Digest, err = f.digest()
	return f, err
}

// Source is what a plan made from account a of the snapshot read from
// path records (plans.Plan.Snapshot).
func (f *File) Source(path string, a *Account) *plans.SnapshotSource {
	return &plans.SnapshotSource{File: path, TakenAt: a.TakenAt, Digest: f.Digest}
}

// For is the entry of a run's account: the one named name (a project's),
// else the one with appid, else, for a menus file's account, the
// snapshot's only entry. An appid given must be the entry's.
func (f *File) For(name, appid string) (*Account, error) {
	var found *Account
	for i := range f.Accounts {
		a := &f.Accounts[i]
		if name != "" && a.Name == name {
			found = a
			break
		}
		if found == nil && appid != "" && a.AppID == appid {
			found = a
		}
	}
	if found == nil && name == "" && len(f.Accounts) == 1 {
		found = &f.Accounts[0]
	}
	who := cmp.Or(name, appid)
	switch {
	case found != nil && appid != "" && found.AppID != appid && name == "":
		return nil, errtext.Errorf("take a snapshot of this account (wxmenu export --snapshot FILE, with its credentials) and plan against that",
			"the snapshot was taken of account %s, not %s", found.AppID, appid)
	case found == nil && who == "":
		return nil, errtext.Errorf("give the account's appid with --appid (WECHAT_APPID), or plan the project the snapshot was taken of",
			"the snapshot holds %d accounts; which one is the account of this plan", len(f.Accounts))
	case found == nil:
		return nil, errtext.Errorf("take the snapshot again with this account selected (wxmenu export --snapshot FILE)",
			"the snapshot has no account %s", who)
	case appid != "" && found.AppID != appid:
		return nil, errtext.Errorf("take the snapshot again with the project as it is now",
			"the snapshot's account %s is %s, not %s", cmp.Or(found.Name, who), found.AppID, appid)
	}
	return found, nil
}

// check is what a File must be, written or read: of this kind and
// version, taken at a time, with accounts each holding menu/get's answer
// and an appid, a menus file's alone and unnamed, a project's named and
// listed once.
func (f *File) check() error {
	switch {
	case f.Kind != Kind:
		return fmt.Errorf("not a wxmenu snapshot: kind is %q, want %q", f.Kind, Kind)
	case f.FormatVersion != FormatVersion:
		return fmt.Errorf("a snapshot of format %d, which this wxmenu does not read (it reads format %d)", f.FormatVersion, FormatVersion)
	case f.TakenAt.IsZero():
		return errors.New("taken_at is missing")
	case len(f.Accounts) == 0:
		return errors.New("it has no accounts")
	case f.Project == "" && (len(f.Accounts) > 1 || f.Accounts[0].Name != ""):
		return errors.New("a snapshot of one menus file holds one unnamed account")
	}
	names, appids := map[string]bool{}, map[string]bool{}
	for i, a := range f.Accounts {
		where := fmt.Sprintf("account %d", i+1)
		if a.Name != "" {
			where = "account " + a.Name
		}
		switch {
		case f.Project != "" && !plans.AccountName.MatchString(a.Name):
			return fmt.Errorf("%s: %q is not an account name", where, a.Name)
		case !plans.AppID.MatchString(a.AppID):
			return fmt.Errorf("%s: appid %q is not an appid", where, a.AppID)
		case a.TakenAt.IsZero():
			return fmt.Errorf("%s: taken_at is missing", where)
		case a.Menus == nil:
			return fmt.Errorf("%s: menus (the answer of menu/get) is missing", where)
		case names[a.Name] || appids[a.AppID]:
			return fmt.Errorf("%s (%s) is listed twice", where, a.AppID)
		}
		names[a.Name], appids[a.AppID] = true, true
	}
	return nil
}

// digest is the sha256 of f's compact JSON with digest empty.
func (f *File) digest() (string, error) {
	doc := *f
	doc.Digest = ""
	data, err := canon.Marshal(&doc)
	if err != nil {
		return "", fmt.Errorf("encoding the snapshot: %w", err)
	}
	return canon.Sum(data), nil
}

// Write writes f, which New sealed, as indented JSON, HTML characters
// left alone (URLs keep their "&").
func (f *File) Write(w io.Writer) error {
	if d, err := f.digest(); err != nil || d != f.Digest {
		return errors.New("the snapshot is not sealed, or changed after it was sealed")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("encoding the snapshot: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// takeAgain is the hint of every snapshot that cannot be read.
const takeAgain = "take the snapshot again with the account's credentials: wxmenu export --snapshot FILE"

// ReadFile reads the snapshot at path, trusting nothing in it. Its
// errors name the file (path:line:column for JSON that does not decode)
// and say to take the snapshot again.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errtext.Errorf(takeAgain, "cannot read snapshot %s: %w", path, errtext.PathReason(err))
	}
	f, err := Read(data)
	if err != nil {
		var le *locatedError
		if errors.As(err, &le) {
			return nil, errtext.Errorf(takeAgain, "%s:%d:%d: %s", path, le.line, le.col, le.msg)
		}
		return nil, errtext.Errorf(takeAgain, "%s: %w", path, err)
	}
	return f, nil
}

// locatedError is a JSON error at a line and column of the document.
type locatedError struct {
	line, col int
	msg       string
}

func (e *locatedError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

// Read decodes a snapshot document strictly: one JSON object (nothing
// after it) of this kind and format, no unknown field, every account
// whole, and the digest its content's.
func Read(data []byte) (*File, error) {
	if len(data) > maxBytes {
		return nil, fmt.Errorf("larger than %d MiB, which no snapshot is", maxBytes>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty, not a wxmenu snapshot")
	}
	// The kind and version decide how to read the rest, so they are read
	// first: a plan or a snapshot of another format is named as such, not
	// as a list of unknown fields.
	var head struct {
		Kind          string `json:"kind"`
		FormatVersion *int   `json:"format_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		if !json.Valid(data) {
			return nil, located(data, err, len(data), "not JSON, or cut short")
		}
		return nil, located(data, err, 0, "not a wxmenu snapshot")
	}
	switch {
	case head.Kind == "" && head.FormatVersion != nil:
		return nil, errors.New("a wxmenu plan, not a snapshot: plan --live takes the file export --snapshot writes")
	case head.Kind != Kind && head.FormatVersion != nil:
		return nil, fmt.Errorf("not a wxmenu snapshot (kind %q)", head.Kind)
	case head.Kind != Kind:
		return nil, errors.New("not a wxmenu snapshot: kind is missing")
	case head.FormatVersion == nil:
		return nil, errors.New("format_version is missing")
	case *head.FormatVersion > FormatVersion:
		return nil, fmt.Errorf("a snapshot of format %d, newer than this wxmenu reads (%d): use the wxmenu that took it, or a later one", *head.FormatVersion, FormatVersion)
	case *head.FormatVersion != FormatVersion:
		return nil, fmt.Errorf("a snapshot of format %d, which this wxmenu does not read (it reads format %d)", *head.FormatVersion, FormatVersion)
	}
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil { // data after it was refused above, as not JSON
		return nil, located(data, err, int(dec.InputOffset()), "invalid snapshot")
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("invalid snapshot: %w", err)
	}
	if d, err := f.digest(); err != nil || d != f.Digest {
		return nil, errors.New("the snapshot was edited or damaged after it was taken (its digest does not match)")
	}
	return &f, nil
}

// unknownField is encoding/json's error for a field a strict decoder
// does not know, which carries no offset.
var unknownField = regexp.MustCompile(`^json: unknown field "(.*)"$`)

// located places a JSON error at a line and column of data: where the
// error says, the first occurrence of an unknown field's key, else at
// stopped (where the decoder stopped), prefixed with what.
func located(data []byte, err error, stopped int, what string) error {
	offset, msg := stopped, err.Error()
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || msg == "unexpected end of JSON input":
		offset, msg = len(data), "unexpected end of file"
	case errors.As(err, &syntax):
		offset = int(syntax.Offset) - 1 // Offset counts the offending byte
	case errors.As(err, &typ):
		offset = int(typ.Offset) - 1
		msg = fmt.Sprintf("%s must be a JSON %s, not %s", cmp.Or(typ.Field, "the document"), jsonType(typ.Type.Kind().String()), typ.Value)
	default:
		if m := unknownField.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("unknown field %q", m[1])
			if i := bytes.Index(data, []byte(`"`+m[1]+`"`)); i >= 0 {
				offset = i
			}
		}
	}
	line, col := lineColumn(data, offset)
	msg = strings.TrimPrefix(msg, "json: ")
	return &locatedError{line: line, col: col, msg: what + ": " + msg}
}

// jsonType names a Go kind as JSON does.
func jsonType(kind string) string {
	switch kind {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "string":
		return "string"
	case "bool":
		return "boolean"
	}
	return "number"
}

// lineColumn turns the 0-based index of a byte into its 1-based line and
// column (in bytes).
func lineColumn(data []byte, offset int) (int, int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := offset - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Summary says what was read, for people: "a default menu, 3 conditional
// menus, 2 tags"; "no menu" when menu/get reported none and no menu was
// published in the console.
func (a *Account) Summary() string {
	read := a.Read()
	var parts []string
	switch {
	case read.Console != nil:
		parts = append(parts, "the menu published in the console")
	case a.Menus.Default == nil && len(a.Menus.Conditional) == 0:
		parts = append(parts, "no menu")
	case a.Menus.Default != nil:
		parts = append(parts, "a default menu")
	}
	if n := len(a.Menus.Conditional); n > 0 {
		parts = append(parts, count(n, "conditional menu"))
	}
	if a.TagsError != "" {
		parts = append(parts, "no tags (they could not be read)")
	} else {
		parts = append(parts, count(len(a.Tags), "tag"))
	}
	return strings.Join(parts, ", ")
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
