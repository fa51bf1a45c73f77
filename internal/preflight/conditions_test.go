package preflight

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEvalGate(t *testing.T) {
	tests := []struct {
		cond               string
		forkRuns, depsOnly bool
	}{
		{"", true, false},
		{"github.event_name != 'pull_request'", false, false},
		{"${{ github.event_name != 'pull_request' }}", false, false},
		{"github.event_name == 'push'", false, false},
		{"github.event_name == 'pull_request'", true, false},
		{"github.event_name == 'push' || github.event_name == 'release'", false, false},
		{"github.event_name == 'push' || github.event_name == 'pull_request'", true, false},
		{"github.ref == 'refs/heads/main'", false, false},
		{"startsWith(github.ref, 'refs/tags/v')", false, false},
		{"github.event.pull_request.head.repo.full_name == github.repository", false, false},
		{"github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository", false, false},
		{"!github.event.pull_request.head.repo.fork", false, false},
		{"github.actor == 'dependabot[bot]'", false, true},
		{"github.actor != 'dependabot[bot]'", true, false},
		{"success() && github.repository == 'acme/app'", true, false},
		{"contains(github.event.pull_request.labels.*.name, 'preview')", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			g := evalGate(tt.cond)
			assert.Equal(t, tt.forkRuns, g.forkRuns(), "fork runs")
			assert.Equal(t, tt.depsOnly, g.dependabotOnly, "Dependabot only")
		})
	}
}

func TestGatesCombine(t *testing.T) {
	job := evalGate("github.event_name == 'push'")
	step := evalGate("")
	assert.False(t, step.and(job).forkRuns())
	assert.True(t, step.and(evalGate("always()")).forkRuns())
}
