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
		// Forms seen in real workflows.
		{"github.repository == github.event.pull_request.head.repo.full_name", false, false},
		{"github.event.pull_request.head.repo.full_name == 'acme/app'", false, false},
		{"github.event.pull_request.head.repo.fork == false", false, false},
		{"github.event.pull_request.head.repo.fork != true", false, false},
		{"github.event.pull_request.head.repo.owner.login == github.repository_owner", false, false},
		{"github.ref_name == 'main'", false, false},
		{"github.ref_type == 'tag'", false, false},
		{"contains(github.ref, 'refs/tags/')", false, false},
		{"github.ref == format('refs/heads/{0}', github.event.repository.default_branch)", false, false},
		{"${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}", false, false},
		{"(github.event_name == 'pull_request' || github.event_name == 'push') && github.ref == 'refs/heads/main'", false, false},
		{"github.event_name == 'push' || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository)", false, false},
		{"${{\n  github.event_name != 'pull_request' &&\n  !contains(github.ref, 'dependabot')\n}}", false, false},
		{"github.event_name != 'pull_request'\n&& github.actor != 'dependabot[bot]'", false, false},
		{"success() && github.event_name != 'pull_request'", false, false},
		{"always() && (github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/v'))", false, false},
		{"startsWith(github.head_ref, 'dependabot/')", false, true},
		{"github.actor == 'dependabot[bot]' && github.event_name == 'pull_request'", false, true},
		// Negations and look-alikes that do not exclude pull requests.
		{"!startsWith(github.ref, 'refs/tags/')", true, false},
		{"!(github.event_name == 'push')", true, false},
		{"github.ref != 'refs/heads/main'", true, false},
		{"github.event.pull_request.head.repo.full_name != github.repository", true, false},
		{"github.repository_owner == 'acme'", true, false},
		{"github.event_name == 'pull_request' && github.event.pull_request.merged == true", true, false},
		{"inputs.publish", true, false},
		{"${{ inputs.publish }} && true", true, false},
		{"github.event_name == 'pull_request' ||", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			g := evalGate(tt.cond)
			assert.Equal(t, tt.forkRuns, g.forkRuns(), "fork runs")
			assert.Equal(t, tt.depsOnly, g.dependabotOnly, "Dependabot only")
		})
	}
}

func TestEvalPushGate(t *testing.T) {
	tests := []struct {
		push     string
		forkRuns bool
	}{
		{"${{ github.event_name != 'pull_request' }}", false},
		{"${{ github.event_name != 'pull_request' && 'true' || 'false' }}", false},
		{"${{ github.event_name == 'push' && 'true' || 'false' }}", false},
		{"${{ startsWith(github.ref, 'refs/tags/') }}", false},
		{"${{ github.ref == 'refs/heads/main' }}", false},
		{"${{ !github.event.pull_request.head.repo.fork }}", false},
		{"${{ github.event_name == 'pull_request' && 'false' || 'true' }}", false},
		{"${{ github.event_name == 'pull_request' }}", true},
		{"${{ inputs.push }}", true},
		{"${{ github.event_name != 'pull_request' || 'true' }}", true},
	}
	for _, tt := range tests {
		t.Run(tt.push, func(t *testing.T) {
			assert.Equal(t, tt.forkRuns, evalPushGate(tt.push).forkRuns())
		})
	}
}

// TestUnsureGates: a condition that only values unknown before the run
// decide (inputs, variables, step outputs), or one that cannot be read,
// leaves fork and Dependabot runs open — reported as unknown, never as a
// refusal; the status functions are read on the path where earlier steps
// succeeded.
func TestUnsureGates(t *testing.T) {
	tests := []struct {
		cond       string
		forkRuns   bool
		forkUnsure bool
	}{
		{"", true, false},
		{"success()", true, false},
		{"always()", true, false},
		{"failure()", false, false},
		{"${{ vars.PUBLISH == 'true' }}", true, true},
		{"steps.meta.outputs.push == 'true'", true, true},
		{"success() && inputs.publish", true, true},
		{"github.event_name == 'push' && vars.PUBLISH == 'true'", false, false},
		{"${{ github.event_name != 'pull_request' || vars.FORCE }}", true, true},
		{"${{ github.event_name == 'pull_request' }}", true, false},
		{"${{ unbalanced(", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			g := evalGate(tt.cond)
			assert.Equal(t, tt.forkRuns, g.forkRuns(), "fork runs")
			assert.Equal(t, tt.forkUnsure, g.forkUnsure, "fork runs only by unknown values")
		})
	}
	assert.True(t, evalGate("").and(evalGate("vars.X")).forkUnsure, "an unsure step condition makes the publish unsure")
	assert.False(t, evalGate("github.event_name == 'push'").and(evalGate("vars.X")).forkUnsure, "a job that never runs on pull requests is not unsure")
}

func TestGatesCombine(t *testing.T) {
	job := evalGate("github.event_name == 'push'")
	step := evalGate("")
	assert.False(t, step.and(job).forkRuns())
	assert.True(t, step.and(evalGate("always()")).forkRuns())
}
