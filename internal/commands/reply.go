package commands

import (
	"fmt"
	"path"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
)

// maxReply keeps a reply within GitHub's comment limit, with a margin.
const maxReply = 60000

// renderReply renders the answer to a request: for each command, what was
// done, what was not and why, and what only a person can do.
func renderReply(site markdown.Site, req Request, secs []section) string {
	var b strings.Builder
	for i, sec := range secs {
		if i > 0 {
			b.WriteString("\n---\n\n")
		}
		renderSection(&b, site, req.Sender, sec)
	}
	if req.Dropped > 0 {
		fmt.Fprintf(&b, "\n_Only the first %d commands of a comment are carried out; %d more %s ignored._\n", MaxCommands, req.Dropped, plural(req.Dropped, "was", "were"))
	}
	b.WriteString("\n<sub>ghcr-doctor · reply `/ghcr help` for the commands</sub>\n")
	out := b.String()
	if len(out) > maxReply {
		out = markdown.Truncate(out, maxReply) + "\n\n_…the rest was cut to stay within GitHub's size limit._\n"
	}
	return out
}

func renderSection(b *strings.Builder, site markdown.Site, sender Sender, sec section) {
	fmt.Fprintf(b, "**%s** · asked by %s\n\n", code(sec.Command.Text), mention(sender.Login))
	if sec.Command.Verb == VerbHelp {
		if sec.Command.Problem != "" {
			fmt.Fprintf(b, "I did not understand that (%s). These are the commands:\n\n", sec.Command.Problem)
		}
		b.WriteString(HelpText())
		return
	}
	if sec.Note != "" {
		b.WriteString(sec.Note + "\n\n")
	}
	for _, rs := range sec.Runs {
		renderRun(b, site, rs)
	}
	if sec.DryRun {
		b.WriteString("_Dry run: nothing was changed. Reply `/ghcr fix` to apply the plan._\n")
	}
}

func renderRun(b *strings.Builder, site markdown.Site, rs runSection) {
	title := fmt.Sprintf("run #%d", rs.Run.ID)
	if rs.Run.HTMLURL != "" {
		title = site.Link(title, rs.Run.HTMLURL)
	}
	if rs.Run.Path != "" {
		title += " of " + code(path.Base(rs.Run.Path))
	}
	if rs.Run.Attempt > 1 {
		title += fmt.Sprintf(" (attempt %d)", rs.Run.Attempt)
	}
	fmt.Fprintf(b, "#### %s\n\n", capitalize(title))
	if rs.Note != "" {
		b.WriteString(rs.Note + "\n\n")
	}
	for _, r := range rs.Results {
		heading := statusLabel(r.Status)
		if pkg := r.Step.Package.Display(); pkg != "" {
			heading += " · " + code(pkg)
		}
		fmt.Fprintf(b, "%s\n\n%s\n\n", heading, r.Message)
		for _, d := range r.Details {
			b.WriteString(d)
			if !strings.HasSuffix(d, "\n") {
				b.WriteString("\n")
			}
			b.WriteString("\n")
		}
	}
}

// statusLabel is the bold label of a result.
func statusLabel(s Status) string {
	switch s {
	case StatusDone:
		return "✅ **Done**"
	case StatusExists:
		return "↪️ **Already open**"
	case StatusUnneeded:
		return "☑️ **Nothing to change**"
	case StatusPlanned:
		return "📝 **Plan**"
	case StatusRefused:
		return "⛔ **Not allowed**"
	case StatusManual:
		return "👤 **Only a person can do this**"
	case StatusDeclined:
		return "✋ **Not done**"
	}
	return "❌ **Could not do it**"
}

// refusal says which role an action needs and that nothing changed.
func refusal(sender Sender, subj Subject, d Decision, org string) string {
	who := mention(sender.Login)
	if d.Needs == NeedsOrgOwner {
		return fmt.Sprintf("⛔ This needs an owner of the organisation %s; %s is not one. Nothing was changed.", code(org), who)
	}
	has := "has no role"
	if subj.Role != RoleNone {
		has = "has the " + subj.Role.String() + " role"
	}
	return fmt.Sprintf("⛔ This needs the **%s** role or above in this repository; %s %s. Nothing was changed.", d.Needs, who, has)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '[' && len(s) > 1 {
		return "[" + strings.ToUpper(s[1:2]) + s[2:]
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// HelpText lists the commands, who may use them, and how `/ghcr fix`
// chooses between a workflow change and a settings change.
func HelpText() string {
	return "| Command | What it does | Who may use it |\n" +
		"|---|---|---|\n" +
		"| `/ghcr fix` | Diagnoses the run afresh and applies what the bot can: a pull request that adds `packages: write` to the failing job, or one that lower-cases an image name; for what no API can change (package access, package creation, tokens, forks) it lists the exact clicks. For a read-only default token it also opens the pull request, as that widens one job only. A second `/ghcr fix` links the pull request already open. | write, maintain or admin |\n" +
		"| `/ghcr fix --dry-run` | Shows what `/ghcr fix` would do, with the diff; changes nothing. | anyone who can comment |\n" +
		"| `/ghcr fix --settings` | Switches the repository's default workflow permissions to read and write instead, for a read-only default. It widens every workflow's token, so it needs `fix: {allow_settings_changes: true}` in `.github/ghcr-doctor.yml` (off by default) and the App's Administration: Read and write permission (an App registered with `bot register --allow-settings-changes`). | admin |\n" +
		"| `/ghcr fix --org-settings` | Switches the organisation's default workflow permissions to read and write; needs `fix: {allow_org_settings_changes: true}` in `.github/ghcr-doctor.yml` of the organisation's `.github` repository (only there) and the App's Organization administration: Read and write permission. | organisation owner |\n" +
		"| `/ghcr recheck` | Diagnoses the run again now, e.g. after a setting was changed by hand, and updates the report. | write, maintain or admin |\n" +
		"| `/ghcr retry` | Re-runs the run's failed jobs; the outcome is reported in the diagnosis when the run completes. | write, maintain or admin |\n" +
		"| `/ghcr audit` | Checks every job of this repository's workflows that publishes to GitHub Packages, before it runs: which would be refused, why, the line and the fix. Works on any issue or pull request; a later `/ghcr audit` updates the same answer. | anyone who can read the repository |\n" +
		"| `/ghcr help` | Shows this list. | anyone who can comment |\n\n" +
		"Write each command on a line of its own, in a new comment on the pull request or tracking issue that holds the diagnosis. Commands and options are case-insensitive; lines in quotes or code blocks are ignored, and editing a comment does not run its commands. Roles are checked when the command runs. The check run's **Fix** and **Recheck** buttons do what `/ghcr fix` and `/ghcr recheck` do.\n"
}
