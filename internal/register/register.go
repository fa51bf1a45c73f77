// Package register creates ghcr-doctor's GitHub App from its manifest
// (GitHub's "registering a GitHub App from a manifest" flow) and writes a
// ready configuration file, so no one copies a private key by hand.
//
// It serves a local page on 127.0.0.1 whose button posts the manifest to
// GitHub; GitHub creates the App and sends the browser back to the local
// callback with a one-time code and the state it was given; the code is
// exchanged for the App's ID, webhook secret and private key.
package register

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Options configure one registration.
type Options struct {
	// Manifest is the App manifest to post (deploy/app-manifest.json).
	Manifest []byte
	// WebhookURL is where GitHub delivers webhooks; required.
	WebhookURL string
	// Name, when set, replaces the manifest's App name.
	Name string
	// Org registers the App for an organisation instead of the user.
	Org string
	// WebURL is GitHub's web address; DefaultWebURL when empty.
	WebURL string
	// APIURL is GitHub's REST API address; derived from WebURL when empty.
	APIURL string
	// Port is the local port of the page; 0 picks a free one.
	Port int
	// Out is the configuration file to write; it must not exist.
	Out string
	// ResumeCode, for Resume, is the code GitHub handed back when the App
	// was created.
	ResumeCode string
	// AllowSettingsChanges asks for the write permissions the settings
	// commands need (see WithSettingsChanges).
	AllowSettingsChanges bool
	// HTTPClient makes the conversion call; a client with a timeout when nil.
	HTTPClient *http.Client
	// Ready is called with the local page's address once it is served.
	Ready func(pageURL string)
	// Log receives progress messages; nothing is logged when nil.
	Log io.Writer
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Registration is the registered App and where its configuration went.
type Registration struct {
	App        App
	ConfigPath string
	// Notes say what registration did beyond the usual; Warnings what is
	// left for a person to do.
	Notes    []string
	Warnings []string
}

// flow is one registration in progress.
type flow struct {
	opts       Options
	webURL     string
	apiURL     string
	webhookURL string
	state      string
	action     string
	manifest   []byte
	name       string

	mu       sync.Mutex
	finished bool
	done     chan struct{}
	result   *Registration
	err      error
}

// Run serves the local page until GitHub sent the browser back and the
// configuration was written, or ctx ends.
func Run(ctx context.Context, opts Options) (*Registration, error) {
	f, err := newFlow(opts)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, fmt.Errorf("listening on 127.0.0.1:%d: %w", opts.Port, err)
	}
	pageURL := "http://" + l.Addr().String() + "/"
	if err := f.prepare(pageURL); err != nil {
		l.Close()
		return nil, err
	}
	srv := &http.Server{Handler: f.handler(l.Addr().String()), ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(l) }()
	if opts.Ready != nil {
		opts.Ready(pageURL)
	}

	var runErr error
	select {
	case <-f.done:
	case <-ctx.Done():
		runErr = fmt.Errorf("registration stopped before GitHub sent the browser back: %w", ctx.Err())
	case err := <-serveErr:
		runErr = fmt.Errorf("serving the local page: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	if runErr != nil {
		return nil, runErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.result, f.err
}

func newFlow(opts Options) (*flow, error) {
	if opts.WebURL == "" {
		opts.WebURL = DefaultWebURL
	}
	web, err := checkBaseURL("web URL", opts.WebURL)
	if err != nil {
		return nil, err
	}
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL(web)
	}
	api, err := checkBaseURL("API URL", opts.APIURL)
	if err != nil {
		return nil, err
	}
	hook, err := WebhookURL(opts.WebhookURL)
	if err != nil {
		return nil, err
	}
	if opts.Out == "" {
		return nil, errors.New("the configuration file to write is required")
	}
	if err := CheckAbsent(opts.Out); err != nil {
		return nil, err
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("%d is not a port", opts.Port)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	state, err := randomState()
	if err != nil {
		return nil, err
	}
	action, err := NewAppURL(web, opts.Org, state)
	if err != nil {
		return nil, err
	}
	return &flow{opts: opts, webURL: web, apiURL: api + "/", webhookURL: hook, state: state, action: action, done: make(chan struct{})}, nil
}

// prepare builds the manifest once the callback address is known.
func (f *flow) prepare(pageURL string) error {
	m, err := BuildManifest(f.opts.Manifest, f.webhookURL, pageURL+"callback", f.opts.Name)
	if err != nil {
		return err
	}
	if f.opts.AllowSettingsChanges {
		if m, err = WithSettingsChanges(m, f.opts.Org != ""); err != nil {
			return err
		}
	}
	var named struct{ Name string }
	_ = json.Unmarshal(m, &named)
	f.manifest, f.name = m, named.Name
	return nil
}

func randomState() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making the state: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// handler answers only requests addressed to the local page's own host,
// so another site cannot reach it through DNS rebinding.
func (f *flow) handler(hostPort string) http.Handler {
	_, port, _ := net.SplitHostPort(hostPort)
	allowed := map[string]bool{hostPort: true, "localhost:" + port: true}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", f.start)
	mux.HandleFunc("GET /callback", f.callback)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed[r.Host] {
			http.Error(w, "wrong host", http.StatusMisdirectedRequest)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (f *flow) start(w http.ResponseWriter, _ *http.Request) {
	renderPage(w, http.StatusOK, pageData{
		Kind: "start", Title: "Register ghcr-doctor", Org: f.opts.Org, WebURL: f.webURL, Out: f.opts.Out,
		Name: f.name, WebhookURL: f.webhookURL, Action: template.URL(f.action), Manifest: string(f.manifest),
	})
}

// callback receives GitHub's redirect: it checks the state, converts the
// code and writes the configuration, once.
func (f *flow) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state, code := q.Get("state"), q.Get("code")
	if subtle.ConstantTimeCompare([]byte(state), []byte(f.state)) != 1 {
		fmt.Fprintln(f.opts.Log, "Refused a callback whose state does not match this registration.")
		errorPage(w, http.StatusBadRequest, "Refused: the state does not match",
			"This address was not opened by GitHub for the registration that is running. Nothing was changed.")
		return
	}
	if code == "" {
		errorPage(w, http.StatusBadRequest, "GitHub sent no code", "Start again from the registration page.")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.finished {
		if f.result != nil {
			renderPage(w, http.StatusOK, pageData{Kind: "done", Out: f.result.ConfigPath, App: f.result.App, Title: "Registered"})
			return
		}
		errorPage(w, http.StatusConflict, "Registration already ended", "Run bot register again.")
		return
	}
	fmt.Fprintln(f.opts.Log, "GitHub created the App; fetching its credentials.")
	res, err := f.complete(r.Context(), code)
	f.finished, f.result, f.err = true, res, err
	close(f.done)
	if err != nil {
		msg := err.Error()
		var ce *ConversionError
		if errors.As(err, &ce) {
			msg += " The App exists: the terminal shows the bot register --resume command that finishes the registration (the code is valid for an hour)."
		}
		errorPage(w, http.StatusBadGateway, "Registration failed", msg)
		return
	}
	renderPage(w, http.StatusOK, pageData{Kind: "done", Title: "Registered", Out: res.ConfigPath, App: res.App})
}

// Resume finishes a registration whose code exchange failed after GitHub
// created the App: it exchanges opts.ResumeCode (valid for an hour) and
// writes the configuration, without a browser.
func Resume(ctx context.Context, opts Options) (*Registration, error) {
	if !codePattern.MatchString(opts.ResumeCode) {
		return nil, fmt.Errorf("the code %q is malformed: it is the code= value of the address GitHub sent the browser back to", opts.ResumeCode)
	}
	f, err := newFlow(opts)
	if err != nil {
		return nil, err
	}
	return f.complete(ctx, opts.ResumeCode)
}

// complete converts the code and writes the configuration. A file that
// appeared since the start is not overwritten; the credentials then go to
// a new file beside it, so the App is not lost. When GitHub's answer has no
// webhook secret, one is made and set through the API.
func (f *flow) complete(ctx context.Context, code string) (*Registration, error) {
	app, err := Convert(ctx, f.opts.HTTPClient, f.apiURL, code)
	if err != nil {
		return nil, err
	}
	res := &Registration{App: app, ConfigPath: f.opts.Out}
	if app.WebhookSecret == "" {
		if err := f.setSecret(ctx, res); err != nil {
			return nil, err
		}
	}
	data, err := RenderConfig(res.App, f.webURL, f.apiURL, PublicURL(f.webhookURL), f.opts.Now())
	if err != nil {
		return nil, err
	}
	err = WriteNew(f.opts.Out, data)
	if errors.Is(err, ErrExists) {
		spare := fmt.Sprintf("%s.app-%d", f.opts.Out, app.ID)
		if serr := WriteNew(spare, data); serr != nil {
			return nil, fmt.Errorf("%w; writing the App's credentials to %s failed too: %v", err, spare, serr)
		}
		return nil, fmt.Errorf("%w: the App's configuration was written to %s instead", err, spare)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// setSecret gives an App created without a webhook secret a new one: set
// through the API when GitHub lets it, else left for a person to set, and
// written to the configuration either way.
func (f *flow) setSecret(ctx context.Context, res *Registration) error {
	secret, err := NewWebhookSecret()
	if err != nil {
		return err
	}
	res.App.WebhookSecret = secret
	if err := SetWebhookSecret(ctx, f.opts.HTTPClient, f.apiURL, res.App, secret); err != nil {
		fmt.Fprintf(f.opts.Log, "GitHub's answer held no webhook secret, and setting one failed: %v\n", err)
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"The App has no webhook secret and setting one failed (%v). Set Webhook secret on the App's settings page (General → Webhook) to the value of github.app.webhook_secret in %s, or every delivery is refused.",
			err, f.opts.Out))
		return nil
	}
	fmt.Fprintln(f.opts.Log, "GitHub's answer held no webhook secret; set a new one through the API.")
	res.Notes = append(res.Notes, "GitHub's answer held no webhook secret, so a new one was made, set on the App (PATCH /app/hook/config) and written to "+f.opts.Out+".")
	return nil
}
