package server

import (
	"context"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/ghcr-doctor/ghcr-doctor/internal/selfcheck"
)

// credentialTTL is how long /api/health reuses GitHub's last answer about
// the App's credentials, so frequent probes cost one call a minute.
const credentialTTL = time.Minute

// Credential states /api/health reports.
const (
	credentialsOK          = "ok"
	credentialsRefused     = "refused"
	credentialsUnreachable = "unreachable"
)

// credentialState asks GitHub whether it accepts the App's credentials
// (GET /app), at most once per credentialTTL.
type credentialState struct {
	appClient func() (*github.Client, error)
	id        int64
	apiURL    string
	now       func() time.Time

	mu      sync.Mutex
	checked time.Time
	state   string
	detail  string
}

func newCredentialState(appClient func() (*github.Client, error), id int64, apiURL string) *credentialState {
	return &credentialState{appClient: appClient, id: id, apiURL: apiURL, now: time.Now}
}

// get returns the state ("ok", "refused" or "unreachable") and, when not
// ok, what GitHub said; it never holds a secret.
func (c *credentialState) get(ctx context.Context) (state, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != "" && c.now().Sub(c.checked) < credentialTTL {
		return c.state, c.detail
	}
	gh, err := c.appClient()
	var r selfcheck.CheckResult
	if err != nil {
		r = selfcheck.CheckResult{Status: selfcheck.Problem, Detail: err.Error()}
	} else {
		r = selfcheck.Credentials(ctx, gh, c.id, c.apiURL)
	}
	switch {
	case r.Status == selfcheck.OK:
		c.state, c.detail = credentialsOK, ""
	case r.Unreachable:
		c.state, c.detail = credentialsUnreachable, r.Detail
	default:
		c.state, c.detail = credentialsRefused, r.Detail
	}
	c.checked = c.now()
	return c.state, c.detail
}
