package report

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Everything that reaches a report from a log, a file name, a branch name or
// a workflow file is untrusted. The helpers in this file make such text safe
// to place in Markdown: no secret survives, no one is mentioned, no HTML is
// injected, and no code span or fence can be closed early.

const redacted = "***"

// secretPattern finds one kind of secret. When keep is set, the secret is
// the last submatch and everything before it is kept; values that are
// workflow expressions or variables ("${{ secrets.X }}", "$PASSWORD") are
// references, not secrets, and are left alone.
type secretPattern struct {
	re    *regexp.Regexp
	keyed bool
	// hints are lower-case strings one of which a match must contain; text
	// without any skips the expression.
	hints []string
}

var secretPatterns = []secretPattern{
	// Authorization headers: keep the scheme, hide the credentials.
	{re: regexp.MustCompile(`(?i)(authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token|digest)\s+)([^\s"',;]+)`), keyed: true, hints: []string{"authorization"}},
	// GitHub tokens: classic PAT, OAuth, user-to-server, installation, refresh.
	{re: regexp.MustCompile(`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{16,}`), hints: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}},
	// Fine-grained personal access tokens.
	{re: regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{16,}`), hints: []string{"github_pat_"}},
	// npm access tokens.
	{re: regexp.MustCompile(`\bnpm_[A-Za-z0-9]{16,}`), hints: []string{"npm_"}},
	// AWS access key ids.
	{re: regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), hints: []string{"akia", "asia"}},
	// JSON Web Tokens: header.payload.signature.
	{re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`), hints: []string{"eyj"}},
	// Credentials in URLs: keep the user, hide the password.
	{re: regexp.MustCompile(`(://[^/\s:@]+:)([^/\s@]+)@`), keyed: true, hints: []string{"://"}},
	// password=…, password: …
	{re: regexp.MustCompile(`(?i)(\b(?:password|passwd|pwd)\s*[=:]\s*["']?)([^\s"'&,;]+)`), keyed: true, hints: []string{"pass", "pwd"}},
	// --password … (but not --password-stdin).
	{re: regexp.MustCompile(`(?i)(--password(?:=|\s+))([^\s"']+)`), keyed: true, hints: []string{"--password"}},
	// -p … after a registry login (docker, podman, helm, oras…).
	{re: regexp.MustCompile(`(?i)(\blogin\b[^\n]*?\s-p(?:\s+|=)?)([^\s"'-][^\s"']*)`), keyed: true, hints: []string{"login"}},
}

// Redact replaces secrets in s with "***".
func Redact(s string) string {
	lower := strings.ToLower(s)
	for _, p := range secretPatterns {
		if !containsAny(lower, p.hints) {
			continue
		}
		if !p.keyed {
			s = p.re.ReplaceAllString(s, redacted)
			continue
		}
		s = p.re.ReplaceAllStringFunc(s, func(m string) string {
			sub := p.re.FindStringSubmatch(m)
			prefix, value := sub[1], sub[2]
			if strings.HasPrefix(value, "$") || value == redacted {
				return m
			}
			return prefix + redacted + m[len(prefix)+len(value):]
		})
	}
	return s
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// zeroWidthSpace breaks a mention without changing how it reads.
const zeroWidthSpace = "\u200b"

// NeutralizeMentions inserts a zero-width space after every "@" that would
// mention a user or team ("@user", "@org/team", "@everyone"), so quoting a
// log never notifies anyone. An "@" inside a word (an e-mail address,
// "action@v4") is left alone, as GitHub does not treat it as a mention.
func NeutralizeMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	prev := rune(0)
	for i, r := range s {
		b.WriteRune(r)
		if r == '@' && !isWordRune(prev) && i+1 < len(s) && isMentionStart(s[i+1]) {
			b.WriteString(zeroWidthSpace)
		}
		prev = r
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isMentionStart(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// stripControls removes terminal escapes, control characters and the
// invisible bidirectional overrides that could make text read differently
// from what it is. Tabs are kept; newlines are kept only if keepNewlines.
func stripControls(s string, keepNewlines bool) string {
	s = ansiEscape.ReplaceAllString(s, "")
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case r == '\n':
			if keepNewlines {
				return r
			}
			return ' '
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return -1
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
			return -1
		}
		return r
	}, s)
}

// Truncate shortens s to at most max runes, ending with "…" when cut.
func Truncate(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// cleanLine prepares one line of untrusted text: no controls, no line
// breaks, no secrets, at most max runes (0 = no limit). Secrets are redacted
// before truncating so a cut can never reveal part of one.
func cleanLine(s string, max int) string {
	return Truncate(Redact(stripControls(prefixForCut(s, max), false)), max)
}

// secretReach bounds how far past a cut a secret can start and still be
// seen whole: more than the longest secret the patterns know.
const secretReach = 1024

// prefixForCut drops what lies far beyond where text will be cut at max
// runes, so that redacting a 10 KB line costs no more than a short one; it
// keeps enough past the cut for a secret straddling it to be recognised.
func prefixForCut(s string, max int) string {
	limit := 4*max + secretReach
	if max <= 0 || len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "")
}

// Inline makes a Markdown sentence that may embed untrusted values safe for
// one line of a comment: it keeps the sentence's code spans, escapes HTML
// outside them, neutralises mentions, redacts secrets and cuts it to max
// runes (0 = no limit).
func Inline(s string, max int) string {
	return NeutralizeMentions(escapeOutsideCode(escapeBlockStart(cleanLine(s, max))))
}

var orderedMarker = regexp.MustCompile(`^[0-9]{1,9}[.)]`)

// escapeBlockStart backslash-escapes what would make a line start a block of
// its own (a heading, a fence, a list, a rule) when the text begins a list
// item or a paragraph.
func escapeBlockStart(s string) string {
	s = strings.TrimLeft(s, " \t")
	if s == "" {
		return s
	}
	switch c := s[0]; {
	case strings.HasPrefix(s, "```"), strings.HasPrefix(s, "~~~"), c == '#', c == '=':
		return `\` + s
	case (c == '-' || c == '+' || c == '*') && (len(s) == 1 || s[1] == ' ' || s[1] == '\t'):
		return `\` + s
	case (c == '-' || c == '*' || c == '_') && strings.Trim(s, string(c)+" \t") == "":
		return `\` + s
	case orderedMarker.MatchString(s):
		n := len(orderedMarker.FindString(s)) - 1
		return s[:n] + `\` + s[n:]
	}
	return s
}

// Cell is Inline for a table cell: pipes are escaped too (GitHub splits
// cells on them even inside code spans, unless escaped).
func Cell(s string, max int) string {
	s = strings.ReplaceAll(Inline(s, max), "|", `\|`)
	if strings.TrimSpace(s) == "" {
		return " "
	}
	return s
}

// escapeOutsideCode escapes <, > and & everywhere except inside code spans
// (an & only where it would start a character reference such as "&lt;" or
// "&#8238;", so that addresses with query strings stay autolinked),
// finding the spans the way CommonMark does: a run of n backticks opens a
// span that the next run of exactly n backticks closes; an unmatched run is
// literal; a backslash outside a span escapes the next punctuation mark.
func escapeOutsideCode(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i += 2
		case c == '`':
			n := backtickRun(s, i)
			end := closingRun(s, i+n, n)
			if end < 0 {
				b.WriteString(s[i : i+n])
				i += n
				continue
			}
			b.WriteString(s[i:end])
			i = end
		case c == '<':
			b.WriteString("&lt;")
			i++
		case c == '>':
			b.WriteString("&gt;")
			i++
		case c == '&' && startsCharRef(s[i:]):
			b.WriteString("&amp;")
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

var charRef = regexp.MustCompile(`^&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)

// startsCharRef reports whether s starts with an HTML character reference.
func startsCharRef(s string) bool { return charRef.MatchString(s) }

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// backtickRun is the length of the run of backticks starting at i.
func backtickRun(s string, i int) int {
	n := 0
	for i+n < len(s) && s[i+n] == '`' {
		n++
	}
	return n
}

// closingRun returns the index just past the first run of exactly n
// backticks at or after from, or -1.
func closingRun(s string, from, n int) int {
	for i := from; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := backtickRun(s, i)
		if m == n {
			return i + m
		}
		i += m
	}
	return -1
}

// longestBacktickRun is the longest run of backticks in s.
func longestBacktickRun(s string) int {
	longest := 0
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := backtickRun(s, i)
		longest = max(longest, n)
		i += n
	}
	return longest
}

// Code renders untrusted text as an inline code span that its content cannot
// close, cut to max runes (0 = no limit).
func Code(s string, max int) string {
	s = NeutralizeMentions(cleanLine(s, max))
	if s == "" {
		return "` `"
	}
	fence := strings.Repeat("`", longestBacktickRun(s)+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.Trim(s, " ") == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// CodeCell is Code for a table cell.
func CodeCell(s string, max int) string {
	return strings.ReplaceAll(Code(s, max), "|", `\|`)
}

// Fence renders untrusted lines as a fenced code block that no line can
// close: the fence is longer than the longest run of backticks inside. Each
// line is cleaned and cut to maxLine runes (0 = no limit).
func Fence(info string, lines []string, maxLine int) string {
	clean := make([]string, len(lines))
	longest := 0
	for i, l := range lines {
		clean[i] = NeutralizeMentions(cleanLine(l, maxLine))
		longest = max(longest, longestBacktickRun(clean[i]))
	}
	fence := strings.Repeat("`", max(3, longest+1))
	var b strings.Builder
	b.WriteString(fence + info + "\n")
	for _, l := range clean {
		b.WriteString(l + "\n")
	}
	b.WriteString(fence + "\n")
	return b.String()
}

// Plain makes untrusted text safe for a plain-text field (a check run or
// issue title, an annotation): one line, no secrets, no mentions, at most
// max runes.
func Plain(s string, max int) string {
	s = strings.Join(strings.Fields(cleanLine(s, max)), " ")
	return Truncate(NeutralizeMentions(s), max)
}
