package wechat

import "time"

// Decoders exposed to the external test package, for fuzzing: they run the
// same envelope check and parsing as GetMenu and AddConditional.

func DecodeMenuGet(body []byte) (*MenuSet, error) {
	var set MenuSet
	err := decodeResponse("menu/get", body, func(b []byte) error { return parseMenuSet(b, &set) }, &redactor{})
	return menuSetResult(&set, err)
}

func DecodeAddConditional(body []byte) (string, error) {
	var id string
	if err := decodeResponse("menu/addconditional", body, func(b []byte) error { return parseMenuID(b, &id) }, &redactor{}); err != nil {
		return "", err
	}
	return id, nil
}

// EncodeJSON is the request body encoder, for fuzzing.
var EncodeJSON = encodeJSON

// WithTokenMargin sets how long before its expiry a fetched token is
// replaced (DefaultTokenMargin in production). The token is always kept for
// at least half its lifetime.
func WithTokenMargin(d time.Duration) Option {
	return func(c *Client) error {
		c.tokenMargin = d
		return nil
	}
}
