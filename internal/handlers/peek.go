package handlers

import (
	"bytes"
	"encoding/json"
)

// leadingAction reads a payload's "action" when it is the first member of
// the object, as in every delivery GitHub sends, without reading further.
// It reports false for anything else (another first member, not JSON), and
// the caller then decodes the whole payload.
func leadingAction(payload []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", false
	}
	key, err := dec.Token()
	if err != nil || key != "action" {
		return "", false
	}
	value, err := dec.Token()
	if err != nil {
		return "", false
	}
	action, ok := value.(string)
	return action, ok
}
