package e2e

import (
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/samples"
)

// addAuditOrganisation adds samples.AuditOrganisation to the env's
// installation (its "app" is the env's repository); without optIn the
// .github repository has no configuration.
func (e *env) addAuditOrganisation(optIn bool) {
	e.t.Helper()
	for i, r := range samples.AuditOrganisation() {
		if r.Name != repoName {
			e.fake.AddRepo(githubfake.Repo{Owner: org, Name: r.Name, ID: int64(2000 + i), OwnerType: "Organization",
				InstallationID: installID, Archived: r.Archived, Fork: r.Fork})
		}
		for p, content := range r.Files {
			if p == configPath && !optIn {
				continue
			}
			e.fake.SetFile(org, r.Name, "main", p, []byte(content))
		}
		e.fake.SetRepoWorkflowPermissions(org, r.Name, "read")
	}
	e.fake.SetOrgWorkflowPermissions(org, "read")
}

// healthIssues are the health issues of the organisation's .github repository.
func (e *env) healthIssues() []githubfake.Issue {
	var out []githubfake.Issue
	for _, is := range e.fake.Issues(org, ".github") {
		if is.Title == report.HealthIssueTitle {
			out = append(out, is)
		}
	}
	return out
}

// checklistRE reads an at-risk line: "- [ ] [REPO · FILE · job JOB (line N)](URL)".
var checklistRE = regexp.MustCompile(`(?m)^- \[ \] \[([^ ]+) · ([^ ]+) · job ([^ ]+) \(line (\d+)\)\]\(([^)]+)\)`)

// listedAtRisk are the at-risk jobs a body lists, as "REPO FILE#JOB", with their links.
func listedAtRisk(t *testing.T, body string) ([]string, []string) {
	t.Helper()
	var jobs, links []string
	for _, m := range checklistRE.FindAllStringSubmatch(body, -1) {
		jobs = append(jobs, m[1]+" "+m[2]+"#"+m[3])
		links = append(links, m[5])
	}
	return jobs, links
}

// expectedAtRisk is samples.AuditExpected's at-risk jobs with file names as the issue shows them.
func expectedAtRisk(drop ...string) []string {
	atRisk, _ := samples.AuditExpected()
	var out []string
	for _, j := range atRisk {
		repo, rest, _ := strings.Cut(j, " ")
		file, job, _ := strings.Cut(rest, "#")
		if !contains(drop, repo) {
			out = append(out, repo+" "+path.Base(file)+"#"+job)
		}
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestOrganisationAuditEndToEnd: an installation event starts the first
// audit of an organisation that opted in; the health issue lists exactly
// the jobs at risk, each linking to its line at the commit it was read
// at; a later audit edits the same issue; nothing at risk closes it.
func TestOrganisationAuditEndToEnd(t *testing.T) {
	e := newEnv(t, allPermissions)
	e.addAuditOrganisation(true)

	e.deliver("installation", e.fake.InstallationEvent("created", installID, "octocat"))
	issues := e.healthIssues()
	require.Len(t, issues, 1, "log:\n%s", e.logs.String())
	first := issues[0]
	assert.Equal(t, "open", first.State)
	assert.Contains(t, first.Labels, report.DefaultLabel)

	jobs, links := listedAtRisk(t, first.Body)
	sort.Strings(jobs)
	assert.Equal(t, expectedAtRisk(), jobs, "exactly the jobs at risk; body:\n%s", first.Body)
	for _, l := range links {
		repo := strings.Split(strings.TrimPrefix(l, "https://github.com/"), "/blob/")[0]
		name := strings.TrimPrefix(repo, org+"/")
		assert.Regexp(t, `^https://github.com/`+regexp.QuoteMeta(repo)+`/blob/`+e.fake.BranchSHA(org, name, "main")+`/\.github/workflows/[a-z]+\.ya?ml#L\d+$`, l)
	}
	_, unknown := samples.AuditExpected()
	assert.Contains(t, first.Body, "### Could not be decided")
	assert.Equal(t, len(unknown), strings.Count(strings.SplitN(first.Body, "### Could not be decided", 2)[1], "\n- ["))
	for _, skipped := range []string{"legacy", "upstream-fork"} {
		assert.NotContains(t, first.Body, org+"/"+skipped, "archived repositories and forks are skipped")
	}
	assert.Contains(t, first.Body, "**4 jobs at risk**")
	assert.Contains(t, first.Body, "10 repositories audited (2 archived or forked ones skipped)")

	// The same audit again writes nothing.
	before := len(e.fake.Requests())
	e.deliver("installation_repositories", e.fake.InstallationRepositoriesEvent(installID, "octocat", "docs"))
	assert.Empty(t, e.writesSince(before), "an unchanged audit writes nothing")

	// A fix lands: the next audit edits the same issue.
	src, ok := e.fake.FileAt(org, repoName, "main", workflowPath)
	require.True(t, ok)
	fixed := strings.Replace(string(src), "      contents: read\n", "      contents: read\n      packages: write\n", 1)
	e.fake.SetFile(org, repoName, "main", workflowPath, []byte(fixed))
	e.deliver("installation_repositories", e.fake.InstallationRepositoriesEvent(installID, "octocat", "app"))
	issues = e.healthIssues()
	require.Len(t, issues, 1, "edited in place, never a second")
	assert.Equal(t, first.Number, issues[0].Number)
	jobs, _ = listedAtRisk(t, issues[0].Body)
	sort.Strings(jobs)
	assert.Equal(t, expectedAtRisk(org+"/"+repoName), jobs)
	assert.Contains(t, e.logs.String(), `"issue_action":"updated"`)
}

func TestInstallationStartsNoAuditWithoutTheOptIn(t *testing.T) {
	e := newEnv(t, allPermissions)
	e.addAuditOrganisation(false)
	e.deliver("installation", e.fake.InstallationEvent("created", installID, "octocat"))
	assert.Empty(t, e.healthIssues())
	assert.Contains(t, e.logs.String(), "the organisation has not opted in")
	assert.Zero(t, e.fake.CountRequests("GET", "/installation/repositories"), "no repository was read")
}

// TestAuditCommandAnswersInPlace: /ghcr audit on any issue audits the
// repository for anyone who can read it; a second one edits the answer.
func TestAuditCommandAnswersInPlace(t *testing.T) {
	e := newEnv(t, allPermissions)
	e.addAuditOrganisation(false)
	e.fake.SetCollaborator(org, repoName, "rita", "read", "read")

	e.command(77, "rita", "/ghcr audit")
	answer := e.onlyReply(77)
	jobs, _ := listedAtRisk(t, answer)
	assert.Equal(t, []string{org + "/" + repoName + " release.yml#image"}, jobs, "answer:\n%s", answer)
	assert.Contains(t, answer, "@rita")

	e.command(77, "rita", "/ghcr audit")
	replies := e.replies(77)
	require.Len(t, replies, 1, "the second audit edits the first answer")
	assert.Len(t, e.auditLines(), 2)

	e.command(78, "nobody", "/ghcr audit")
	assert.Contains(t, e.onlyReply(78), "needs the **read** role")
}

// TestPeriodicAuditRunsWithoutAnEvent: with the periodic audit on, the
// sweep (run at start, then every period) audits the organisations that
// opted in, with no webhook at all.
func TestPeriodicAuditRunsWithoutAnEvent(t *testing.T) {
	e := newEnvWith(t, allPermissions, func(cfg *config.Config) { cfg.Queue.AuditInterval = time.Hour })
	e.addAuditOrganisation(true)
	require.Eventually(t, func() bool { return len(e.healthIssues()) == 1 }, 30*time.Second, 100*time.Millisecond,
		"the sweep audits the organisation; log:\n%s", e.logs.String())
	jobs, _ := listedAtRisk(t, e.healthIssues()[0].Body)
	sort.Strings(jobs)
	assert.Equal(t, expectedAtRisk(), jobs)
	assert.Contains(t, e.logs.String(), `"reason":"weekly"`)
}
