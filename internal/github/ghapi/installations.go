package ghapi

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/orgaudit"
)

// AppInstallations lists the App's installations; it must wrap an app
// (JWT) client, not an installation client.
type AppInstallations struct {
	App *github.Client
}

var _ orgaudit.Installations = AppInstallations{}

// ListInstallations lists every installation of the App, every page.
func (a AppInstallations) ListInstallations(ctx context.Context) ([]orgaudit.Installation, error) {
	opts := &github.ListOptions{PerPage: 100}
	var out []orgaudit.Installation
	for page := 0; page < maxListPages; page++ {
		insts, resp, err := a.App.Apps.ListInstallations(ctx, opts)
		if err != nil {
			return nil, gherr.Classify("listing the App's installations", resp, err)
		}
		for _, in := range insts {
			if in.GetSuspendedAt().IsZero() {
				out = append(out, orgaudit.Installation{ID: in.GetID(), Account: in.GetAccount().GetLogin()})
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
	return nil, fmt.Errorf("listing the App's installations: more than %d pages", maxListPages)
}
