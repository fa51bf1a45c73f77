package scan

import (
	"regexp"
	"strings"
)

// pastedLine is a log line with what people add when they paste a log
// into an issue taken off: markdown quotes, code fences, shell prompts,
// line numbers the web view glues to the text, pasted link markup, and
// other CI systems' section markers.
type pastedLine struct {
	// text is the line as the tool printed it.
	text string
	// prompt is true when the line was typed at a shell prompt (or is
	// a runner's "[command]" echo): a command, never a tool's output.
	prompt bool
	// section is the title of a section another CI system opens on this
	// line (Azure Pipelines "##[section]Starting: X", GitLab
	// "section_start:…:name"), or "".
	section string
}

var (
	// "[293](https://github.com/o/r/actions/runs/1/job/2#step:9:298)" and
	// "[ghcr.io/o/p](http://ghcr.io/o/p)": the label is what was printed.
	reMarkdownLink = regexp.MustCompile(`\[([^\[\]]*)\]\((?:https?://|redacted|\d+\?)[^()\s]*\)`)
	// Shell prompts: "$ ", "% ", "❯ ", "➜  dir ", "PS C:\x> ", "C:\Users\x>",
	// "[root@host dir]# ", "user@host:~/dir$ ".
	rePrompt = regexp.MustCompile(`^(?:\$|%|#|❯|➜|λ|>>>)\s+|^PS [A-Za-z]:\\[^>]*>\s*|^[A-Za-z]:\\[^>]*>\s*|^\[[^\]\s]+@[^\]]+\][#$]\s*|^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+:[^\s$#]*[$#]\s+`)
	// Line numbers the web view's copy glues to a line's text.
	reGluedLineNumber = regexp.MustCompile(`^\d{1,6}(?:Run |##\[|Error|ERROR|Warning|Notice|npm |#\d+ |/usr/bin/)`)
	// GitLab CI section markers.
	reGitLabSection = regexp.MustCompile(`section_(start|end):\d+:([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?`)
)

// unpasteLine undoes what pasting did to a cleaned log line.
func unpasteLine(text string) pastedLine {
	var out pastedLine
	if strings.Contains(text, "section_") {
		if m := reGitLabSection.FindStringSubmatchIndex(text); m != nil {
			if text[m[2]:m[3]] == "start" {
				out.section = text[m[4]:m[5]]
			}
			text = text[:m[0]] + text[m[1]:]
		}
	}
	for range 4 {
		before := text
		text = strings.TrimLeft(text, " \t")
		switch {
		case strings.HasPrefix(text, ">"):
			// A markdown quote; buildx's own "> exporting to image:" and
			// "> pushing ghcr.io/… with docker:" keep reading the same.
			text = strings.TrimPrefix(text, ">")
		case strings.HasPrefix(text, "```"):
			text = strings.TrimLeft(text, "`")
			if i := strings.IndexAny(text, " \t"); i > 0 && isFenceLanguage(text[:i]) {
				text = text[i:]
			}
		case strings.HasPrefix(text, "'''"):
			text = strings.TrimLeft(text, "'")
		}
		if text == before {
			break
		}
	}
	text = strings.TrimSpace(text)
	if text != "" && text[0] >= '0' && text[0] <= '9' && reGluedLineNumber.MatchString(text) {
		digits := 0
		for digits < len(text) && text[digits] >= '0' && text[digits] <= '9' {
			digits++
		}
		text = text[digits:]
	}
	if strings.Contains(text, "](") {
		text = reMarkdownLink.ReplaceAllString(text, "$1")
	}
	if strings.HasPrefix(text, "_") && strings.HasSuffix(text, "_") && len(text) > 2 {
		text = text[1 : len(text)-1] // markdown emphasis around a quoted line
	}
	if !mayStartWithPrompt(text) {
		// no prompt: the common case, decided without a regular expression
	} else if loc := rePrompt.FindStringIndex(text); loc != nil && loc[1] < len(text) {
		text = text[loc[1]:]
		out.prompt = true
		// "# → Error: …": the poster's note of what the command printed.
		for _, arrow := range outputArrows {
			if rest, ok := strings.CutPrefix(text, arrow); ok {
				text, out.prompt = strings.TrimLeft(rest, " "), false
				break
			}
		}
	}
	if rest, ok := strings.CutPrefix(text, "[command]"); ok {
		out.prompt = true
		text = rest
	}
	if rest, ok := strings.CutPrefix(text, "##[section]Starting: "); ok {
		out.section = rest
	}
	out.text = text
	return out
}

// mayStartWithPrompt is a cheap test that rules out most lines before
// rePrompt runs.
func mayStartWithPrompt(text string) bool {
	for _, p := range promptStarts {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	if len(text) > 2 && text[1] == ':' && text[2] == '\\' {
		return true // C:\dir>
	}
	if text != "" && text[0] == '[' {
		end := strings.IndexByte(text, ']')
		return end > 0 && strings.IndexByte(text[:end], '@') > 0
	}
	at := strings.IndexByte(text, '@')
	return at > 0 && at < 64 && strings.IndexByte(text[at:], ':') > 0 && !strings.ContainsAny(text[:at], " \t")
}

// promptStarts begin the shell prompts rePrompt reads.
var promptStarts = []string{"$ ", "$\t", "% ", "# ", "❯", "➜", "λ", ">>> ", "PS "}

// outputArrows introduce a command's output in a pasted session.
var outputArrows = []string{"→", "->", "=>", "⇒"}

// isFenceLanguage reports whether s is a code fence's language tag
// ("console", "shell", "text"), not the first word of a glued line.
func isFenceLanguage(s string) bool {
	switch strings.ToLower(s) {
	case "console", "shell", "sh", "bash", "text", "txt", "log", "plain", "plaintext", "powershell", "ps", "cmd", "yaml", "json", "sh-session", "shell-session":
		return true
	}
	return false
}

// shellCommandWords start a line that is a command or script, whose
// arguments may quote an error text without the error having happened.
var shellCommandWords = []string{
	"echo ", "printf ", "grep ", "egrep ", "rg ", "if ", "elif ", "while ", "until ", "[[ ", "[ ", "test ",
	"case ", "awk ", "sed ", "assert", "expect", "jq ", "cat <<", "::error", "::warning",
}

// looksLikeScript reports whether a line is a script statement rather than
// a tool's output: a command that only quotes the text.
func looksLikeScript(text string) bool {
	t := strings.TrimLeft(text, " \t")
	for _, w := range shellCommandWords {
		if strings.HasPrefix(t, w) {
			return true
		}
	}
	return false
}
