package wechat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"
)

// encodeJSON writes v as UTF-8 JSON with no \uXXXX escape at all, and
// without the encoder's trailing newline. WeChat answers 40033 ("invalid
// charset ... if include \uxxxx will create fail") to a body holding such
// escapes (reference §5). encoding/json escapes <, > and & unless told not
// to, and even then writes U+2028 and U+2029 as \u2028 and \u2029 (raw here:
// both are valid in JSON strings), control characters as \u00XX and invalid
// UTF-8 as \ufffd; a string with either of the last two is refused, since
// JSON cannot carry it unescaped and WeChat would reject or mangle it.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return unescapeUnicode(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// unescapeUnicode rewrites the \u2028 and \u2029 escapes of encoding/json's
// output as raw UTF-8 and refuses the others it can produce.
func unescapeUnicode(b []byte) ([]byte, error) {
	if !bytes.Contains(b, []byte(`\u`)) {
		return b, nil
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			out = append(out, b[i])
			continue
		}
		// encoding/json output: a backslash always starts an escape of two
		// bytes, or six for \uXXXX.
		if i+1 < len(b) && b[i+1] == 'u' && i+5 < len(b) {
			switch esc := string(b[i+2 : i+6]); esc {
			case "2028", "2029":
				out = utf8.AppendRune(out, rune(0x2020+int(esc[3]-'0')))
			case "fffd":
				return nil, errors.New("a string is not valid UTF-8")
			default:
				return nil, fmt.Errorf("a string contains the control character U+%s, which JSON cannot carry unescaped", esc)
			}
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return out, nil
}

// decodeResponse reads WeChat's {"errcode":N,"errmsg":"…"} envelope, which
// any endpoint may return with HTTP 200, then hands a successful body to
// parse. A nil parse accepts only {"errcode":0,"errmsg":"ok"}, the success
// answer of the calls that return nothing else: a body without errcode is
// not success. It returns an *APIError for a non-zero errcode and a plain
// error describing what is wrong with a body that is not the expected JSON.
func decodeResponse(endpoint string, body []byte, parse func([]byte) error, scrub *redactor) error {
	var env struct {
		ErrCode json.RawMessage `json:"errcode"`
		ErrMsg  json.RawMessage `json:"errmsg"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	present := len(env.ErrCode) > 0 && !bytes.Equal(env.ErrCode, []byte("null"))
	if present {
		var code FlexString
		if err := json.Unmarshal(env.ErrCode, &code); err != nil {
			return errors.New("errcode is not a number")
		}
		n, err := strconv.Atoi(string(code))
		if err != nil {
			return errors.New("errcode is not an integer")
		}
		if n != 0 {
			var msg string
			if json.Unmarshal(env.ErrMsg, &msg) != nil {
				msg = string(env.ErrMsg) // absent, or not a string: as sent
			}
			msg, rid := splitRequestID(msg)
			return &APIError{Endpoint: endpoint, Code: n, Message: scrub.text(msg), RequestID: scrub.text(rid)}
		}
	}
	switch {
	case parse != nil:
		return parse(body)
	case !present:
		return errors.New("no errcode in the response")
	}
	return nil
}

// Request ids WeChat appends to errmsg: " rid: 64a1b2c3-1a2b3c4d-5e6f7a8b",
// or " hint: [Ue8Tya0043ge10]" in some answers (platform research §1.9).
// The id's exact alphabet is not documented (UNCONFIRMED), so any run of
// letters, digits and dashes is accepted.
var (
	trailingRID  = regexp.MustCompile(`\s*\brid:\s*([0-9A-Za-z-]+)\s*$`)
	trailingHint = regexp.MustCompile(`\s*\bhint:\s*\[([^\]]*)\]\s*$`)
)

// splitRequestID cuts WeChat's request id off an errmsg, so that the
// message can be matched literally and the id shown on its own. When both a
// hint and a rid are present the rid is the id.
func splitRequestID(msg string) (clean, id string) {
	if m := trailingRID.FindStringSubmatchIndex(msg); m != nil {
		id, msg = msg[m[2]:m[3]], msg[:m[0]]
	}
	if m := trailingHint.FindStringSubmatchIndex(msg); m != nil {
		if id == "" {
			id = msg[m[2]:m[3]]
		}
		msg = msg[:m[0]]
	}
	return msg, id
}

// parseMenuSet decodes a menu/get response. A body without a default menu,
// or a conditional menu without menuid, is rejected rather than read as
// "fewer menus": a plan built on it would delete what it cannot see. Two
// conditional menus with one menuid (compared as decoded, so 42 and "42"
// are one id) are rejected too: a menuid is how a plan names the menu it
// keeps or deletes, and delconditional cannot tell the two apart, so any
// plan made on such an answer would be wrong about one of them.
func parseMenuSet(body []byte, set *MenuSet) error {
	*set = MenuSet{}
	if err := json.Unmarshal(body, set); err != nil {
		return err
	}
	if set.Default == nil {
		return errors.New(`no "menu" object`)
	}
	if set.Default.Buttons == nil {
		return errors.New(`"menu" has no "button" list`)
	}
	first := make(map[string]int, len(set.Conditional)) // menuid -> index of its first menu
	for i, m := range set.Conditional {
		if m.Buttons == nil {
			return fmt.Errorf(`conditionalmenu[%d] has no "button" list`, i)
		}
		if m.MenuID == "" {
			return fmt.Errorf(`conditionalmenu[%d] has no "menuid"`, i)
		}
		if j, seen := first[m.MenuID]; seen {
			return fmt.Errorf("conditionalmenu[%d] has menuid %s, the same as conditionalmenu[%d]", i, m.MenuID, j)
		}
		first[m.MenuID] = i
	}
	return nil
}

// parseMenuID decodes the addconditional response, {"menuid":"208379533"}
// in the documentation and {"menuid":401550287} in one SDK's comment; which
// one WeChat sends today is UNCONFIRMED, so both are accepted.
func parseMenuID(body []byte, id *string) error {
	var raw struct {
		MenuID FlexString `json:"menuid"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return err
	}
	if raw.MenuID == "" {
		return errors.New(`no "menuid"`)
	}
	*id = string(raw.MenuID)
	return nil
}

// parseTryMatch decodes a trymatch response. The documentation shows a
// top-level "button"; WxJava parses a {"menu":{"button":…}} wrapper. Which
// one WeChat sends is UNCONFIRMED, so both are accepted.
func parseTryMatch(body []byte, buttons *[]Button) error {
	var raw struct {
		Button []Button `json:"button"`
		Menu   *struct {
			Button []Button `json:"button"`
		} `json:"menu"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return err
	}
	switch {
	case raw.Button != nil:
		*buttons = raw.Button
	case raw.Menu != nil && raw.Menu.Button != nil:
		*buttons = raw.Menu.Button
	default:
		return errors.New(`no "button" list`)
	}
	return nil
}

// parseSelfMenuInfo decodes a get_current_selfmenu_info response, which
// always carries is_menu_open.
func parseSelfMenuInfo(body []byte, info *SelfMenuInfo) error {
	var probe struct {
		IsMenuOpen *int `json:"is_menu_open"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return err
	}
	if probe.IsMenuOpen == nil {
		return errors.New(`no "is_menu_open"`)
	}
	*info = SelfMenuInfo{}
	return json.Unmarshal(body, info)
}

// parseToken decodes {"<field>":"…","expires_in":7200} (field is
// access_token, component_access_token or authorizer_access_token) into a
// token fetched at fetched. The token is registered with scrub before
// anything else can fail. Its errors never quote the body.
func parseToken(body []byte, field string, fetched time.Time, tok *Token, scrub *redactor) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return errors.New("token response is not the expected JSON")
	}
	var value string
	if v, ok := raw[field]; ok && json.Unmarshal(v, &value) != nil {
		return fmt.Errorf("%q is not a string", field)
	}
	scrub.add(value)
	if value == "" {
		return fmt.Errorf("no %q", field)
	}
	var expires FlexString
	_ = json.Unmarshal(raw["expires_in"], &expires) // left "" when absent or not a number
	secs, err := strconv.ParseInt(string(expires), 10, 64)
	if err != nil || secs <= 0 {
		return errors.New(`no positive integer "expires_in"`)
	}
	*tok = Token{AccessToken: value, Expiry: fetched.Add(time.Duration(secs) * time.Second)}
	return nil
}
