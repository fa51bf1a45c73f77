package server

import (
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/doctor"
	"github.com/ghcr-doctor/ghcr-doctor/internal/handlers"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// remedyJobs are the background job kinds of `/ghcr` commands.
func remedyJobs(_ *doctor.Doctor, _ *installationClients) map[string]queue.Handler {
	return nil
}

// remedyEvents are the webhook handlers of `/ghcr` commands.
func remedyEvents(_ handlers.Base) []githubapp.EventHandler {
	return nil
}
