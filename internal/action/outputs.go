package action

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// Output is one step output.
type Output struct {
	Name  string
	Value string
}

// WriteOutputs appends the outputs to the file GITHUB_OUTPUT names, each
// in the multi-line form
//
//	name<<ghadelimiter_RANDOM
//	value
//	ghadelimiter_RANDOM
//
// with a delimiter drawn from random (crypto/rand when nil) that the value
// does not contain, so no value can end early and set another output.
func WriteOutputs(path string, outs []Output, random io.Reader) error {
	if random == nil {
		random = rand.Reader
	}
	var b strings.Builder
	for _, o := range outs {
		delim, err := delimiter(random, o)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.Name, delim, o.Value, delim)
	}
	return appendFile(path, b.String(), "GITHUB_OUTPUT")
}

// delimiter draws a heredoc delimiter found in neither the name nor the value.
func delimiter(random io.Reader, o Output) (string, error) {
	for range 10 {
		buf := make([]byte, 16)
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", fmt.Errorf("drawing a delimiter for output %s: %w", o.Name, err)
		}
		d := "ghadelimiter_" + hex.EncodeToString(buf)
		if !strings.Contains(o.Value, d) && !strings.Contains(o.Name, d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("output %s: no delimiter absent from its value", o.Name)
}

// appendFile appends text to a file the runner made for the step.
func appendFile(path, text, what string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("opening %s: %w", what, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", what, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	return nil
}
