package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommandAuthorisationMatrix gives every command as people with each
// role and checks what was allowed, what was refused with the role named,
// and that refused commands changed nothing.
func TestCommandAuthorisationMatrix(t *testing.T) {
	commands := []string{"/ghcr help", "/ghcr fix --dry-run", "/ghcr recheck", "/ghcr fix", "/ghcr fix --org-settings", "/ghcr fix --settings", "/ghcr retry"}
	// needs is the role each command needs, in the order above.
	needs := []string{"", "", "write", "write", "owner", "admin", "write"}
	tests := []struct {
		name string
		user string
		// setup gives the user their role.
		setup func(e *env)
		// rank: 0 none/read/triage, 1 write/maintain, 2 admin, 3 org owner.
		rank    int
		edited  bool
		ignored bool
	}{
		{name: "organisation owner", user: "olga", setup: func(e *env) { e.fake.SetOrgMember(org, "olga", "admin") }, rank: 3},
		{name: "admin", user: "ada", setup: func(e *env) { e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin") }, rank: 2},
		{name: "maintain", user: "max", setup: func(e *env) { e.fake.SetCollaborator(org, repoName, "max", "write", "maintain") }, rank: 1},
		{name: "write", user: "will", setup: func(e *env) { e.fake.SetCollaborator(org, repoName, "will", "write", "write") }, rank: 1},
		{name: "custom role based on write", user: "cus", setup: func(e *env) { e.fake.SetCollaborator(org, repoName, "cus", "write", "release-manager") }, rank: 1},
		{name: "triage", user: "tom", setup: func(e *env) { e.fake.SetCollaborator(org, repoName, "tom", "read", "triage") }, rank: 0},
		{name: "read", user: "rita", setup: func(e *env) { e.fake.SetCollaborator(org, repoName, "rita", "read", "read") }, rank: 0},
		{name: "no role", user: "nobody", setup: func(*env) {}, rank: 0},
		{name: "bot", user: "renovate[bot]", setup: func(*env) {}, ignored: true},
		{name: "edited comment", user: "ada", setup: func(e *env) { e.fake.SetCollaborator(org, repoName, "ada", "admin", "admin") }, edited: true, ignored: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fixPermissions)
			e.fake.SetFile(org, repoName, "main", configPath, []byte(optIn))
			e.fake.AddRepo(githubfakeRepo(".github"))
			e.fake.SetFile(org, ".github", "main", configPath, []byte(orgOptInFile))
			tt.setup(e)
			issue := e.diagnosed(orgCapScenario())
			before := len(e.fake.Requests())
			for _, c := range commands {
				if tt.edited {
					id := e.command(issue, tt.user, "typo")
					e.deliver("issue_comment", e.fake.IssueCommentEvent(org, repoName, issue, id, tt.user, c, "edited", false))
					assert.False(t, e.reacted(id))
					continue
				}
				id := e.command(issue, tt.user, c)
				assert.Equal(t, !tt.ignored, e.reacted(id), "reaction to %q", c)
			}
			if tt.ignored {
				assert.Empty(t, e.replies(issue), "ignored without a reply")
				assert.Empty(t, e.writesSince(before), "and without any write")
				audit := strings.Join(e.auditLines(), "\n")
				assert.Equal(t, len(commands), strings.Count(audit, `"decision":"ignored"`), "every ignored command is audited:\n%s", audit)
				return
			}
			replies := e.replies(issue)
			require.Len(t, replies, len(commands), "log:\n%s", e.logs.String())
			for i, c := range commands {
				allowed := map[string]bool{"": true, "write": tt.rank >= 1, "admin": tt.rank >= 2, "owner": tt.rank >= 3}[needs[i]]
				body := replies[i].Body
				refused := strings.Contains(body, "⛔")
				assert.Equal(t, !allowed, refused, "%s by %s:\n%s", c, tt.name, body)
				if refused && needs[i] == "owner" {
					assert.Contains(t, body, "owner of the organisation")
				} else if refused {
					assert.Contains(t, body, "**"+needs[i]+"** role", "the refusal names the role")
					assert.Contains(t, body, "Nothing was changed")
				}
			}
			audit := strings.Join(e.auditLines(), "\n")
			assert.Contains(t, audit, `"actor":"`+tt.user+`"`)
			if tt.rank < 1 {
				assert.Contains(t, audit, `"decision":"refused"`)
			}

			assert.Equal(t, tt.rank >= 1, len(e.botPulls()) == 1, "fix pull request")
			assert.Equal(t, tt.rank >= 1, len(e.fake.Reruns(org, repoName)) == 1, "re-run")
			wantOrg := "read"
			if tt.rank >= 3 {
				wantOrg = "write"
			}
			assert.Equal(t, wantOrg, e.fake.OrgWorkflowPermissions(org), "organisation setting")
			if tt.rank < 2 {
				assert.Equal(t, "read", e.fake.RepoWorkflowPermissions(org, repoName), "repository setting")
			}
			if tt.rank == 3 {
				assert.Equal(t, "write", e.fake.RepoWorkflowPermissions(org, repoName), "repository setting")
			}
		})
	}
}

// TestForkAuthorCannotChangeBaseRepository: the author of a fork pull
// request, with read access to the base repository, is refused; a
// maintainer's /ghcr fix changes nothing either, since the fix is not a
// change the bot may make; the fork is never touched.
func TestForkAuthorCannotChangeBaseRepository(t *testing.T) {
	e := newEnv(t, fixPermissions)
	e.fake.SetCollaborator(org, repoName, "contributor", "read", "read")
	e.fake.SetCollaborator(org, repoName, "max", "write", "maintain")
	pr := e.diagnosed(forkScenario())
	before := len(e.fake.Requests())

	e.command(pr, "contributor", "/ghcr fix")
	e.command(pr, "contributor", "/ghcr retry")
	e.command(pr, "max", "/ghcr fix")
	rs := e.replies(pr)
	require.Len(t, rs, 3)
	assert.Contains(t, rs[0].Body, "**write** role")
	assert.Contains(t, rs[0].Body, "@contributor has the read role")
	assert.Contains(t, rs[1].Body, "**write** role")
	assert.Contains(t, rs[2].Body, "Only a person can do this")
	assert.Empty(t, e.botBranches())
	assert.Empty(t, e.botPulls())
	assert.Empty(t, e.fake.Reruns(org, repoName))
	for _, w := range e.writesSince(before) {
		assert.True(t, strings.HasSuffix(w, "/reactions") || strings.HasSuffix(w, "/issues/31/comments"), "only reactions and replies: %s", w)
		assert.NotContains(t, w, "contributor/")
	}
}
