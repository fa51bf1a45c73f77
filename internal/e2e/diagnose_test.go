package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

var (
	permsNoPackages = []string{"Contents: read", "Metadata: read"}
	permsRead       = []string{"Contents: read", "Metadata: read", "Packages: read"}
	permsWrite      = []string{"Contents: read", "Metadata: read", "Packages: write"}
)

func buildxDenied(message string) []string {
	return []string{
		"#12 [auth] acme/app:pull,push token for ghcr.io",
		"#13 ERROR: failed to push ghcr.io/acme/app:latest: denied: " + message,
		"ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/app:latest: denied: " + message,
		"##[error]buildx failed with: ERROR: failed to build: failed to solve: failed to push ghcr.io/acme/app:latest: denied: " + message,
	}
}

// TestDecisionTable runs one failed run per row of the decision table
// through the real server and checks what was posted, and that it was
// posted exactly once.
func TestDecisionTable(t *testing.T) {
	tests := []struct {
		name      string
		s         scenario
		wantCause diagnose.CauseID
		// wantInBody are strings the comment (or issue) must contain.
		wantInBody []string
		// wantAnnotationLine is a workflow line the check run must annotate.
		wantAnnotationLine int
		wantFixButton      bool
	}{
		{
			name: "job permissions without packages write",
			s: scenario{workflow: wfJobPermsWithoutPackages, pr: 12, event: "pull_request",
				log: jobLog(permsNoPackages, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)},
			wantCause:          diagnose.CauseMissingPackagesWrite,
			wantInBody:         []string{"+      packages: write", "/ghcr fix"},
			wantAnnotationLine: 10,
			wantFixButton:      true,
		},
		{
			name: "read-only repository default and no permissions block",
			s: scenario{workflow: wfNoPermissions, repoPerm: "read",
				log: jobLog(permsRead, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)},
			wantCause:          diagnose.CauseRestrictedDefault,
			wantInBody:         []string{"packages: write", "https://github.com/acme/app/settings/actions"},
			wantAnnotationLine: 4,
			wantFixButton:      true,
		},
		{
			name: "read-only organisation default caps the repository",
			s: scenario{workflow: wfNoPermissions, repoPerm: "write", orgPerm: "read",
				log: jobLog(nil, "docker/build-push-action@v6", buildxDenied("permission_denied: write_package")...)},
			wantCause:     diagnose.CauseRestrictedDefault,
			wantInBody:    []string{"organisation"},
			wantFixButton: true,
		},
		{
			name: "fork pull request",
			s: scenario{workflow: wfNoPermissions, event: "pull_request", pr: 31, headRepo: "contributor/app", actor: "contributor",
				log: jobLog(permsRead, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)},
			wantCause:  diagnose.CauseForkPullRequest,
			wantInBody: []string{"contributor/app", "head.repo.full_name"},
		},
		{
			name: "dependabot run",
			s: scenario{workflow: wfNoPermissions, event: "push", actor: "dependabot[bot]",
				log: jobLog(permsRead, "docker/build-push-action@v6", buildxDenied("installation not allowed to Write organization package")...)},
			wantCause:     diagnose.CauseDependabot,
			wantInBody:    []string{"dependabot"},
			wantFixButton: true,
		},
		{
			name: "seed: packages write declared, package access list lacks the repository",
			s: scenario{workflow: wfSeed,
				log: jobLog(permsWrite, "docker/build-push-action@v6", buildxDenied("permission_denied: write_package")...)},
			wantCause: diagnose.CausePackageAccess,
			wantInBody: []string{"https://github.com/orgs/acme/packages/container/app/settings", "Manage Actions access",
				"Add repository", "Write"},
			wantAnnotationLine: 9,
		},
		{
			name: "package creation refused by the organisation",
			s: scenario{workflow: wfSeed,
				log: jobLog(permsWrite, "docker/build-push-action@v6", buildxDenied("installation not allowed to Create organization package")...)},
			wantCause:  diagnose.CausePackageCreation,
			wantInBody: []string{"https://github.com/organizations/acme/settings/packages", "Package creation"},
		},
		{
			name: "personal access token without write:packages",
			s: scenario{workflow: wfPAT,
				log: jobLog(permsRead, "docker push ghcr.io/acme/app:latest",
					"The push refers to repository [ghcr.io/acme/app]",
					"5f70bf18a086: Preparing",
					"denied: permission_denied: The token provided does not match expected scopes.",
					"##[error]Process completed with exit code 1.")},
			wantCause:  diagnose.CausePATCredentials,
			wantInBody: []string{"CR_PAT", "write:packages"},
		},
		{
			name: "upper-case image name",
			s: scenario{workflow: wfUppercase,
				log: jobLog(permsWrite, "docker build -t ghcr.io/${{ github.repository }}:latest .",
					`ERROR: invalid tag "ghcr.io/Acme/App:latest": repository name must be lowercase`,
					"##[error]Process completed with exit code 1.")},
			wantCause:     diagnose.CauseUppercaseName,
			wantInBody:    []string{"lower"},
			wantFixButton: true,
		},
		{
			name: "another owner's namespace",
			s: scenario{workflow: wfOtherNamespace,
				log: jobLog(permsWrite, "docker/build-push-action@v6",
					"#13 ERROR: failed to push ghcr.io/other-org/app:latest: denied: installation not allowed to Write organization package")},
			wantCause:  diagnose.CauseNamespaceMismatch,
			wantInBody: []string{"other-org"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, allPermissions)
			res := e.deliver("workflow_run", e.addRun(tt.s))
			require.Equal(t, 202, res.StatusCode, string(res.Body))

			body := e.reportBody(tt.s)
			m, ok := report.ParseMarker(body)
			require.True(t, ok, "report has a marker:\n%s", body)
			assert.Equal(t, tt.wantCause, m.Cause, "cause; body:\n%s", body)
			for _, want := range tt.wantInBody {
				assert.Contains(t, strings.ToLower(body), strings.ToLower(want))
			}

			crs := e.fake.CheckRuns(org, repoName)
			require.Len(t, crs, 1, "one check run")
			cr := crs[0]
			assert.Equal(t, "ghcr-doctor", cr.Name)
			assert.Equal(t, headSHA, cr.HeadSHA)
			assert.Equal(t, "action_required", cr.Conclusion)
			assert.NotEmpty(t, cr.Output.Title)
			assert.LessOrEqual(t, len(cr.Output.Summary), 65535)
			if tt.wantAnnotationLine > 0 {
				assert.True(t, hasAnnotation(cr, workflowPath, tt.wantAnnotationLine), "annotation on line %d: %+v", tt.wantAnnotationLine, cr.Output.Annotations)
			}
			assert.Equal(t, tt.wantFixButton, hasAction(cr, "ghcr-fix"), "fix button: %+v", cr.Actions)

			// Redelivering the same event changes nothing.
			writes := e.writeRequests()
			e.deliver("workflow_run", e.fake.WorkflowRunEvent("completed", org, repoName, 7001))
			assert.Equal(t, writes, e.writeRequests(), "a redelivered event writes nothing")
			assert.Len(t, e.fake.CheckRuns(org, repoName), 1)
		})
	}
}

// reportBody returns the one comment on the scenario's pull request, or
// the one tracking issue for push runs, and fails if there is not exactly one.
func (e *env) reportBody(s scenario) string {
	e.t.Helper()
	if s.pr != 0 && (s.headRepo == "" || s.headRepo == org+"/"+repoName || s.event == "pull_request") {
		cs := e.fake.Comments(org, repoName, s.pr)
		require.Len(e.t, cs, 1, "one comment on PR #%d; server log:\n%s", s.pr, e.logs.String())
		assert.Equal(e.t, "ghcr-doctor[bot]", cs[0].User)
		return cs[0].Body
	}
	var issues []githubfake.Issue
	for _, is := range e.fake.Issues(org, repoName) {
		if !is.IsPR {
			issues = append(issues, is)
		}
	}
	require.Len(e.t, issues, 1, "one tracking issue; server log:\n%s", e.logs.String())
	assert.Contains(e.t, issues[0].Labels, "ghcr-doctor")
	return issues[0].Body
}

func (e *env) writeRequests() int {
	n := 0
	for _, r := range e.fake.Requests() {
		if r.Method != "GET" && !strings.HasPrefix(r.Path, "/app/installations/") {
			n++
		}
	}
	return n
}

func hasAnnotation(cr githubfake.CheckRun, path string, line int) bool {
	for _, a := range cr.Output.Annotations {
		if a.Path == path && a.StartLine == line {
			return true
		}
	}
	return false
}

func hasAction(cr githubfake.CheckRun, id string) bool {
	for _, a := range cr.Actions {
		if a.Identifier == id {
			return true
		}
	}
	return false
}
