package preflight

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

func TestWithInputs(t *testing.T) {
	caller := &workflow.Job{ID: "call", With: map[string]workflow.Value{
		"publish": {Str: "${{ github.event_name == 'push' }}"},
		"flag":    {Str: "True"},
		"name":    {Str: "it's"},
		"tmpl":    {Str: "v${{ github.sha }}"},
	}}
	tests := []struct{ cond, want string }{
		{"inputs.publish", "(github.event_name == 'push')"},
		{"${{ inputs.publish && inputs.flag }}", "${{ (github.event_name == 'push') && true }}"},
		{"inputs.name == 'x'", "'it''s' == 'x'"},
		{"inputs.tmpl != ''", "inputs.unknown != ''"},
		{"inputs.other", "inputs.other"},
		{"github.event_name == 'push'", "github.event_name == 'push'"},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			assert.Equal(t, tt.want, runs{caller: caller}.withInputs(tt.cond))
		})
	}
	assert.Equal(t, "inputs.publish", runs{}.withInputs("inputs.publish"), "the file's own jobs have no caller")
}
