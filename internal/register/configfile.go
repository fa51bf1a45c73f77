package register

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// App is what GitHub returns when a manifest's code is converted.
type App struct {
	ID            int64
	Slug          string
	Name          string
	Owner         string
	HTMLURL       string
	ClientID      string
	ClientSecret  string
	WebhookSecret string
	PEM           string
}

// InstallURL is where the App is installed on accounts and repositories.
func (a App) InstallURL() string { return strings.TrimRight(a.HTMLURL, "/") + "/installations/new" }

// configFile mirrors the keys of ghcr-doctor's configuration that
// registration knows.
type configFile struct {
	Server struct {
		PublicURL string `yaml:"public_url,omitempty"`
	} `yaml:"server"`
	GitHub struct {
		WebURL   string `yaml:"web_url"`
		V3APIURL string `yaml:"v3_api_url"`
		App      struct {
			IntegrationID int64  `yaml:"integration_id"`
			WebhookSecret string `yaml:"webhook_secret"`
			PrivateKey    string `yaml:"private_key"`
		} `yaml:"app"`
		OAuth struct {
			ClientID     string `yaml:"client_id,omitempty"`
			ClientSecret string `yaml:"client_secret,omitempty"`
		} `yaml:"oauth"`
	} `yaml:"github"`
}

// RenderConfig writes a configuration file for the new App.
func RenderConfig(app App, webURL, apiURL, publicURL string, now time.Time) ([]byte, error) {
	var c configFile
	c.Server.PublicURL = publicURL
	c.GitHub.WebURL = webURL
	c.GitHub.V3APIURL = apiURL
	c.GitHub.App.IntegrationID = app.ID
	c.GitHub.App.WebhookSecret = app.WebhookSecret
	c.GitHub.App.PrivateKey = strings.TrimRight(app.PEM, "\n") + "\n"
	c.GitHub.OAuth.ClientID = app.ClientID
	c.GitHub.OAuth.ClientSecret = app.ClientSecret
	body, err := yaml.Marshal(&c)
	if err != nil {
		return nil, fmt.Errorf("encoding the configuration: %w", err)
	}
	header := fmt.Sprintf(`# ghcr-doctor configuration for the GitHub App %q (ID %d), written by
# "bot register" on %s.
# It holds the App's private key and webhook secret: keep it private and out
# of version control. github.oauth is not used by ghcr-doctor; it is kept so
# the App's client secret is not lost. Every other setting has its default;
# see config/ghcr-doctor.example.yml.
#
# Start the server with: bot serve --config FILE

`, app.Slug, app.ID, now.UTC().Format(time.RFC3339))
	return append([]byte(header), body...), nil
}

// ErrExists says the configuration file is already there; it is never overwritten.
var ErrExists = errors.New("already exists; it is never overwritten")

// CheckAbsent fails when path exists.
func CheckAbsent(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s %w", path, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("checking %s: %w", path, err)
	}
	return nil
}

// WriteNew creates path with mode 0600 and writes data, failing when the
// file exists (O_EXCL), so a file that appeared meanwhile is not overwritten.
func WriteNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s %w", path, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("creating %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
