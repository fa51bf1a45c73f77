package server

import (
	"context"
	"errors"
	"fmt"

	"github.com/palantir/go-githubapp/githubapp"
)

// appIdentity is the App as GitHub knows it, learnt once at start-up so
// that no job ever runs without knowing which comments are the App's own.
type appIdentity struct {
	// slug is the App's URL name ("ghcr-doctor").
	slug string
	// botLogin is the login its bot user writes as ("ghcr-doctor[bot]").
	botLogin string
}

// errNoSlug is GitHub answering GET /app without the App's slug.
var errNoSlug = errors.New("GitHub's answer to GET /app has no slug")

// learnIdentity asks GitHub who the App is (GET /app with the App's JWT).
// It fails when GitHub refuses the credentials or cannot be reached: a
// server that does not know its own login cannot tell its reports from a
// copy in someone else's comment.
func learnIdentity(ctx context.Context, creator githubapp.ClientCreator) (appIdentity, error) {
	appClient, err := creator.NewAppClient()
	if err != nil {
		return appIdentity{}, fmt.Errorf("creating the App's client: %w", err)
	}
	app, _, err := appClient.Apps.Get(ctx, "")
	if err != nil {
		return appIdentity{}, fmt.Errorf("learning the App's identity (GET /app; check github.app.integration_id, "+
			"github.app.private_key and github.v3_api_url, or run bot check): %w", err)
	}
	slug := app.GetSlug()
	if slug == "" {
		return appIdentity{}, fmt.Errorf("learning the App's identity: %w", errNoSlug)
	}
	return appIdentity{slug: slug, botLogin: slug + "[bot]"}, nil
}
