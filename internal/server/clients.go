package server

import (
	"context"
	"fmt"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// installationClients gives each installation its go-github client, wrapped
// in the adapter the domain packages use.
type installationClients struct {
	creator githubapp.ClientCreator
}

func (c *installationClients) Client(_ context.Context, installationID int64) (triage.InstallationClient, error) {
	gh, err := c.creator.NewInstallationClient(installationID)
	if err != nil {
		return nil, fmt.Errorf("installation %d: %w", installationID, err)
	}
	return ghapi.New(gh), nil
}
