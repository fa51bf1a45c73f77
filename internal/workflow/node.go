package workflow

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxAliasHops bounds alias chains; yaml.v3 accepts self-referencing anchors.
const maxAliasHops = 8

// resolve follows aliases to the node they stand for; nil if the chain is too long.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == maxAliasHops {
			return nil
		}
		n = n.Alias
	}
	return n
}

// entry is one key/value pair of a mapping.
type entry struct {
	key  string
	keyN *yaml.Node
	raw  *yaml.Node // the value as written (may be an alias)
	val  *yaml.Node // the value with aliases resolved (may be nil)
}

// entries lists a mapping's pairs; duplicate keys are an error, because GitHub
// rejects them and the meaning would be ambiguous.
func entries(m *yaml.Node, what string) ([]entry, error) {
	out := make([]entry, 0, len(m.Content)/2)
	seen := make(map[string]bool, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := resolve(m.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			return nil, parseErrorf(m.Content[i].Line, "%s has a key that is not a string", what)
		}
		if seen[k.Value] {
			return nil, parseErrorf(m.Content[i].Line, "%s has the key %q twice", what, k.Value)
		}
		seen[k.Value] = true
		out = append(out, entry{
			key:  k.Value,
			keyN: m.Content[i],
			raw:  m.Content[i+1],
			val:  resolve(m.Content[i+1]),
		})
	}
	return out, nil
}

// isNull reports whether a node is absent or an explicit null.
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// scalarValue turns a scalar node into a Value, using raw's line for aliases.
func scalarValue(raw, n *yaml.Node) (Value, bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return Value{}, false
	}
	if n.Tag == "!!null" {
		return Value{Line: raw.Line}, true
	}
	line := raw.Line
	if raw.Kind != yaml.AliasNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		line++
	}
	return Value{Str: n.Value, Line: line}, true
}

// valueMap reads a mapping of scalars (env:, with:); non-scalar values are skipped.
func valueMap(n *yaml.Node, what string) (map[string]Value, error) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	es, err := entries(n, what)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Value, len(es))
	for _, e := range es {
		if v, ok := scalarValue(e.raw, e.val); ok {
			out[e.key] = v
		}
	}
	return out, nil
}

// scalarString returns a scalar's text, "" for anything else.
func scalarString(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// stringList reads a scalar or a sequence of scalars.
func stringList(n *yaml.Node) []string {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.ScalarNode:
		if s := strings.TrimSpace(scalarString(n)); s != "" {
			return []string{s}
		}
	case n.Kind == yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			if s := scalarString(resolve(c)); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
