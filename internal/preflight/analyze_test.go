package preflight

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

func TestAnalyzeRejectsWhatIsNotAWorkflow(t *testing.T) {
	for name, src := range map[string]string{
		"not yaml":      "jobs: [",
		"no jobs":       "name: x\non: push\n",
		"jobs a string": "on: push\njobs: build\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Analyze(Input{Path: "x.yml", Source: []byte(src)})
			var pe *workflow.ParseError
			require.Error(t, err)
			assert.True(t, errors.As(err, &pe), "wraps workflow.ParseError: %v", err)
			assert.Contains(t, err.Error(), "x.yml")
		})
	}
}

// TestApplyingTheEditMakesTheJobOK: every golden job found missing
// packages: write with an edit becomes ok (or keeps only a later verdict)
// once the edit is applied: the suggestion is a real fix.
func TestApplyingTheEditMakesTheJobOK(t *testing.T) {
	edits := 0
	for _, c := range loadGolden(t) {
		results, err := Analyze(c.input)
		require.NoError(t, err)
		for _, r := range results {
			if r.Verdict != MissingPackagesWrite || r.Edit == nil {
				continue
			}
			edits++
			want, err := workflow.AddPackagesWrite(c.input.Source, r.Job)
			require.NoError(t, err)
			assert.Equal(t, want.Out, r.Edit.Out, "%s job %s: the edit is AddPackagesWrite's", c.name, r.Job)

			fixed := c.input
			fixed.Source = r.Edit.Out
			after, err := Analyze(fixed)
			require.NoError(t, err)
			for _, a := range after {
				if a.Job != r.Job {
					continue
				}
				assert.NotEqual(t, MissingPackagesWrite, a.Verdict, "%s job %s after the edit: %s", c.name, r.Job, describe(a))
				for _, p := range a.Problems {
					assert.NotEqual(t, MissingPackagesWrite, p.Verdict, "%s job %s", c.name, r.Job)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, edits, 8, "the golden set has jobs the edit fixes")
}

func TestEditOnlyForMissingPackagesWrite(t *testing.T) {
	for _, c := range loadGolden(t) {
		results, err := Analyze(c.input)
		require.NoError(t, err)
		for _, r := range results {
			if r.Verdict != MissingPackagesWrite {
				assert.Nil(t, r.Edit, "%s job %s (%s) has no edit", c.name, r.Job, r.Verdict)
			}
		}
	}
}

const twoProblems = `on:
  push:
    branches: [main]
jobs:
  image:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/other/App:latest
`

func TestPrecedence(t *testing.T) {
	results, err := Analyze(Input{Path: "w.yml", Source: []byte(twoProblems), Settings: Settings{Owner: "acme", RepoDefault: "read"}})
	require.NoError(t, err)
	require.Len(t, results, 1)
	r := results[0]
	var got []Verdict
	for _, p := range r.Problems {
		got = append(got, p.Verdict)
	}
	assert.Equal(t, []Verdict{MissingPackagesWrite, NamespaceMismatch, UppercaseName}, got)
	assert.Equal(t, MissingPackagesWrite, r.Verdict)
	assert.Equal(t, 7, r.Line, "the permissions line decides")
	assert.Equal(t, r.Problems[0].Reason, r.Reason)
	assert.Equal(t, []string{"ghcr.io"}, r.PublishesTo)
}

func TestPrecedenceOrder(t *testing.T) {
	order := []Verdict{MissingPackagesWrite, ForkPRPush, Dependabot, NamespaceMismatch, UppercaseName, Unknown, PATLogin, OK, NotPublishing}
	for i := 1; i < len(order); i++ {
		assert.Less(t, rank(order[i-1]), rank(order[i]), "%s before %s", order[i-1], order[i])
	}
	ps := []Problem{{Verdict: PATLogin, Line: 3}, {Verdict: Unknown, Line: 9}, {Verdict: UppercaseName, Line: 5}, {Verdict: Unknown, Line: 2}}
	sortProblems(ps)
	assert.Equal(t, []Problem{{Verdict: UppercaseName, Line: 5}, {Verdict: Unknown, Line: 2}, {Verdict: Unknown, Line: 9}, {Verdict: PATLogin, Line: 3}}, ps)
}

func TestSettingsDecideTheToken(t *testing.T) {
	src := []byte(`on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io -u x --password-stdin
          docker push ghcr.io/acme/app:1
`)
	tests := []struct {
		repo, org string
		want      Verdict
		reason    string
	}{
		{"read", "", MissingPackagesWrite, "default workflow permissions (read)"},
		{"write", "", OK, ""},
		{"write", "read", MissingPackagesWrite, "organisation's read-only default"},
		{"", "", Unknown, "could not be read"},
		{"", "write", OK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.repo+"/"+tt.org, func(t *testing.T) {
			rs, err := Analyze(Input{Path: "w.yml", Source: src, Settings: Settings{RepoDefault: tt.repo, OrgDefault: tt.org}})
			require.NoError(t, err)
			assert.Equal(t, tt.want, rs[0].Verdict, describe(rs[0]))
			assert.Contains(t, rs[0].Reason, tt.reason)
		})
	}
}
