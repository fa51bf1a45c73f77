// Package githubfake is a stateful fake of the GitHub REST API and of GitHub's
// webhook sender, served by an in-process HTTP server.
//
// It plays the GitHub side of a GitHub App: it issues installation tokens for
// app JWTs signed with the key it generated, enforces the app permissions of
// each installation on every endpoint, answers with GitHub's documented
// response shapes and status codes, and sends signed webhook deliveries to the
// app. Tests and demos set the world up (installations, repositories, files,
// workflow runs, jobs and logs, pull requests, settings), let the app act on
// it, and then inspect what the app did (comments, issues, check runs, pull
// requests, branches, requests made). Faults such as server errors and rate
// limits can be injected per endpoint.
package githubfake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Options configure a fake GitHub server.
type Options struct {
	// AppID is the GitHub App's ID; JWTs must carry it as "iss". Defaults to 1.
	AppID int64
	// AppSlug is the app's URL name; its bot user is "<slug>[bot]". Defaults to "fake-app".
	AppSlug string
	// WebhookURL is where Deliver sends webhooks; empty means no target yet.
	WebhookURL string
	// WebhookSecret signs webhook deliveries.
	WebhookSecret string
	// WebURL is the base of html_url links. Defaults to "https://github.com".
	WebURL string
	// LogURLTTL is how long a signed log download URL stays valid. Defaults to one minute, as on GitHub.
	LogURLTTL time.Duration
	// LogURLMaxUses limits how often a signed log URL may be downloaded; 0 means unlimited.
	LogURLMaxUses int
	// TokenTTL is the lifetime of installation tokens. Defaults to one hour, as on GitHub.
	TokenTTL time.Duration
	// WebhookTimeout bounds a webhook delivery. Defaults to ten seconds, as on GitHub.
	WebhookTimeout time.Duration
	// AppKey is the app's private key; nil generates a fresh 2048-bit key.
	AppKey *rsa.PrivateKey
	// WritesPerMinute and WritesPerHour are GitHub's secondary limits on
	// content-creating requests per installation (see secondary.go);
	// 0 means GitHub's 80 and 500, negative no limit.
	WritesPerMinute, WritesPerHour int
	// Now is the fake's clock (token and signed-URL lifetimes, timestamps,
	// JWT checks); nil means the wall clock. A test that must let time pass
	// moves its own clock instead of sleeping.
	Now func() time.Time
}

// Server is a running fake GitHub API. All methods are safe for concurrent use.
type Server struct {
	opts    Options
	httpSrv *httptest.Server
	key     *rsa.PrivateKey
	keyPEM  []byte
	started time.Time
	routes  []*route
	hookID  int64

	// hookContentType and hookInsecureSSL complete the App's webhook
	// configuration (see HookConfig); guarded by mu.
	hookContentType, hookInsecureSSL string

	background sync.WaitGroup

	mu   sync.Mutex
	st   *state
	pace pacing // guarded by mu
}

// New starts a fake GitHub API server with a freshly generated app key.
func New(opts Options) *Server {
	if opts.AppID == 0 {
		opts.AppID = 1
	}
	if opts.AppSlug == "" {
		opts.AppSlug = "fake-app"
	}
	if opts.WebURL == "" {
		opts.WebURL = "https://github.com"
	}
	opts.WebURL = strings.TrimRight(opts.WebURL, "/")
	if opts.LogURLTTL == 0 {
		opts.LogURLTTL = time.Minute
	}
	if opts.TokenTTL == 0 {
		opts.TokenTTL = time.Hour
	}
	if opts.WritesPerMinute == 0 {
		opts.WritesPerMinute = 80
	}
	if opts.WritesPerHour == 0 {
		opts.WritesPerHour = 500
	}
	if opts.WebhookTimeout == 0 {
		opts.WebhookTimeout = 10 * time.Second
	}
	key := opts.AppKey
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(fmt.Sprintf("githubfake: generating app key: %v", err))
		}
	}
	s := &Server{
		opts:    opts,
		key:     key,
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		started: opts.clock().UTC().Truncate(time.Second),
		hookID:  100000 + opts.AppID,
		st:      newState(),
	}
	s.routes = s.buildRoutes()
	s.httpSrv = httptest.NewServer(s)
	return s
}

// URL is the server's base URL without a trailing slash; a go-github client's
// BaseURL is URL()+"/".
func (s *Server) URL() string { return s.httpSrv.URL }

// Close waits for background redeliveries and stops the server.
func (s *Server) Close() {
	s.background.Wait()
	s.httpSrv.Close()
}

// AppID is the app's ID.
func (s *Server) AppID() int64 { return s.opts.AppID }

// AppSlug is the app's slug.
func (s *Server) AppSlug() string { return s.opts.AppSlug }

// BotLogin is the login of the app's bot user, which authors what the app creates.
func (s *Server) BotLogin() string { return s.opts.AppSlug + "[bot]" }

// AppPrivateKeyPEM is the app's private key in PEM (PKCS#1) form, as GitHub hands it out.
func (s *Server) AppPrivateKeyPEM() []byte { return append([]byte(nil), s.keyPEM...) }

// SetWebhookTarget sets where webhooks go and the secret that signs them.
func (s *Server) SetWebhookTarget(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.WebhookURL = url
	s.opts.WebhookSecret = secret
}

func (s *Server) webhookTarget() (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.WebhookURL, s.opts.WebhookSecret
}

// apiURL builds an absolute API URL from a path below the root.
func (s *Server) apiURL(format string, args ...any) string {
	return s.URL() + "/" + strings.TrimPrefix(fmt.Sprintf(format, args...), "/")
}

// webURL builds an absolute html_url link.
func (s *Server) webURL(format string, args ...any) string {
	return s.opts.WebURL + "/" + strings.TrimPrefix(fmt.Sprintf(format, args...), "/")
}

func (s *Server) now() time.Time { return s.opts.clock().UTC() }

// clock is Now, or the wall clock.
func (o Options) clock() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}
