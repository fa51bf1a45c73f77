package demo

import (
	"encoding/json"
	"fmt"
)

// remarshal converts between two JSON-shaped values.
func remarshal(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	if err := json.Unmarshal(b, to); err != nil {
		return fmt.Errorf("decoding: %w", err)
	}
	return nil
}
