package wechattest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/wxmenu/wxmenu/wechat"
)

// maxBodyBytes bounds what the emulator reads of a request body. A full
// menu is a few kilobytes; anything past this is treated as malformed.
const maxBodyBytes = 1 << 20

// readBody reads at most one byte more than maxBodyBytes of a request body,
// so decodeBody can tell an oversized body from a complete one.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
}

// decodeBody judges a POST body into v the way WeChat judges it: nothing →
// 44002, not UTF-8 → 65318 (reference §5, [community:65318]), not a JSON
// object or a field of the wrong JSON type → 47001 "data format error".
// 47001 is WeChat's generic answer to unparsable JSON; the reference has no
// menu-specific code for it, so this is a choice. Unknown fields are ignored,
// as WeChat does for the extra keys SDKs send.
func decodeBody(body []byte, v any) *apiError {
	if len(body) > maxBodyBytes {
		return errAnswer(wechat.CodeMalformedData)
	}
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return errAnswer(wechat.CodeEmptyPostBody)
	case !utf8.Valid(body):
		return errAnswer(wechat.CodeNotUTF8)
	case body[0] != '{':
		return errAnswer(wechat.CodeMalformedData)
	}
	clean, err := exactKeys(body)
	if err != nil {
		return errAnswer(wechat.CodeMalformedData)
	}
	if err := json.Unmarshal(clean, v); err != nil {
		return errAnswer(wechat.CodeMalformedData)
	}
	return nil
}

// decoded adapts an endpoint handler of a request body to an endpoint: the
// body is judged by decodeBody before the handler sees it.
func decoded[R any](serve func(*acct, R) any) func(*acct, *call) any {
	return func(a *acct, c *call) any {
		var req R
		if err := decodeBody(c.body, &req); err != nil {
			return err
		}
		return serve(a, req)
	}
}

// decodeMenuBody is decodeBody for the bodies of menu/create and
// menu/addconditional, which WeChat also refuses when they contain a JSON
// \uXXXX escape: 40033 (reference §5, §7.10). The emulator refuses every
// escape, the strict reading of the message (see docs/sandbox.md).
func decodeMenuBody(body []byte, v any) *apiError {
	if len(body) <= maxBodyBytes && utf8.Valid(body) && hasUnicodeEscape(body) {
		return errAnswer(wechat.CodeInvalidCharset)
	}
	return decodeBody(body, v)
}

// hasUnicodeEscape reports whether a JSON text has a \u escape inside a
// string (an escaped backslash followed by u is not one).
func hasUnicodeEscape(body []byte) bool {
	inString := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '"':
			inString = !inString
		case c == '\\' && inString && i+1 < len(body):
			if body[i+1] == 'u' {
				return true
			}
			i++ // skip the escaped character
		}
	}
	return false
}

// exactKeys re-encodes a JSON document without the object keys WeChat
// cannot know. encoding/json matches keys case-insensitively (and with
// Unicode folding), so "menuId" would fill menuid; WeChat answers such a
// body 65301 [issue:WeiXinMPSDK#178]. Every WeChat key is lower-case ASCII
// snake_case, so any other key is dropped, i.e. ignored like every unknown
// key.
func exactKeys(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return json.Marshal(dropForeignKeys(doc))
}

func dropForeignKeys(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if !isWireKey(k) {
				delete(v, k)
				continue
			}
			v[k] = dropForeignKeys(child)
		}
	case []any:
		for i, child := range v {
			v[i] = dropForeignKeys(child)
		}
	}
	return v
}

func isWireKey(k string) bool {
	for _, c := range []byte(k) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return k != ""
}
