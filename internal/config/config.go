// Package config loads the server's configuration: one YAML file, read
// strictly (an unknown key is an error that names it), then overridden by
// environment variables for every secret, then checked for required values.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"go.yaml.in/yaml/v3"
)

// Defaults.
const (
	DefaultAddress        = "0.0.0.0"
	DefaultPort           = 8080
	DefaultWebURL         = "https://github.com"
	DefaultV3APIURL       = "https://api.github.com/"
	DefaultWorkers        = 4
	DefaultDataDir        = "data"
	DefaultRedelivery     = 10 * time.Minute
	DefaultAuditInterval  = 7 * 24 * time.Hour
	DefaultHTTPTimeout    = 30 * time.Second
	DefaultShutdownPeriod = 30 * time.Second
)

// Environment variables that override the file.
const (
	EnvIntegrationID  = "GITHUB_APP_INTEGRATION_ID"
	EnvWebhookSecret  = "GITHUB_APP_WEBHOOK_SECRET"
	EnvPrivateKey     = "GITHUB_APP_PRIVATE_KEY"
	EnvPrivateKeyPath = "GITHUB_APP_PRIVATE_KEY_PATH"
	EnvWebURL         = "GITHUB_WEB_URL"
	EnvV3APIURL       = "GITHUB_V3_API_URL"
	EnvV4APIURL       = "GITHUB_V4_API_URL"
	EnvDataDir        = "GHCR_DOCTOR_DATA_DIR"
	EnvPostgresURL    = "GHCR_DOCTOR_POSTGRES_URL"
)

// Variable is an environment variable the configuration reads.
type Variable struct {
	Name string
	// Key is what it overrides in the file.
	Key string
}

// Environment lists every variable the configuration reads, in the order
// bot serve's help shows them.
var Environment = []Variable{
	{EnvIntegrationID, "github.app.integration_id"},
	{EnvWebhookSecret, "github.app.webhook_secret"},
	{EnvPrivateKey, "github.app.private_key (the PEM text)"},
	{EnvPrivateKeyPath, "github.app.private_key (read from this file)"},
	{EnvWebURL, "github.web_url"},
	{EnvV3APIURL, "github.v3_api_url"},
	{EnvV4APIURL, "github.v4_api_url"},
	{EnvDataDir, "queue.data_dir"},
	{EnvPostgresURL, "queue.postgres_url"},
}

// Config is the whole server configuration.
type Config struct {
	Server  Server           `yaml:"server"`
	GitHub  githubapp.Config `yaml:"github"`
	Logging Logging          `yaml:"logging"`
	Worker  Worker           `yaml:"worker"`
	Queue   Queue            `yaml:"queue"`
}

// Queue is where accepted work is kept until it is done.
type Queue struct {
	// DataDir holds the embedded SQLite queue (one process).
	DataDir string `yaml:"data_dir"`
	// PostgresURL, when set, keeps the queue in PostgreSQL instead, shared
	// by any number of replicas.
	PostgresURL string `yaml:"postgres_url"`
	// JobTimeout bounds one attempt of a job.
	JobTimeout time.Duration `yaml:"job_timeout"`
	// RescueAfter is when a job left running by a dead replica is retried.
	RescueAfter time.Duration `yaml:"rescue_after"`
	// PollInterval is how often idle workers look for new jobs.
	PollInterval time.Duration `yaml:"poll_interval"`
	// RetryBase is the wait before a failed job's first retry; it doubles
	// with each attempt.
	RetryBase time.Duration `yaml:"retry_base"`
	// RedeliveryInterval is how often missed webhook deliveries are looked
	// for and redelivered; 0 means the default, negative switches it off.
	RedeliveryInterval time.Duration `yaml:"redelivery_interval"`
	// AuditInterval is how often the organisations that opted in
	// (audit.enabled) are audited; 0 means the default (weekly), negative
	// switches the periodic audit off (installation events still audit).
	AuditInterval time.Duration `yaml:"audit_interval"`
}

// Server is where the HTTP server listens.
type Server struct {
	Address string `yaml:"address"`
	Port    int    `yaml:"port"`
	// PublicURL is the address GitHub reaches the server at (for links and the App manifest).
	PublicURL string `yaml:"public_url"`
	// ShutdownPeriod bounds a graceful shutdown.
	ShutdownPeriod time.Duration `yaml:"shutdown_period"`
}

// Logging sets zerolog's level and format.
type Logging struct {
	Level string `yaml:"level"`
	// Text selects human-readable output instead of JSON.
	Text bool `yaml:"text"`
}

// Worker sizes the background work.
type Worker struct {
	Workers int `yaml:"workers"`
	// MaxLogBytes bounds how much of one job log is read.
	MaxLogBytes int64 `yaml:"max_log_bytes"`
	// HTTPTimeout bounds each GitHub API call.
	HTTPTimeout time.Duration `yaml:"http_timeout"`
	// WritesPerMinute and WritesPerHour pace each installation's
	// content-creating requests under GitHub's secondary limits: 0 means
	// GitHub's (80 and 500), a negative WritesPerMinute no pacing.
	WritesPerMinute int `yaml:"writes_per_minute"`
	WritesPerHour   int `yaml:"writes_per_hour"`
}

// Load reads, overrides and validates the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config file: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config file %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes a configuration strictly, applies the environment and
// defaults, and validates it.
func Parse(data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// An empty file (or one of comments only) decodes to io.EOF: everything
	// may come from the environment.
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parsing YAML: %w", err)
	}
	if err := c.applyEnv(); err != nil {
		return nil, err
	}
	c.fillDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// applyEnv overrides the file with the environment: go-githubapp's own
// variables through its SetValuesFromEnv (GitHub URLs, the App's ID,
// webhook secret and private key), and what it lacks here: the private key
// read from a file, the queue's data directory and PostgreSQL URL. A
// non-numeric App ID is an error rather than silently ignored.
func (c *Config) applyEnv() error {
	c.GitHub.SetValuesFromEnv("")
	if v, ok := os.LookupEnv(EnvIntegrationID); ok {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("%s: not an integer: %q", EnvIntegrationID, v)
		}
		c.GitHub.App.IntegrationID = id
	}
	if p, ok := os.LookupEnv(EnvPrivateKeyPath); ok {
		key, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("%s: %w", EnvPrivateKeyPath, err)
		}
		c.GitHub.App.PrivateKey = string(key)
	}
	if v, ok := os.LookupEnv(EnvDataDir); ok {
		c.Queue.DataDir = v
	}
	if v, ok := os.LookupEnv(EnvPostgresURL); ok {
		c.Queue.PostgresURL = v
	}
	return nil
}

func (c *Config) fillDefaults() {
	if c.Server.Address == "" {
		c.Server.Address = DefaultAddress
	}
	if c.Server.Port == 0 {
		c.Server.Port = DefaultPort
	}
	if c.Server.ShutdownPeriod == 0 {
		c.Server.ShutdownPeriod = DefaultShutdownPeriod
	}
	if c.GitHub.WebURL == "" {
		c.GitHub.WebURL = DefaultWebURL
	}
	if c.GitHub.V3APIURL == "" {
		c.GitHub.V3APIURL = DefaultV3APIURL
	}
	if !strings.HasSuffix(c.GitHub.V3APIURL, "/") {
		c.GitHub.V3APIURL += "/"
	}
	if c.GitHub.V4APIURL == "" {
		// https://api.github.com/ → https://api.github.com/graphql;
		// https://HOST/api/v3/ → https://HOST/api/graphql.
		c.GitHub.V4APIURL = strings.TrimSuffix(strings.TrimSuffix(c.GitHub.V3APIURL, "/"), "/v3") + "/graphql"
	}
	if c.Logging.Level == "" {
		c.Logging.Level = "info"
	}
	if c.Worker.Workers == 0 {
		c.Worker.Workers = DefaultWorkers
	}
	if c.Queue.DataDir == "" {
		c.Queue.DataDir = DefaultDataDir
	}
	if c.Queue.AuditInterval == 0 {
		c.Queue.AuditInterval = DefaultAuditInterval
	}
	if c.Queue.RedeliveryInterval == 0 {
		c.Queue.RedeliveryInterval = DefaultRedelivery
	}
	if c.Worker.HTTPTimeout == 0 {
		c.Worker.HTTPTimeout = DefaultHTTPTimeout
	}
}

// Validate checks required values and names the key of the first problem.
func (c *Config) Validate() error {
	var errs []error
	if c.GitHub.App.IntegrationID <= 0 {
		errs = append(errs, fmt.Errorf("github.app.integration_id is required (or set %s)", EnvIntegrationID))
	}
	if c.GitHub.App.WebhookSecret == "" {
		errs = append(errs, fmt.Errorf("github.app.webhook_secret is required (or set %s)", EnvWebhookSecret))
	}
	if strings.TrimSpace(c.GitHub.App.PrivateKey) == "" {
		errs = append(errs, fmt.Errorf("github.app.private_key is required (or set %s or %s)", EnvPrivateKey, EnvPrivateKeyPath))
	} else if err := checkPrivateKey(c.GitHub.App.PrivateKey); err != nil {
		errs = append(errs, fmt.Errorf("github.app.private_key: %w", err))
	}
	errs = append(errs, c.placeholders()...)
	if err := checkLevel(c.Logging.Level); err != nil {
		errs = append(errs, err)
	}
	for key, v := range map[string]string{"github.web_url": c.GitHub.WebURL, "github.v3_api_url": c.GitHub.V3APIURL} {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s: not an http(s) URL: %q", key, v))
		}
	}
	if c.Server.Port < 0 || c.Server.Port > 65535 {
		errs = append(errs, fmt.Errorf("server.port: %d is not a port", c.Server.Port))
	}
	if c.Worker.Workers < 0 {
		errs = append(errs, errors.New("worker.workers must not be negative"))
	}
	if c.Queue.PostgresURL != "" {
		if u, err := url.Parse(c.Queue.PostgresURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("queue.postgres_url: not a postgres:// URL"))
		}
	}
	return errors.Join(errs...)
}
