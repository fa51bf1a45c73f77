package workflow

import (
	"strings"
)

// scriptLine is one logical line of a run: script (continuations joined).
type scriptLine struct {
	text string
	line int
}

// logicalLines splits a script into logical lines, joining lines that end
// with a backslash and dropping comment-only lines. first is the file line
// of the script's first line.
func logicalLines(script string, first int) []scriptLine {
	var out []scriptLine
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(script, "\n") {
		l = strings.TrimRight(l, "\r")
		if cur.Len() == 0 {
			start = i
			if strings.HasPrefix(strings.TrimSpace(l), "#") {
				continue
			}
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\"))
			cur.WriteString(" ")
			continue
		}
		cur.WriteString(l)
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, scriptLine{text: t, line: first + start})
		}
		cur.Reset()
	}
	if t := strings.TrimSpace(cur.String()); t != "" {
		out = append(out, scriptLine{text: t, line: first + start})
	}
	return out
}

// shellOperators are the control operators the tokenizer separates.
var shellOperators = []string{"<<<", "||", "&&", ">>", "|", ";", ">", "&"}

// tokenize splits a shell line into words and operators. Quotes group words
// and are removed; ${{ }} expressions and $( ) substitutions stay whole.
func tokenize(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case strings.HasPrefix(s[i:], "${{"):
			end := strings.Index(s[i:], "}}")
			if end < 0 {
				end = len(s) - i - 2
			}
			cur.WriteString(s[i : i+end+2])
			inWord = true
			i += end + 2
		case strings.HasPrefix(s[i:], "$("):
			end := matchParen(s, i+1)
			cur.WriteString(s[i:end])
			inWord = true
			i = end
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				end = len(s) - i - 1
			}
			cur.WriteString(s[i+1 : i+1+end])
			inWord = true
			i += end + 2
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				switch {
				case strings.HasPrefix(s[j:], "${{"):
					if end := strings.Index(s[j:], "}}"); end >= 0 {
						cur.WriteString(s[j : j+end+2])
						j += end + 2
						continue
					}
				case strings.HasPrefix(s[j:], "$("):
					end := matchParen(s, j+1)
					cur.WriteString(s[j:end])
					j = end
					continue
				case s[j] == '\\' && j+1 < len(s):
					j++
				}
				cur.WriteByte(s[j])
				j++
			}
			inWord = true
			i = j + 1
		case c == ' ' || c == '\t':
			flush()
			i++
		default:
			if op := operatorAt(s, i); op != "" {
				flush()
				out = append(out, op)
				i += len(op)
				continue
			}
			cur.WriteByte(c)
			inWord = true
			i++
		}
	}
	flush()
	return out
}

func operatorAt(s string, i int) string {
	for _, op := range shellOperators {
		if strings.HasPrefix(s[i:], op) {
			return op
		}
	}
	return ""
}

// matchParen returns the index just past the parenthesis matching s[open].
func matchParen(s string, open int) int {
	depth := 0
	for j := open; j < len(s); j++ {
		switch s[j] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(s)
}

// pipeline is one command list element: its pipe-connected segments.
type pipeline [][]string

// pipelines splits tokens into pipelines at ;, && and || and each pipeline
// into segments at |.
func pipelines(tokens []string) []pipeline {
	var out []pipeline
	var cur pipeline
	var seg []string
	for _, t := range tokens {
		switch t {
		case ";", "&&", "||", "&":
			cur = append(cur, seg)
			out = append(out, cur)
			cur, seg = nil, nil
		case "|":
			cur = append(cur, seg)
			seg = nil
		default:
			seg = append(seg, t)
		}
	}
	cur = append(cur, seg)
	return append(out, cur)
}

// commandWords drops leading sudo/env/exec words and VAR=value assignments,
// returning the command and its arguments plus the assignments seen.
func commandWords(seg []string) ([]string, map[string]string) {
	assigns := map[string]string{}
	i := 0
	for i < len(seg) {
		w := seg[i]
		if w == "sudo" || w == "env" || w == "exec" || w == "export" || w == "command" {
			i++
			continue
		}
		if name, val, ok := assignment(w); ok {
			assigns[name] = val
			i++
			continue
		}
		break
	}
	return seg[i:], assigns
}

// assignment parses NAME=value.
func assignment(w string) (string, string, bool) {
	eq := strings.IndexByte(w, '=')
	if eq <= 0 {
		return "", "", false
	}
	name := w[:eq]
	for i, c := range name {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return "", "", false
		}
	}
	return name, w[eq+1:], true
}

// hasPrefixWords reports whether words start with the given words.
func hasPrefixWords(words []string, prefix ...string) bool {
	if len(words) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if words[i] != p {
			return false
		}
	}
	return true
}

// baseName strips a directory from a command word ("/usr/bin/docker" → "docker").
func baseName(w string) string {
	if i := strings.LastIndexByte(w, '/'); i >= 0 && !strings.Contains(w, "${{") {
		return w[i+1:]
	}
	return w
}
