package action

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/markdown"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// MaxSummaryBytes is GitHub's limit of what one step writes to the job
// summary; past it, GitHub shows an error instead of the summary.
const MaxSummaryBytes = 1 << 20

// Findings is what the step learned about the run.
type Findings struct {
	Facts     *diagnose.Facts
	Diagnoses []diagnose.Diagnosis
	Target    report.Target
}

// Found reports whether a log of the run shows a GitHub Packages error;
// a report saying only that some log could not be read is not one.
func (f Findings) Found() bool {
	_, ok := f.first()
	return ok
}

// first is the first diagnosis of a GitHub Packages error.
func (f Findings) first() (diagnose.Diagnosis, bool) {
	for _, d := range f.Diagnoses {
		if len(d.Findings) > 0 {
			return d, true
		}
	}
	return diagnose.Diagnosis{}, false
}

// Summary is the Markdown of the job summary: the App's report about the
// refused packages, without the commands (they need the App), or, when no
// log shows an error, which failed jobs were looked at.
func Summary(f Findings) string {
	if len(f.Diagnoses) == 0 {
		return nothingFound(f)
	}
	md := report.RenderCheckRun(f.Diagnoses, f.Target).Text
	if hasUnknowns(f.Diagnoses) {
		md = strings.TrimRight(md, "\n") + "\n\n" + tokenNote
	}
	return md
}

// tokenNote explains the "Could not check" section when the Action wrote it.
const tokenNote = "_ghcr-doctor ran as an Action with this workflow's token. What is listed under \"Could not check\" " +
	"needs a permission such a token cannot have (the default workflow permissions need administration access); " +
	"the ghcr-doctor App, or `bot diagnose` with an administrator's token, can read it._\n"

func hasUnknowns(ds []diagnose.Diagnosis) bool {
	for _, d := range ds {
		if len(d.Unknowns) > 0 {
			return true
		}
	}
	return false
}

func nothingFound(f Findings) string {
	run := f.Target.Run
	var b strings.Builder
	b.WriteString("## ghcr-doctor: no GitHub Packages error found\n\n")
	jobs := f.Facts.Jobs
	if len(jobs) == 0 {
		fmt.Fprintf(&b, "Run %d has no failed job, so there was nothing to diagnose.\n", run.ID)
		return b.String()
	}
	fmt.Fprintf(&b, "The %s of run %d %s no refused push or login to GitHub Packages:\n\n",
		plural(len(jobs), "log of the failed job", fmt.Sprintf("logs of the %d failed jobs", len(jobs))), run.ID,
		plural(len(jobs), "shows", "show"))
	listed, rest := jobs, 0
	if len(listed) > maxListedJobs {
		listed, rest = jobs[:maxListedJobs], len(jobs)-maxListedJobs
	}
	for _, j := range listed {
		fmt.Fprintf(&b, "- %s\n", markdown.Code(j.Name, 200))
	}
	if rest > 0 {
		fmt.Fprintf(&b, "- _…and %d more_\n", rest)
	}
	b.WriteString("\nThe run failed for another reason.\n")
	return b.String()
}

// maxListedJobs bounds the jobs a "nothing found" summary names.
const maxListedJobs = 50

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// capSummary cuts Markdown longer than the job summary's limit at a line
// break, saying so; the report file keeps all of it.
func capSummary(md string) string {
	if len(md) <= MaxSummaryBytes {
		return md
	}
	const note = "\n\n_The rest of the report was cut to fit the job summary's 1 MiB limit; the file of the `report` output has all of it._\n"
	cut := md[:MaxSummaryBytes-len(note)]
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	return strings.ToValidUTF8(cut, "") + note
}

// AppendSummary adds the Markdown to the file GITHUB_STEP_SUMMARY names,
// within the summary's limit.
func AppendSummary(path, md string) error {
	return appendFile(path, capSummary(md), "GITHUB_STEP_SUMMARY")
}
