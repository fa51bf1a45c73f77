package server

import (
	"context"
	"fmt"
	"sync"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// installationClients gives each installation its go-github client, wrapped
// in the adapter the domain packages use.
type installationClients struct {
	creator githubapp.ClientCreator

	mu       sync.Mutex
	botLogin string
}

func (c *installationClients) Client(_ context.Context, installationID int64) (triage.Client, error) {
	gh, err := c.creator.NewInstallationClient(installationID)
	if err != nil {
		return nil, fmt.Errorf("installation %d: %w", installationID, err)
	}
	return ghapi.New(gh), nil
}

// BotLogin learns the app's bot login ("slug[bot]") once, so that only the
// bot's own comments are ever edited. Until GitHub answers it returns "".
func (c *installationClients) BotLogin(ctx context.Context) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.botLogin != "" {
		return c.botLogin
	}
	app, err := c.creator.NewAppClient()
	if err == nil {
		a, _, gerr := app.Apps.Get(ctx, "")
		err = gerr
		if gerr == nil && a.GetSlug() != "" {
			c.botLogin = a.GetSlug() + "[bot]"
			return c.botLogin
		}
	}
	zerolog.Ctx(ctx).Warn().Err(err).Msg("Could not learn the app's bot login; will try again with the next job.")
	return ""
}
