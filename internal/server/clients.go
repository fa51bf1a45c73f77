package server

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/pacing"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// installationClients gives each installation its go-github client, paced
// under GitHub's limits for that installation, wrapped in the adapter the
// domain packages use.
type installationClients struct {
	creator githubapp.ClientCreator
	// pacer keeps each installation's requests within GitHub's limits; nil
	// sends them as they come.
	pacer *pacing.Pacer
}

func (c *installationClients) Client(_ context.Context, installationID int64) (triage.InstallationClient, error) {
	gh, err := c.github(installationID)
	if err != nil {
		return nil, err
	}
	return ghapi.New(gh), nil
}

// github is the installation's go-github client, its transport paced.
func (c *installationClients) github(installationID int64) (*github.Client, error) {
	gh, err := c.creator.NewInstallationClient(installationID)
	if err != nil {
		return nil, fmt.Errorf("installation %d: %w", installationID, err)
	}
	if c.pacer == nil {
		return gh, nil
	}
	hc := gh.Client()
	hc.Transport = c.pacer.Transport(installationID, hc.Transport)
	paced := github.NewClient(hc)
	paced.BaseURL, paced.UploadURL, paced.UserAgent = gh.BaseURL, gh.UploadURL, gh.UserAgent
	return paced, nil
}
