package preflight

import (
	"strconv"
	"strings"
)

// This file reads GitHub Actions expressions (if: conditions, push:
// inputs): a tokenizer, a parser into a small tree and an evaluator over a
// partly known context (exprcontext.go). What the context does not know
// evaluates to unknown, and unknown spreads: a condition is "false" only
// when it is false whatever the unknown values are.

// exprKind classifies an expression value.
type exprKind uint8

const (
	valUnknown exprKind = iota
	valNull
	valBool
	valNumber
	valString
	// valSymbol is a value known only by identity: two symbols are equal
	// when they name the same thing (the repository and a fork's).
	valSymbol
)

// exprValue is the value of an expression, or unknown.
type exprValue struct {
	kind exprKind
	b    bool
	n    float64
	s    string // the string, or the symbol's identity
}

var unknownValue = exprValue{kind: valUnknown}

func boolValue(b bool) exprValue     { return exprValue{kind: valBool, b: b} }
func stringValue(s string) exprValue { return exprValue{kind: valString, s: s} }

// truthy returns the value's truth (GitHub's rules: false, 0, the empty string, null are
// false) and whether it is known.
func (v exprValue) truthy() (truth, known bool) {
	switch v.kind {
	case valNull:
		return false, true
	case valBool:
		return v.b, true
	case valNumber:
		return v.n != 0, true
	case valString:
		return v.s != "", true
	case valSymbol:
		return true, true
	}
	return false, false
}

// equal compares two values as == does: strings case-insensitively;
// unknown when either side is unknown or a symbol meets a literal.
func equal(a, b exprValue) (eq, known bool) {
	if a.kind == valUnknown || b.kind == valUnknown {
		return false, false
	}
	if a.kind == valSymbol || b.kind == valSymbol {
		if a.kind == valSymbol && b.kind == valSymbol {
			return a.s == b.s, true
		}
		// A fork's name is never the one the workflow's author wrote down.
		if a.s == symForkRepo || b.s == symForkRepo || a.s == symForkOwner || b.s == symForkOwner {
			return false, true
		}
		return false, false
	}
	if a.kind == valString && b.kind == valString {
		return strings.EqualFold(a.s, b.s), true
	}
	if a.kind == b.kind {
		return a.b == b.b && a.n == b.n, true
	}
	// Mixed kinds compare as numbers in GitHub; only the common cases are
	// told apart: a boolean against its string form is not equal.
	return false, true
}

// exprNode is a parsed expression.
type exprNode struct {
	op   string // "lit", "ctx", "call", "!", "==", "!=", "<", "<=", ">", ">=", "&&", "||"
	val  exprValue
	path string // "ctx": the context path, lower case ("github.event_name")
	name string // "call": the function, lower case
	args []*exprNode
}

// exprToken is one token of an expression.
type exprToken struct {
	kind string // "str", "num", "ident", "op", "(", ")", ",", "["
	text string
}

// tokenizeExpr splits an expression; ok is false on text it cannot read.
func tokenizeExpr(s string) (toks []exprToken, ok bool) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, false
			}
			toks = append(toks, exprToken{kind: "str", text: b.String()})
			i = j + 1
		case strings.ContainsRune("=!<>&|", rune(c)):
			two := ""
			if i+1 < len(s) {
				two = s[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||":
				toks = append(toks, exprToken{kind: "op", text: two})
				i += 2
				continue
			}
			if c == '!' || c == '<' || c == '>' {
				toks = append(toks, exprToken{kind: "op", text: string(c)})
				i++
				continue
			}
			return nil, false
		case c == '(' || c == ')' || c == ',':
			toks = append(toks, exprToken{kind: string(c), text: string(c)})
			i++
		case c == '[':
			// An index (github.event['x'], labels.*): the whole path is unknown.
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, false
			}
			toks = append(toks, exprToken{kind: "["})
			i += j + 1
		case c >= '0' && c <= '9' || c == '-':
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			toks = append(toks, exprToken{kind: "num", text: s[i:j]})
			i = j
		case isIdentByte(c):
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.' || s[j] == '*') {
				j++
			}
			toks = append(toks, exprToken{kind: "ident", text: s[i:j]})
			i = j
		default:
			return nil, false
		}
	}
	return toks, true
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// exprParser is a recursive-descent parser with GitHub's precedence:
// || below && below comparisons below !.
type exprParser struct {
	toks []exprToken
	pos  int
	bad  bool
}

// parseExpr parses an expression; ok is false when it cannot be read.
func parseExpr(s string) (*exprNode, bool) {
	toks, ok := tokenizeExpr(s)
	if !ok || len(toks) == 0 {
		return nil, false
	}
	p := &exprParser{toks: toks}
	n := p.or()
	if p.bad || p.pos != len(p.toks) {
		return nil, false
	}
	return n, true
}

func (p *exprParser) peek() exprToken {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return exprToken{}
}

func (p *exprParser) binary(next func() *exprNode, ops ...string) *exprNode {
	left := next()
	for !p.bad {
		t := p.peek()
		if t.kind != "op" || !contains(ops, t.text) {
			return left
		}
		p.pos++
		left = &exprNode{op: t.text, args: []*exprNode{left, next()}}
	}
	return left
}

func (p *exprParser) or() *exprNode  { return p.binary(p.and, "||") }
func (p *exprParser) and() *exprNode { return p.binary(p.cmp, "&&") }
func (p *exprParser) cmp() *exprNode {
	return p.binary(p.unary, "==", "!=", "<", "<=", ">", ">=")
}

func (p *exprParser) unary() *exprNode {
	if t := p.peek(); t.kind == "op" && t.text == "!" {
		p.pos++
		return &exprNode{op: "!", args: []*exprNode{p.unary()}}
	}
	return p.primary()
}

func (p *exprParser) primary() *exprNode {
	t := p.peek()
	p.pos++
	switch t.kind {
	case "str":
		return &exprNode{op: "lit", val: stringValue(t.text)}
	case "num":
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return &exprNode{op: "lit", val: unknownValue}
		}
		return &exprNode{op: "lit", val: exprValue{kind: valNumber, n: n}}
	case "(":
		n := p.or()
		if p.peek().kind != ")" {
			p.bad = true
		}
		p.pos++
		return n
	case "ident":
		return p.ident(t.text)
	}
	p.bad = true
	return &exprNode{op: "lit"}
}

// ident reads a literal keyword, a function call or a context path.
func (p *exprParser) ident(text string) *exprNode {
	switch strings.ToLower(text) {
	case "true":
		return &exprNode{op: "lit", val: boolValue(true)}
	case "false":
		return &exprNode{op: "lit", val: boolValue(false)}
	case "null":
		return &exprNode{op: "lit", val: exprValue{kind: valNull}}
	}
	if p.peek().kind == "(" {
		p.pos++
		call := &exprNode{op: "call", name: strings.ToLower(text)}
		for p.peek().kind != ")" && !p.bad && p.pos < len(p.toks) {
			call.args = append(call.args, p.or())
			if p.peek().kind == "," {
				p.pos++
			}
		}
		if p.peek().kind != ")" {
			p.bad = true
		}
		p.pos++
		return p.suffix(call)
	}
	return p.suffix(&exprNode{op: "ctx", path: strings.ToLower(text)})
}

// suffix: an index or property after a value makes it unknown.
func (p *exprParser) suffix(n *exprNode) *exprNode {
	indexed := false
	for p.peek().kind == "[" || (p.peek().kind == "ident" && strings.HasPrefix(p.peek().text, ".")) {
		p.pos++
		indexed = true
	}
	if indexed {
		return &exprNode{op: "lit", val: unknownValue}
	}
	return n
}
