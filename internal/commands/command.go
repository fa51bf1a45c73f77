package commands

import (
	"strings"
)

// Verb is what a command asks for.
type Verb string

// The verbs ghcr-doctor understands.
const (
	VerbFix     Verb = "fix"
	VerbRecheck Verb = "recheck"
	VerbRetry   Verb = "retry"
	VerbHelp    Verb = "help"
	// VerbAudit audits the repository's publishing workflows.
	VerbAudit Verb = "audit"
)

// Options of `/ghcr fix`.
const (
	FlagDryRun      = "--dry-run"
	FlagSettings    = "--settings"
	FlagOrgSettings = "--org-settings"
)

// commandPrefix starts every command line.
const commandPrefix = "/ghcr"

// Command is one `/ghcr` line of a comment.
type Command struct {
	Verb Verb `json:"verb"`
	// DryRun shows the plan and changes nothing.
	DryRun bool `json:"dry_run,omitempty"`
	// Settings asks for the repository's default workflow permissions to
	// be changed instead of the workflow file.
	Settings bool `json:"settings,omitempty"`
	// OrgSettings asks for the organisation's default workflow permissions
	// to be changed.
	OrgSettings bool `json:"org_settings,omitempty"`
	// Text is the line as written, trimmed, for quoting in the reply.
	Text string `json:"text"`
	// Problem says why the line was not understood; Verb is then VerbHelp.
	Problem string `json:"problem,omitempty"`
}

// String is the command in its canonical form, "/ghcr fix --dry-run".
func (c Command) String() string {
	s := commandPrefix + " " + string(c.Verb)
	if c.DryRun {
		s += " " + FlagDryRun
	}
	if c.Settings {
		s += " " + FlagSettings
	}
	if c.OrgSettings {
		s += " " + FlagOrgSettings
	}
	return s
}

// Parse finds the commands in a comment body: lines that start with
// "/ghcr" (after at most three spaces), outside block quotes ("> "),
// fenced code blocks (``` or ~~~) and indented code (four spaces or a tab).
// "/ghcr" must be followed by the end of the line or a space, so "/ghcrfix"
// is not a command. Commands and options are case-insensitive ("/GHCR Fix"
// works: phones capitalise the first letter). A line that is not a known
// command ("/ghcr", "/ghcr fixit", "/ghcr fix --force") becomes a help
// command with the problem set. Identical commands are returned once, in
// the order they first appear.
func Parse(body string) []Command {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var out []Command
	seen := map[string]bool{}
	var fence codeFence
	for _, line := range strings.Split(body, "\n") {
		if fence.inside(line) {
			continue
		}
		text, ok := commandLine(line)
		if !ok {
			continue
		}
		cmd := parseLine(text)
		key := cmd.String() + "\x00" + cmd.Problem
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, cmd)
	}
	return out
}

// codeFence tracks fenced code blocks across lines.
type codeFence struct {
	open bool
	char byte
	n    int
}

// inside reports whether line is part of a fenced code block (its fences
// included), updating the state.
func (f *codeFence) inside(line string) bool {
	indent, rest := leadingIndent(line)
	if f.open {
		if indent <= 3 && fenceRun(rest, f.char) >= f.n && strings.TrimSpace(strings.TrimLeft(rest, string(f.char))) == "" {
			f.open = false
		}
		return true
	}
	if indent > 3 {
		return false
	}
	for _, c := range []byte{'`', '~'} {
		if n := fenceRun(rest, c); n >= 3 {
			if c == '`' && strings.Contains(rest[n:], "`") {
				return false // an inline code span, not a fence
			}
			f.open, f.char, f.n = true, c, n
			return true
		}
	}
	return false
}

func fenceRun(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// leadingIndent returns the width of the line's indentation (a tab counts
// to the next multiple of four) and the rest of the line.
func leadingIndent(line string) (int, string) {
	width := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			width++
		case '\t':
			width += 4 - width%4
		default:
			return width, line[i:]
		}
	}
	return width, ""
}

// commandLine returns the trimmed line when it is a command line.
func commandLine(line string) (string, bool) {
	indent, rest := leadingIndent(line)
	if indent > 3 || strings.HasPrefix(rest, ">") {
		return "", false
	}
	rest = strings.TrimRight(rest, " \t")
	if len(rest) < len(commandPrefix) || !strings.EqualFold(rest[:len(commandPrefix)], commandPrefix) {
		return "", false
	}
	if len(rest) > len(commandPrefix) && rest[len(commandPrefix)] != ' ' && rest[len(commandPrefix)] != '\t' {
		return "", false
	}
	return rest, true
}

// maxQuotedCommand bounds how much of a line is kept for quoting.
const maxQuotedCommand = 100

func parseLine(text string) Command {
	cmd := Command{Verb: VerbHelp, Text: text}
	if len(cmd.Text) > maxQuotedCommand {
		cmd.Text = cmd.Text[:maxQuotedCommand]
	}
	words := strings.Fields(text)[1:]
	if len(words) == 0 {
		return cmd
	}
	verb, args := Verb(strings.ToLower(words[0])), words[1:]
	switch verb {
	case VerbHelp:
		return cmd
	case VerbRecheck, VerbRetry, VerbAudit:
		if len(args) > 0 {
			cmd.Problem = "`/ghcr " + string(verb) + "` takes no options"
			return cmd
		}
		cmd.Verb = verb
		return cmd
	case VerbFix:
		return parseFix(cmd, args)
	}
	cmd.Problem = "unknown command"
	return cmd
}

func parseFix(cmd Command, args []string) Command {
	fix := Command{Verb: VerbFix, Text: cmd.Text}
	for _, a := range args {
		switch strings.ToLower(a) {
		case FlagDryRun:
			fix.DryRun = true
		case FlagSettings:
			fix.Settings = true
		case FlagOrgSettings:
			fix.OrgSettings = true
		default:
			cmd.Problem = "unknown option for `/ghcr fix`"
			return cmd
		}
	}
	if fix.Settings && fix.OrgSettings {
		cmd.Problem = "`--settings` and `--org-settings` cannot be combined"
		return cmd
	}
	return fix
}
