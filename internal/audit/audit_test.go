package audit

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

func orgRepo(name string, n int, files map[string]string) *fakeRepo {
	return &fakeRepo{Repository: Repository{Owner: "acme", Name: name, OwnerIsOrg: true, DefaultBranch: "main"}, files: files, head: sha(n)}
}

// TestOrgAuditListsPublishingJobs: every repository of the organisation
// is read once, archived ones and forks are skipped, jobs that publish
// nowhere are left out, and each finding links to its line at the head.
func TestOrgAuditListsPublishingJobs(t *testing.T) {
	archived := orgRepo("old", 3, map[string]string{wfPath("release.yml"): workflow("push=missing_packages_write")})
	archived.Archived = true
	fork := orgRepo("forked", 4, map[string]string{wfPath("release.yml"): workflow("push=missing_packages_write")})
	fork.Fork = true
	src := &fakeSource{repoDefault: "read", orgDefault: "read", repos: []*fakeRepo{
		orgRepo("web", 1, map[string]string{
			wfPath("release.yml"): workflow("image=missing_packages_write", "test=not_publishing"),
			wfPath("ci.yaml"):     workflow("lint=not_publishing"),
			wfPath("README.md"):   "not a workflow",
		}),
		orgRepo("api", 2, map[string]string{wfPath("publish.yml"): workflow("npm=ok", "chart=unknown")}),
		orgRepo("docs", 5, map[string]string{"README.md": "# docs"}),
		archived, fork,
	}}
	an := &scriptedAnalysis{}
	a := &Auditor{Source: src, Analyze: an.analyze, WebURL: "https://github.com"}

	rep, err := a.Org(context.Background(), "acme")
	require.NoError(t, err)

	type row struct{ repo, file, job, verdict, url string }
	var got []row
	for _, f := range rep.Findings {
		got = append(got, row{f.Repository, f.File, f.Job, string(f.Verdict), f.URL})
	}
	assert.Equal(t, []row{
		{"acme/api", wfPath("publish.yml"), "npm", "ok", "https://github.com/acme/api/blob/" + sha(2) + "/.github/workflows/publish.yml#L2"},
		{"acme/api", wfPath("publish.yml"), "chart", "unknown", "https://github.com/acme/api/blob/" + sha(2) + "/.github/workflows/publish.yml#L3"},
		{"acme/web", wfPath("release.yml"), "image", "missing_packages_write", "https://github.com/acme/web/blob/" + sha(1) + "/.github/workflows/release.yml#L2"},
	}, got)
	require.Len(t, rep.AtRisk(), 1)
	assert.Equal(t, "image", rep.AtRisk()[0].Job)
	require.Len(t, rep.Unknown(), 1)
	assert.Equal(t, "chart", rep.Unknown()[0].Job)

	outcomes := map[string]RepoOutcome{}
	for _, o := range rep.Repos {
		outcomes[o.Repository] = o
	}
	assert.Equal(t, SkippedArchived, outcomes["acme/old"].Skipped)
	assert.Equal(t, SkippedFork, outcomes["acme/forked"].Skipped)
	assert.Equal(t, 2, outcomes["acme/web"].Workflows)
	assert.Equal(t, 0, outcomes["acme/docs"].Workflows)
	assert.Equal(t, 1, src.count("list-dir acme/docs:"), "a repository without workflows costs one listing")
	assert.Zero(t, src.count("list-dir acme/old"), "archived repositories are not read")
	assert.Zero(t, src.count("list-dir acme/forked"), "forks are not read by default")
	assert.Equal(t, 3, src.count("get-file "), "each workflow file is read once, nothing else")
	assert.Equal(t, 1, src.count("org-default acme"), "the organisation's default is read once")
	assert.Equal(t, len(src.calls), rep.Reads)

	in, ok := an.inputFor("acme/web", wfPath("release.yml"))
	require.True(t, ok)
	assert.Equal(t, preflight.Settings{Owner: "acme", Repo: "web", OwnerIsOrg: true, RepoDefault: "read", OrgDefault: "read"}, in.Settings)
}

func TestForksAreAuditedWhenAskedFor(t *testing.T) {
	fork := orgRepo("forked", 4, map[string]string{wfPath("release.yml"): workflow("push=missing_packages_write")})
	fork.Fork = true
	src := &fakeSource{repos: []*fakeRepo{fork}}
	a := &Auditor{Source: src, Analyze: (&scriptedAnalysis{}).analyze, IncludeForks: true}
	rep, err := a.Org(context.Background(), "acme")
	require.NoError(t, err)
	require.Len(t, rep.AtRisk(), 1)
}

// TestToolFilesAreReadOnlyWhenAWorkflowNeedsThem: package.json and .npmrc
// for npm, .goreleaser.y*ml for GoReleaser, each only if the root listing
// has it, and handed to the analysis of every workflow of the repository.
func TestToolFilesAreReadOnlyWhenAWorkflowNeedsThem(t *testing.T) {
	tests := []struct {
		name       string
		workflow   string
		root       map[string]string
		wantFiles  []string
		wantListed bool
	}{
		{name: "npm publish", workflow: "steps:\n  - run: npm publish\n" + workflow("npm=ok"),
			root: map[string]string{"package.json": "{}", ".npmrc": "x", ".goreleaser.yml": "y"}, wantFiles: []string{".npmrc", "package.json"}, wantListed: true},
		{name: "goreleaser", workflow: "uses: goreleaser/goreleaser-action@v6\n" + workflow("rel=ok"),
			root: map[string]string{"package.json": "{}", ".goreleaser.yaml": "y"}, wantFiles: []string{".goreleaser.yaml"}, wantListed: true},
		{name: "setup-node without a package.json", workflow: "uses: actions/setup-node@v4\n" + workflow("n=ok"),
			root: map[string]string{"go.mod": "module x"}, wantFiles: nil, wantListed: true},
		{name: "gradle", workflow: "run: ./gradlew publish\n" + workflow("jar=ok"),
			root: map[string]string{"build.gradle.kts": "x", "pom.xml": "y", "package.json": "{}"}, wantFiles: []string{"build.gradle.kts", "pom.xml"}, wantListed: true},
		{name: "docker only", workflow: "run: docker push ghcr.io/acme/app\n" + workflow("img=ok"),
			root: map[string]string{"package.json": "{}"}, wantFiles: nil, wantListed: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{wfPath("release.yml"): tt.workflow}
			for k, v := range tt.root {
				files[k] = v
			}
			src := &fakeSource{repos: []*fakeRepo{orgRepo("app", 7, files)}}
			an := &scriptedAnalysis{}
			_, err := (&Auditor{Source: src, Analyze: an.analyze}).Repo(context.Background(), "acme", "app")
			require.NoError(t, err)
			in, ok := an.inputFor("acme/app", wfPath("release.yml"))
			require.True(t, ok)
			var got []string
			for k := range in.Files {
				if k != wfPath("release.yml") {
					got = append(got, k)
				}
			}
			assert.Contains(t, in.Files, wfPath("release.yml"), "the workflows, for the jobs that call one")
			assert.ElementsMatch(t, tt.wantFiles, got)
			assert.Equal(t, tt.wantListed, src.count("list-dir acme/app:@") == 1, "the root is listed only when a tool file is wanted")
			assert.Equal(t, 1+len(tt.wantFiles), src.count("get-file "), "the workflow, then each wanted file that exists, once")
		})
	}
}

// TestUnreadableSettingsStayUnknownAndAreAskedOnce: without the permission
// to read default workflow permissions, the first refusal stops the
// questions for the other repositories, and the analysis is told unknown.
func TestUnreadableSettingsStayUnknownAndAreAskedOnce(t *testing.T) {
	src := &fakeSource{}
	for i, name := range []string{"a", "b", "c", "d", "e"} {
		src.repos = append(src.repos, orgRepo(name, i, map[string]string{wfPath("r.yml"): workflow("j=ok")}))
	}
	an := &scriptedAnalysis{}
	_, err := (&Auditor{Source: src, Analyze: an.analyze, Concurrency: 1}).Org(context.Background(), "acme")
	require.NoError(t, err)
	assert.Equal(t, 1, src.count("repo-default "), "a refusal is not asked again")
	assert.Equal(t, 1, src.count("org-default "))
	for _, in := range an.inputs {
		assert.Empty(t, in.Settings.RepoDefault)
		assert.Empty(t, in.Settings.OrgDefault)
	}
}

// TestFilesThatCannotBeReadOrAnalysedAreUnknown: never silently dropped.
func TestFilesThatCannotBeReadOrAnalysedAreUnknown(t *testing.T) {
	src := &fakeSource{repos: []*fakeRepo{orgRepo("app", 1, map[string]string{
		wfPath("a.yml"): workflow("ok=ok"),
		wfPath("b.yml"): "# broken\n",
		wfPath("c.yml"): workflow("x=ok"),
	})}, unreadable: map[string]bool{"acme/app:" + wfPath("c.yml"): true}}
	rep, err := (&Auditor{Source: src, Analyze: (&scriptedAnalysis{}).analyze, WebURL: "https://ghe.example.com/"}).Repo(context.Background(), "acme", "app")
	require.NoError(t, err)
	unknown := rep.Unknown()
	require.Len(t, unknown, 2)
	assert.Equal(t, wfPath("b.yml"), unknown[0].File)
	assert.Contains(t, unknown[0].Reason, "could not be analysed")
	assert.Equal(t, "https://ghe.example.com/acme/app/blob/"+sha(1)+"/.github/workflows/b.yml", unknown[0].URL, "no line: a link to the file")
	assert.Equal(t, wfPath("c.yml"), unknown[1].File)
	assert.Contains(t, unknown[1].Reason, "could not be read")
}

func TestConcurrencyIsBounded(t *testing.T) {
	src := &fakeSource{}
	for i := range 20 {
		src.repos = append(src.repos, orgRepo("r"+sha(i)[:1]+string(rune('a'+i)), i, map[string]string{wfPath("r.yml"): workflow("j=ok")}))
	}
	var progress []int
	a := &Auditor{Source: src, Analyze: (&scriptedAnalysis{}).analyze, Concurrency: 3,
		Progress: func(done, total int, _ string) { progress = append(progress, done); assert.Equal(t, 20, total) }}
	rep, err := a.Org(context.Background(), "acme")
	require.NoError(t, err)
	assert.Len(t, rep.Findings, 20)
	assert.LessOrEqual(t, src.maxInFlight.Load(), int64(3))
	assert.Len(t, progress, 20)
	assert.Equal(t, 20, progress[len(progress)-1])
}

func TestARepositoryAskedForByNameIsAuditedEvenArchived(t *testing.T) {
	r := orgRepo("old", 1, map[string]string{wfPath("r.yml"): workflow("j=uppercase_name")})
	r.Archived = true
	src := &fakeSource{repos: []*fakeRepo{r}}
	rep, err := (&Auditor{Source: src, Analyze: (&scriptedAnalysis{}).analyze}).Repo(context.Background(), "acme", "old")
	require.NoError(t, err)
	assert.Equal(t, "acme/old", rep.Scope)
	require.Len(t, rep.AtRisk(), 1)

	_, err = (&Auditor{Source: src, Analyze: (&scriptedAnalysis{}).analyze}).Repo(context.Background(), "acme", "missing")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "acme/missing")
}
