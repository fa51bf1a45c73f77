package server

import (
	"context"
	"fmt"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/handlers"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// remedyJobs are the background job kinds of `/ghcr` commands.
func remedyJobs(doc *triage.Doctor, clients *installationClients) map[string]queue.Handler {
	svc := &commands.Service{Clients: remedyClients{clients}, Doctor: doc, WebURL: doc.WebURL, BotLogin: clients.BotLogin}
	return map[string]queue.Handler{handlers.KindCommand: handlers.CommandJob(svc)}
}

// remedyEvents are the webhook handlers of `/ghcr` commands.
func remedyEvents(base handlers.Base) []githubapp.EventHandler {
	return []githubapp.EventHandler{&handlers.IssueComment{Base: base}, &handlers.CheckRun{Base: base}}
}

// remedyClients gives the commands the same installation clients as the
// diagnosis, with the calls only the commands make.
type remedyClients struct{ c *installationClients }

func (r remedyClients) Client(_ context.Context, installationID int64) (commands.Client, error) {
	gh, err := r.c.creator.NewInstallationClient(installationID)
	if err != nil {
		return nil, fmt.Errorf("installation %d: %w", installationID, err)
	}
	return ghapi.New(gh), nil
}
