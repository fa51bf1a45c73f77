package handlers

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// TestCheckRunRerunRechecks: GitHub's "Re-run" button on ghcr-doctor's
// check run (action rerequested) queues a recheck; on another App's check
// run, or from a bot, it does nothing.
func TestCheckRunRerunRechecks(t *testing.T) {
	tests := []struct {
		name, checkRun, user, typ string
		want                      bool
	}{
		{"ghcr-doctor's check run", report.CheckRunName, "maya", "User", true},
		{"another check run", "lint", "maya", "User", false},
		{"a bot", report.CheckRunName, "robot", "Bot", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &captureQueue{}
			h := &CheckRun{Base: Base{Queue: q}}
			require.NoError(t, h.Handle(context.Background(), "check_run", "d3", checkRunEventAction(t, "rerequested", tt.checkRun, "", tt.user, tt.typ)))
			if !tt.want {
				assert.Empty(t, q.jobs)
				return
			}
			require.Len(t, q.jobs, 1)
			var req commands.Request
			require.NoError(t, json.Unmarshal(q.jobs[0].Payload, &req))
			require.Len(t, req.Commands, 1)
			assert.Equal(t, commands.VerbRecheck, req.Commands[0].Verb)
			assert.Equal(t, commands.EventRerequested, req.Event)
			require.NotNil(t, req.CheckRun)
			assert.Equal(t, int64(55), req.CheckRun.ID)
			assert.Equal(t, commands.Allowed, commands.Authorize(commands.Subject{Event: req.Event, Sender: req.Sender, Role: commands.RoleWrite}, commands.ActionRecheck).Outcome,
				"a person with write access may recheck through Re-run")
		})
	}
}
