package e2e

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

func TestFixOpensWorkflowPullRequest(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "maintain")
	pr := e.diagnosed(missingWriteScenario())
	checkRuns := len(e.fake.CheckRuns(org, repoName))

	id := e.command(pr, "maya", "Thanks!\n\n/ghcr fix\n")
	assert.True(t, e.reacted(id), "the command is acknowledged with 👀")

	want, err := workflow.AddPackagesWrite([]byte(wfJobPermsWithoutPackages), "build")
	require.NoError(t, err)
	got, ok := e.fake.FileAt(org, repoName, fixBranch, workflowPath)
	require.True(t, ok, "branch %s holds the workflow; branches: %v; log:\n%s", fixBranch, e.fake.Branches(org, repoName), e.logs.String())
	assert.Equal(t, string(want.Out), string(got), "the branch holds exactly the minimal edit")
	main, _ := e.fake.FileAt(org, repoName, "main", workflowPath)
	assert.Equal(t, wfJobPermsWithoutPackages, string(main), "the default branch is untouched")

	pulls := e.botPulls()
	require.Len(t, pulls, 1)
	p := pulls[0]
	assert.Equal(t, fixBranch, p.HeadRef)
	assert.Equal(t, "main", p.BaseRef)
	assert.Equal(t, org+"/"+repoName, p.HeadRepoFullName, "opened from a branch of the base repository")
	assert.Contains(t, p.Body, "+      packages: write", "the body carries the diff")
	assert.Contains(t, p.Body, "```diff")
	assert.Contains(t, p.Body, "https://github.com/acme/app/pull/12#issuecomment-", "the body links the diagnosis")

	reply := e.onlyReply(pr)
	assert.Contains(t, reply, "Opened pull request")
	assert.Contains(t, reply, "https://github.com/acme/app/pull/")
	assert.Contains(t, reply, "@maya")
	diag := e.markerComments(pr)
	assert.Len(t, diag, 1, "republishing does not duplicate the diagnosis")
	assert.Len(t, e.fake.CheckRuns(org, repoName), checkRuns, "nor the check run")
	if len(diag) == 1 {
		assert.Contains(t, diag[0].Body, "A pull request with this change is open", "the diagnosis shows the new state")
		assert.Contains(t, diag[0].Body, "/pull/"+itoa(p.Number))
	}
	crs := e.fake.CheckRuns(org, repoName)
	require.NotEmpty(t, crs)
	assert.Contains(t, crs[0].Output.Summary, "Fix proposed in")

	// A second /ghcr fix reuses the open pull request.
	e.command(pr, "maya", "/ghcr fix")
	assert.Len(t, e.botPulls(), 1, "no second pull request")
	rs := e.replies(pr)
	require.Len(t, rs, 2)
	assert.Contains(t, rs[1].Body, "already open")
	assert.Contains(t, rs[1].Body, "/pull/"+itoa(p.Number))

	audit := e.auditLines()
	require.NotEmpty(t, audit)
	assert.Contains(t, audit[0], `"actor":"maya"`)
	assert.Contains(t, audit[0], `"decision":"allowed"`)
	assert.Contains(t, audit[0], `"command":"/ghcr fix"`)
	assert.Contains(t, audit[0], `"repository":"acme/app"`)
	assert.Contains(t, audit[0], "workflow_pr done")
	assert.NotContains(t, e.logs.String(), "ghs_", "no token reaches the log")
}

func TestFixRedeliveredCommentActsOnce(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	pr := e.diagnosed(missingWriteScenario())
	payload := e.fake.IssueCommentEvent(org, repoName, pr, 0, "maya", "/ghcr fix", "created", true)
	e.deliver("issue_comment", payload)
	e.deliver("issue_comment", payload)
	assert.Len(t, e.botPulls(), 1)
	assert.Len(t, e.replies(pr), 1, "a redelivered comment is not answered twice")
}

func TestFixDryRunChangesNothing(t *testing.T) {
	e := newEnv(t, fixPermissions)
	pr := e.diagnosed(missingWriteScenario())
	before := len(e.fake.Requests())

	e.command(pr, "someone", "/ghcr fix --dry-run")
	writes := e.writesSince(before)
	require.Len(t, writes, 2, "only the reaction and the reply: %v", writes)
	assert.Contains(t, writes[0], "/reactions")
	assert.Equal(t, "POST /repos/acme/app/issues/12/comments", writes[1])
	assert.Empty(t, e.botBranches())
	assert.Empty(t, e.botPulls())

	reply := e.onlyReply(pr)
	assert.Contains(t, reply, "Dry run")
	assert.Contains(t, reply, "+      packages: write", "the plan shows the diff")
	assert.Contains(t, reply, fixBranch)
	assert.Contains(t, reply, "write role")
}

func TestFixRepositorySettings(t *testing.T) {
	t.Run("restricted default: /ghcr fix prefers the workflow pull request", func(t *testing.T) {
		e := newEnv(t, fixPermissions)
		e.fake.SetFile(org, repoName, "main", configPath, []byte(optIn))
		e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin")
		issue := e.diagnosed(restrictedDefaultScenario())
		e.command(issue, "ada", "/ghcr fix")
		assert.Equal(t, "read", e.fake.RepoWorkflowPermissions(org, repoName), "the setting is not widened")
		require.Len(t, e.botPulls(), 1)
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "Opened pull request")
		assert.Contains(t, reply, "/ghcr fix --settings", "the settings route is offered")
	})
	t.Run("with opt-in and an admin, --settings switches the default", func(t *testing.T) {
		e := newEnv(t, fixPermissions)
		e.fake.SetFile(org, repoName, "main", configPath, []byte(optIn))
		e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin")
		issue := e.diagnosed(restrictedDefaultScenario())
		e.command(issue, "ada", "/ghcr fix --settings")
		assert.Equal(t, "write", e.fake.RepoWorkflowPermissions(org, repoName))
		assert.Empty(t, e.botPulls())
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "Switched the default workflow permissions")
		assert.Contains(t, reply, "/ghcr retry")
	})
	t.Run("without opt-in, --settings changes nothing and says why", func(t *testing.T) {
		e := newEnv(t, fixPermissions)
		e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin")
		issue := e.diagnosed(restrictedDefaultScenario())
		before := len(e.fake.Requests())
		e.command(issue, "ada", "/ghcr fix --settings")
		assert.Equal(t, "read", e.fake.RepoWorkflowPermissions(org, repoName))
		assert.Len(t, e.writesSince(before), 2, "reaction and reply only")
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "allow_settings_changes")
		assert.Contains(t, reply, "https://github.com/acme/app/settings/actions")
	})
	t.Run("a maintainer may not change settings", func(t *testing.T) {
		e := newEnv(t, fixPermissions)
		e.fake.SetFile(org, repoName, "main", configPath, []byte(optIn))
		e.fake.SetCollaborator(org, repoName, "max", "write", "maintain")
		issue := e.diagnosed(restrictedDefaultScenario())
		e.command(issue, "max", "/ghcr fix --settings")
		assert.Equal(t, "read", e.fake.RepoWorkflowPermissions(org, repoName))
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "**admin** role")
		assert.Contains(t, reply, "maintain role")
	})
	t.Run("an organisation policy answers 409, which is explained", func(t *testing.T) {
		e := newEnv(t, fixPermissions)
		e.fake.SetFile(org, repoName, "main", configPath, []byte(optIn))
		e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin")
		issue := e.diagnosed(restrictedDefaultScenario())
		e.fake.LockRepoWorkflowPermissions(org, repoName)
		e.command(issue, "ada", "/ghcr fix --settings")
		assert.Equal(t, "read", e.fake.RepoWorkflowPermissions(org, repoName))
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "409")
		assert.Contains(t, reply, "https://github.com/organizations/acme/settings/actions")
		assert.Contains(t, reply, "/ghcr fix` opens a pull request")
	})
	t.Run("no administration write permission is named", func(t *testing.T) {
		e := newEnv(t, without(fixPermissions, "administration"))
		e.fake.SetFile(org, repoName, "main", configPath, []byte(optIn))
		e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin")
		issue := e.diagnosed(restrictedDefaultScenario())
		e.command(issue, "ada", "/ghcr fix --settings")
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "`administration:write`")
		assert.Contains(t, reply, "Permissions & events")
	})
}

func TestFixOrganisationSettings(t *testing.T) {
	setup := func(t *testing.T, orgOptIn bool) (*env, int) {
		e := newEnv(t, fixPermissions)
		e.fake.AddRepo(githubfakeRepo(".github"))
		if orgOptIn {
			e.fake.SetFile(org, ".github", "main", configPath, []byte(orgOptInFile))
		}
		e.fake.SetOrgMember(org, "olga", "admin")
		e.fake.SetOrgMember(org, "mo", "member")
		e.fake.SetCollaborator(org, repoName, "mo", "admin", "admin")
		return e, e.diagnosed(orgCapScenario())
	}
	t.Run("an owner with the organisation's opt-in", func(t *testing.T) {
		e, issue := setup(t, true)
		e.command(issue, "olga", "/ghcr fix --org-settings")
		assert.Equal(t, "write", e.fake.OrgWorkflowPermissions(org))
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "Switched the default workflow permissions of the organisation")
	})
	t.Run("a repository admin who is not an owner", func(t *testing.T) {
		e, issue := setup(t, true)
		e.command(issue, "mo", "/ghcr fix --org-settings")
		assert.Equal(t, "read", e.fake.OrgWorkflowPermissions(org))
		assert.Contains(t, e.onlyReply(issue), "owner of the organisation")
	})
	t.Run("without the organisation's opt-in", func(t *testing.T) {
		e, issue := setup(t, false)
		e.command(issue, "olga", "/ghcr fix --org-settings")
		assert.Equal(t, "read", e.fake.OrgWorkflowPermissions(org))
		reply := e.onlyReply(issue)
		assert.Contains(t, reply, "acme/.github")
		assert.Contains(t, reply, "allow_settings_changes")
	})
}

func TestFixManualCauses(t *testing.T) {
	tests := []struct {
		name string
		s    scenario
		want []string
	}{
		{"package access list", scenario{workflow: wfSeed, log: seedLog()},
			[]string{"https://github.com/orgs/acme/packages/container/app/settings", "Manage Actions access", "/ghcr retry"}},
		{"package creation policy", scenario{workflow: wfSeed,
			log: jobLog(permsWrite, "docker/build-push-action@v6", buildxDenied("installation not allowed to Create organization package")...)},
			[]string{"https://github.com/organizations/acme/settings/packages", "Package creation", "/ghcr retry"}},
		{"personal access token", scenario{workflow: wfPAT,
			log: jobLog(permsRead, "docker push ghcr.io/acme/app:latest", "The push refers to repository [ghcr.io/acme/app]",
				"denied: permission_denied: The token provided does not match expected scopes.", "##[error]Process completed with exit code 1.")},
			[]string{"write:packages", "https://github.com/acme/app/settings/secrets/actions", "/ghcr retry"}},
		{"fork pull request", forkScenario(), []string{"head.repo.full_name", "/ghcr retry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fixPermissions)
			e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
			issue := e.diagnosed(tt.s)
			before := len(e.fake.Requests())
			e.command(issue, "maya", "/ghcr fix")
			assert.Len(t, e.writesSince(before), 2, "reaction and reply only: %v", e.writesSince(before))
			assert.Empty(t, e.botBranches())
			reply := e.onlyReply(issue)
			assert.Contains(t, reply, "Only a person can do this")
			for _, w := range tt.want {
				assert.Contains(t, reply, w)
			}
		})
	}
}

func TestFixLowercasesImageName(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	issue := e.diagnosed(uppercaseScenario())
	e.command(issue, "maya", "/ghcr fix")

	f, err := workflow.Parse([]byte(wfUppercase))
	require.NoError(t, err)
	var ref workflow.ImageRef
	for _, r := range f.Job("build").ImageRefs() {
		if r.UppercaseRisk() {
			ref = r
		}
	}
	want, err := workflow.LowercaseImageRef([]byte(wfUppercase), ref.Line, ref.Ref)
	require.NoError(t, err)
	got, ok := e.fake.FileAt(org, repoName, lowercaseBranch, workflowPath)
	require.True(t, ok, "log:\n%s", e.logs.String())
	assert.Equal(t, string(want.Out), string(got))
	pulls := e.botPulls()
	require.Len(t, pulls, 1)
	assert.Equal(t, lowercaseBranch, pulls[0].HeadRef)
	assert.Contains(t, e.onlyReply(issue), "lower-cases")
}

func TestFixWithoutWorkflowsPermissionLeavesNothingBehind(t *testing.T) {
	e := newEnv(t, without(fixPermissions, "workflows"))
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	pr := e.diagnosed(missingWriteScenario())
	e.command(pr, "maya", "/ghcr fix")
	assert.Empty(t, e.botBranches(), "the branch created before the refused commit is deleted")
	assert.Empty(t, e.botPulls())
	reply := e.onlyReply(pr)
	assert.Contains(t, reply, "`workflows:write`")
	assert.Contains(t, reply, "Repository permissions → Workflows")
	assert.Contains(t, reply, "nothing is left half-done")
}

func TestRetryReportsOutcomeInDiagnosis(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	s := missingWriteScenario()
	pr := e.diagnosed(s)

	e.command(pr, "maya", "/ghcr retry")
	reruns := e.fake.Reruns(org, repoName)
	require.Len(t, reruns, 1)
	assert.Equal(t, int64(7001), reruns[0].RunID)
	assert.Equal(t, "failed-jobs", reruns[0].Kind)
	reply := e.onlyReply(pr)
	assert.Contains(t, reply, "attempt 2")
	assert.Contains(t, reply, "reports the outcome in")

	// The re-run succeeds: its completed event resolves the diagnosis.
	s.workflow, s.attempt, s.conclusion, s.log = wfSeed, 2, "success", "ok\n"
	e.deliver("workflow_run", e.addRun(s))
	cs := e.markerComments(pr)
	require.Len(t, cs, 1)
	m, ok := report.ParseMarker(cs[0].Body)
	require.True(t, ok)
	assert.Equal(t, report.StateResolved, m.State)
	assert.Contains(t, strings.ToLower(cs[0].Body), "resolved")
}

func TestRecheckRepublishes(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	issue := e.diagnosed(restrictedDefaultScenario())
	before := e.fake.Issues(org, repoName)[0].Body

	// Someone switched the setting by hand; the report is out of date.
	e.fake.SetRepoWorkflowPermissions(org, repoName, "write")
	e.command(issue, "maya", "/ghcr recheck")
	var tracking []string
	for _, is := range e.fake.Issues(org, repoName) {
		if !is.IsPR {
			tracking = append(tracking, is.Body)
		}
	}
	require.Len(t, tracking, 1, "still one tracking issue")
	assert.NotEqual(t, before, tracking[0], "the report was published again with the new facts")
	assert.Contains(t, e.onlyReply(issue), "Diagnosed the run again")
}

func TestHelpAndUnknownCommands(t *testing.T) {
	e := newEnv(t, fixPermissions)
	pr := e.diagnosed(missingWriteScenario())

	e.command(pr, "stranger", "/ghcr help")
	help := e.onlyReply(pr)
	for _, c := range []string{"/ghcr fix", "/ghcr fix --dry-run", "/ghcr fix --settings", "/ghcr fix --org-settings", "/ghcr recheck", "/ghcr retry", "/ghcr help"} {
		assert.Contains(t, help, "`"+c+"`")
	}

	e.command(pr, "stranger", "/ghcr frobnicate")
	rs := e.replies(pr)
	require.Len(t, rs, 2, "an unknown command gets the help, not silence")
	assert.Contains(t, rs[1].Body, "did not understand")
	assert.Contains(t, rs[1].Body, "`/ghcr retry`")

	for _, body := range []string{"> /ghcr fix", "```\n/ghcr fix\n```", "    /ghcr fix", "/ghcrfix", "Looks good to me"} {
		id := e.command(pr, "stranger", body)
		assert.False(t, e.reacted(id), "%q is not a command", body)
	}
	assert.Len(t, e.replies(pr), 2, "no reply to non-commands")
	assert.Empty(t, e.botBranches())
}

func TestCommandWithoutDiagnosis(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	e.fake.AddIssue(org, repoName, githubfakeIssue("Unrelated"))
	e.command(1, "maya", "/ghcr fix")
	assert.Contains(t, e.onlyReply(1), "no ghcr-doctor diagnosis here")
	assert.Empty(t, e.botPulls())
}

func TestFixButtonOnCheckRun(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	pr := e.diagnosed(missingWriteScenario())
	crs := e.fake.CheckRuns(org, repoName)
	require.Len(t, crs, 1)
	require.True(t, hasAction(crs[0], report.ActionFixID))

	e.deliver("check_run", e.fake.CheckRunRequestedActionEvent(org, repoName, crs[0].ID, report.ActionFixID, "maya"))
	pulls := e.botPulls()
	require.Len(t, pulls, 1, "log:\n%s", e.logs.String())
	assert.Equal(t, fixBranch, pulls[0].HeadRef)

	reply := e.onlyReply(pr)
	assert.Contains(t, reply, "Opened pull request")
	cr := e.fake.CheckRuns(org, repoName)[0]
	assert.Contains(t, cr.Output.Summary, "pressed by")
	assert.Contains(t, cr.Output.Summary, "Opened pull request")
	m, ok := report.ParseMarker(cr.Output.Summary)
	require.True(t, ok, "the report's marker stays")
	assert.Equal(t, int64(7001), m.Run)

	// Recheck republishes without duplicating; the note stays until the report changes.
	e.deliver("check_run", e.fake.CheckRunRequestedActionEvent(org, repoName, crs[0].ID, report.ActionRecheckID, "maya"))
	assert.Len(t, e.fake.CheckRuns(org, repoName), 1)
	assert.Len(t, e.markerComments(pr), 1)
	assert.Len(t, e.replies(pr), 2)
}

func TestButtonRefusedForReader(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "rita", "read", "read")
	pr := e.diagnosed(missingWriteScenario())
	cr := e.fake.CheckRuns(org, repoName)[0]
	e.deliver("check_run", e.fake.CheckRunRequestedActionEvent(org, repoName, cr.ID, report.ActionFixID, "rita"))
	assert.Empty(t, e.botPulls())
	assert.Contains(t, e.onlyReply(pr), "**write** role")
	assert.Contains(t, e.fake.CheckRuns(org, repoName)[0].Output.Summary, "**write** role")
}

func TestFixWhenDefaultBranchAlreadyGrants(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	pr := e.diagnosed(missingWriteScenario())
	// Meanwhile the default branch got the permission.
	e.fake.SetFile(org, repoName, "main", workflowPath, []byte(wfSeed))
	e.command(pr, "maya", "/ghcr fix")
	assert.Empty(t, e.botBranches())
	assert.Empty(t, e.botPulls())
	reply := e.onlyReply(pr)
	assert.Contains(t, reply, "Nothing to change")
	assert.Contains(t, reply, "already has `packages: write` on the default branch")
}

func TestFixButtonRepliesOnTrackingIssue(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	issue := e.diagnosed(restrictedDefaultScenario())
	cr := e.fake.CheckRuns(org, repoName)[0]
	e.deliver("check_run", e.fake.CheckRunRequestedActionEvent(org, repoName, cr.ID, report.ActionFixID, "maya"))
	require.Len(t, e.botPulls(), 1, "log:\n%s", e.logs.String())
	assert.Contains(t, e.onlyReply(issue), "Opened pull request")
	assert.Contains(t, e.fake.CheckRuns(org, repoName)[0].Output.Summary, "Opened pull request")
}

// TestReplayedButtonPressRunsOnce: the delivery id header is not signed, so
// the same signed body delivered again under a new delivery id is the same
// press and runs once.
func TestReplayedButtonPressRunsOnce(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "write")
	pr := e.diagnosed(missingWriteScenario())
	crs := e.fake.CheckRuns(org, repoName)
	require.Len(t, crs, 1)

	press := e.fake.CheckRunRequestedActionEvent(org, repoName, crs[0].ID, report.ActionRecheckID, "maya")
	first := e.deliver("check_run", press)
	replay := e.deliver("check_run", press)
	require.NotEqual(t, first.GUID, replay.GUID)
	assert.Len(t, e.replies(pr), 1, "log:\n%s", e.logs.String())
}

// TestFixLargeWorkflow: GitHub's contents API answers a file over 1 MB with
// encoding "none" and no content; the fix reads it from its raw URL, as the
// diagnosis does.
func TestFixLargeWorkflow(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "maintain")
	padding := strings.Repeat("# a long comment kept at the end of a generated workflow\n", (1<<20)/56+100)
	s := missingWriteScenario()
	s.workflow = wfJobPermsWithoutPackages + padding
	require.Greater(t, len(s.workflow), 1<<20)
	pr := e.diagnosed(s)

	e.command(pr, "maya", "/ghcr fix")
	want, err := workflow.AddPackagesWrite([]byte(s.workflow), "build")
	require.NoError(t, err)
	got, ok := e.fake.FileAt(org, repoName, fixBranch, workflowPath)
	require.True(t, ok, "branch %s holds the workflow; log:\n%s", fixBranch, e.logs.String())
	assert.Equal(t, string(want.Out), string(got), "the branch holds exactly the minimal edit")
	require.Len(t, e.botPulls(), 1)
	assert.Contains(t, e.onlyReply(pr), "Opened pull request")
}

// TestConcurrentFixesLeaveOneFix: commands on one repository run one at a
// time, so fixes asked for at once end with one pull request whose branch
// holds the fix (they used to reset and then delete each other's branch).
func TestConcurrentFixesLeaveOneFix(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "maya", "write", "maintain")
	pr := e.diagnosed(missingWriteScenario())

	const fixes = 4
	payloads := make([][]byte, fixes)
	for i := range payloads {
		payloads[i] = e.fake.IssueCommentEvent(org, repoName, pr, 0, "maya", "/ghcr fix", "created", true)
	}
	var wg sync.WaitGroup
	for _, payload := range payloads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.fake.Deliver(context.Background(), "issue_comment", payload)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	require.NoError(t, e.srv.WaitIdle())

	pulls := e.botPulls()
	require.Len(t, pulls, 1, "log:\n%s", e.logs.String())
	assert.Equal(t, fixBranch, pulls[0].HeadRef)
	want, err := workflow.AddPackagesWrite([]byte(wfJobPermsWithoutPackages), "build")
	require.NoError(t, err)
	got, ok := e.fake.FileAt(org, repoName, fixBranch, workflowPath)
	require.True(t, ok, "the fix branch is intact; branches: %v", e.fake.Branches(org, repoName))
	assert.Equal(t, string(want.Out), string(got))
	assert.Len(t, e.replies(pr), fixes, "each command is answered")
}

// TestFixReadsTheOrganisationConfigOnce: a fix with organisation settings
// reads the organisation's configuration file once.
func TestFixReadsTheOrganisationConfigOnce(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.AddRepo(githubfakeRepo(".github"))
	e.fake.SetFile(org, ".github", "main", configPath, []byte(orgOptInFile))
	e.fake.SetOrgMember(org, "olga", "admin")
	issue := e.diagnosed(orgCapScenario())
	e.fake.ResetRequests()

	e.command(issue, "olga", "/ghcr fix --org-settings")
	assert.Equal(t, "write", e.fake.OrgWorkflowPermissions(org))
	assert.Equal(t, 1, e.fake.CountRequests("GET", "/repos/"+org+"/.github/contents/"+configPath), "requests:\n%v", e.fake.Requests())
}

// TestRefusedButtonReadsTheRunOnce: a press refused before its run is read
// finds where to reply (no pull request, so the tracking issue) reading the
// run once.
func TestRefusedButtonReadsTheRunOnce(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "rita", "read", "read")
	issue := e.diagnosed(restrictedDefaultScenario())
	cr := e.fake.CheckRuns(org, repoName)[0]
	e.fake.ResetRequests()

	e.deliver("check_run", e.fake.CheckRunRequestedActionEvent(org, repoName, cr.ID, report.ActionFixID, "rita"))
	assert.Empty(t, e.botPulls())
	assert.Len(t, e.replies(issue), 1, "log:\n%s", e.logs.String())
	assert.Equal(t, 1, e.fake.CountRequests("GET", "/repos/"+org+"/"+repoName+"/actions/runs/7001"), "requests:\n%v", e.fake.Requests())
}
