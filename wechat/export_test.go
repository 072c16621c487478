package wechat

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
