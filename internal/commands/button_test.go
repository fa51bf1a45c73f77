package commands

import (
	"context"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// TestButtonReplyTargetsInOrder: a button's reply goes to the run's pull
// requests, else to the issues the reports went to, in the same order
// every time.
func TestButtonReplyTargetsInOrder(t *testing.T) {
	pushRun := diagnose.Run{ID: 7, Path: planPath, Event: "push"}
	published := map[int]bool{}
	for n := 40; n > 20; n-- {
		published[n] = true
	}
	tests := []struct {
		name      string
		run       diagnose.Run
		published map[int]bool
		want      []int
	}{
		{"pull requests first, as listed", diagnose.Run{ID: 7, Path: planPath, Event: "pull_request", PullRequests: []int{9, 3, 9}}, published, []int{9, 3}},
		{"else the issues reported to, in order", pushRun, published,
			[]int{21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := zerolog.Nop()
			x := &execution{req: Request{Repo: diagnose.Repo{Owner: "acme", Name: "app"}}, log: &log, published: tt.published}
			secs := []section{{Runs: []runSection{{Run: tt.run}}}}
			assert.Equal(t, tt.want, x.buttonReplyTargets(context.Background(), secs))
		})
	}
}
