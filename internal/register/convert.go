package register

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"

	"github.com/google/go-github/v60/github"
)

// codePattern is what a manifest code looks like; anything else is refused
// before it reaches the API.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)

// Convert exchanges a manifest code for the new App's credentials through
// POST /app-manifests/{code}/conversions, which needs no authentication.
func Convert(ctx context.Context, client *http.Client, apiURL, code string) (App, error) {
	if !codePattern.MatchString(code) {
		return App{}, fmt.Errorf("GitHub's code %q is malformed", code)
	}
	base, err := checkBaseURL("API URL", apiURL)
	if err != nil {
		return App{}, err
	}
	gh := github.NewClient(client)
	if gh.BaseURL, err = url.Parse(base + "/"); err != nil {
		return App{}, fmt.Errorf("API URL: %w", err)
	}
	cfg, resp, err := gh.Apps.CompleteAppManifest(ctx, url.PathEscape(code))
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return App{}, errors.New("GitHub does not know the code (it is valid once, for one hour): register again")
		}
		return App{}, &ConversionError{Code: code, Err: err}
	}
	app := App{
		ID:            cfg.GetID(),
		Slug:          cfg.GetSlug(),
		Name:          cfg.GetName(),
		Owner:         cfg.GetOwner().GetLogin(),
		HTMLURL:       cfg.GetHTMLURL(),
		ClientID:      cfg.GetClientID(),
		ClientSecret:  cfg.GetClientSecret(),
		WebhookSecret: cfg.GetWebhookSecret(),
		PEM:           cfg.GetPEM(),
	}
	if app.ID == 0 || app.PEM == "" {
		return App{}, errors.New("GitHub's answer lacks the App's id or private key")
	}
	return app, nil
}

// ConversionError is a failed exchange of a code that GitHub may still
// accept: the App exists, and `bot register --resume CODE` finishes the
// registration within the hour the code is valid.
type ConversionError struct {
	Code string
	Err  error
}

func (e *ConversionError) Error() string {
	return fmt.Sprintf("GitHub created the App, but exchanging its code for the App's credentials failed: %v", e.Err)
}

func (e *ConversionError) Unwrap() error { return e.Err }
