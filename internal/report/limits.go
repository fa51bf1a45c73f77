package report

import "github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"

// MaxPackages is the most refused packages one report lists. A log that
// names more still makes one report, which says how many it leaves out;
// the cap also bounds the work one run causes (fix pull requests looked
// up, annotations sent), however many packages its log names.
const MaxPackages = 20

// ReportedPackages splits diagnoses into those a report lists, the first
// MaxPackages in the given order, and how many it leaves out.
func ReportedPackages(ds []diagnose.Diagnosis) (listed []diagnose.Diagnosis, omitted int) {
	return capped(ds, MaxPackages)
}

// GitHub's limits for what the app writes, with a margin: GitHub counts
// characters, we count bytes, which is never fewer.
const (
	// maxBody is the size we aim to stay within for comment and issue bodies
	// (GitHub refuses more than 65,536 characters) and for a check run's
	// output.summary and output.text (65,535).
	maxBody = 60000
	// maxCheckRunTitle bounds a check run's title; GitHub allows 255 characters.
	maxCheckRunTitle = 120
	// maxIssueTitle bounds a tracking issue's title (GitHub allows 256).
	maxIssueTitle = 200
	// maxAnnotationsPerRequest is GitHub's limit of annotations per check run request.
	maxAnnotationsPerRequest = 50
	// maxJobLinks is the most jobs linked in a footer.
	maxJobLinks = 5
	// maxMarkedPackage bounds a package name kept in a marker.
	maxMarkedPackage = 200
	// maxLegacyEditsPerRun bounds how many reports of earlier versions
	// (one per package) one publish or resolve rewrites; any left are
	// handled by the next run.
	maxLegacyEditsPerRun = MaxPackages
)

// detail is how much of a diagnosis a rendering shows. Renderings start
// with the fullest detail and step down until the result fits GitHub's
// limits, dropping the least important parts first.
type detail struct {
	findings   int // log lines quoted
	line       int // runes per quoted log or diff line
	diffLines  int // lines of the diff shown; 0 leaves the diff out
	items      int // evidence, steps, links, unknowns and warnings, each
	text       int // runes per sentence or table cell
	checks     int // rows of the table of checks
	others     int // other possible causes shown
	otherFixes bool
	// shortened says some part was cut to fit, which the report then says.
	shortened bool
	// minimal keeps only the cause, the fix and the commands.
	minimal bool
}

var detailLevels = []detail{
	{findings: 20, line: 2000, diffLines: 2000, items: 50, text: 2000, checks: 60, others: 20, otherFixes: true},
	{findings: 10, line: 500, diffLines: 500, items: 30, text: 1000, checks: 40, others: 10, shortened: true},
	{findings: 5, line: 500, diffLines: 200, items: 15, text: 500, checks: 30, others: 5, shortened: true},
	{findings: 2, line: 300, diffLines: 80, items: 8, text: 300, checks: 20, shortened: true},
	{findings: 1, line: 200, items: 5, text: 200, checks: 12, shortened: true},
	{line: 200, items: 3, text: 300, shortened: true, minimal: true},
}
