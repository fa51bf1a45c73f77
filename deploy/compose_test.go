package deploy_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
)

// composeFile is the subset of the Compose specification the tests read.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image string `yaml:"image"`
	Build *struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
	} `yaml:"build"`
	Restart     string            `yaml:"restart"`
	EnvFile     string            `yaml:"env_file"`
	Environment map[string]string `yaml:"environment"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
	Deploy *struct {
		Replicas int `yaml:"replicas"`
	} `yaml:"deploy"`
	Ports       []string `yaml:"ports"`
	Volumes     []string `yaml:"volumes"`
	ReadOnly    bool     `yaml:"read_only"`
	Tmpfs       []string `yaml:"tmpfs"`
	Healthcheck *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	StopGracePeriod string `yaml:"stop_grace_period"`
}

const (
	composeServer   = "ghcr-doctor"
	composeDatabase = "db"
)

func loadCompose(t *testing.T) *composeFile {
	t.Helper()
	var c composeFile
	decodeYAML(t, "compose.yaml", &c)
	require.Contains(t, c.Services, composeServer)
	require.Contains(t, c.Services, composeDatabase)
	return &c
}

// interpolation matches Compose's ${NAME}, ${NAME:-default} and ${NAME:?error}.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^}]*)?\}`)

// interpolate substitutes every ${...} with value.
func interpolate(s, value string) string { return interpolation.ReplaceAllString(s, value) }

func TestComposeBuildsTheDockerfileFromTheRepository(t *testing.T) {
	build := loadCompose(t).Services[composeServer].Build
	require.NotNil(t, build, "the server is built from source")
	context := filepath.Join(".", filepath.FromSlash(build.Context))
	_, err := os.Stat(filepath.Join(context, "go.mod"))
	assert.NoError(t, err, "the build context is the repository root")
	assert.FileExists(t, filepath.Join(context, filepath.FromSlash(build.Dockerfile)))
	assert.Equal(t, "deploy/Dockerfile", build.Dockerfile)
}

func TestComposePublishesTheServerPort(t *testing.T) {
	svc := loadCompose(t).Services[composeServer]
	require.NotEmpty(t, svc.Ports)
	replicas := 1
	if svc.Deploy != nil {
		replicas = svc.Deploy.Replicas
	}
	assert.GreaterOrEqual(t, replicas, 2, "replicas")
	for _, p := range svc.Ports {
		host, target, ok := strings.Cut(strings.TrimSuffix(p, "/tcp"), ":")
		require.True(t, ok, "port %q: HOST:CONTAINER", p)
		assert.Equal(t, strconv.Itoa(config.DefaultPort), target, "port %q publishes the server's port", p)
		first, last, isRange := strings.Cut(host, "-")
		hostPorts := 1
		if isRange {
			hostPorts = atoi(t, last) - atoi(t, first) + 1
		}
		assert.GreaterOrEqual(t, hostPorts, replicas, "port %q: one host port per replica", p)
	}
}

func TestComposeEnvironmentIsReadByTheCode(t *testing.T) {
	svc := loadCompose(t).Services[composeServer]
	for name := range svc.Environment {
		assert.True(t, knownEnv(name), "%s: nothing in the server reads it", name)
	}
	assert.Contains(t, svc.Environment, config.EnvPostgresURL)

	require.Equal(t, ".env", svc.EnvFile, "secrets come from deploy/.env")
	example := dotenvKeys(t, string(readFile(t, ".env.example")))
	used := map[string]bool{}
	for _, m := range interpolation.FindAllStringSubmatch(string(readFile(t, "compose.yaml")), -1) {
		used[m[1]] = true
	}
	for _, key := range example {
		assert.True(t, knownEnv(key) || used[key], ".env.example: %s is neither read by the server nor used in compose.yaml", key)
	}
	for _, required := range []string{config.EnvIntegrationID, config.EnvWebhookSecret, config.EnvPrivateKey} {
		assert.Contains(t, example, required, ".env.example documents %s", required)
	}
	for name := range used {
		if name != "VERSION" {
			assert.Contains(t, example, name, "compose.yaml substitutes ${%s}: .env.example documents it", name)
		}
	}
}

// dotenvKeys lists the variables an env file sets (multi-line quoted values allowed).
func dotenvKeys(t *testing.T, text string) []string {
	t.Helper()
	var keys []string
	inValue := false
	for _, line := range strings.Split(text, "\n") {
		if inValue {
			inValue = !strings.HasSuffix(strings.TrimSpace(line), `"`)
			continue
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		require.True(t, ok, "env file line %q: KEY=value", line)
		keys = append(keys, key)
		inValue = strings.HasPrefix(value, `"`) && (len(value) == 1 || !strings.HasSuffix(value, `"`))
	}
	require.False(t, inValue, "env file ends inside a quoted value")
	return keys
}

func TestComposeQueueURLPointsAtTheDatabase(t *testing.T) {
	c := loadCompose(t)
	server, db := c.Services[composeServer], c.Services[composeDatabase]

	assert.True(t, strings.HasPrefix(db.Image, "postgres:16"), "PostgreSQL 16: %s", db.Image)
	require.NotNil(t, db.Healthcheck, "the database has a healthcheck")
	assert.Contains(t, strings.Join(db.Healthcheck.Test, " "), "pg_isready")
	assert.Equal(t, "service_healthy", server.DependsOn[composeDatabase].Condition)
	var dataVolume bool
	for _, v := range db.Volumes {
		name, target, _ := strings.Cut(v, ":")
		if target == "/var/lib/postgresql/data" {
			assert.Contains(t, c.Volumes, name, "a named volume keeps the database")
			dataVolume = true
		}
	}
	assert.True(t, dataVolume, "the database's data directory is a volume")

	u, err := url.Parse(interpolate(server.Environment[config.EnvPostgresURL], "password"))
	require.NoError(t, err, "%s", config.EnvPostgresURL)
	assert.Equal(t, "postgres", u.Scheme)
	assert.Equal(t, composeDatabase, u.Hostname(), "the database service")
	assert.Equal(t, "5432", u.Port())
	assert.Equal(t, db.Environment["POSTGRES_USER"], u.User.Username())
	assert.Equal(t, "/"+db.Environment["POSTGRES_DB"], u.Path)
	password, _ := u.User.Password()
	assert.Equal(t, "password", password, "the password is substituted from the environment")
	dbVar := interpolation.FindStringSubmatch(db.Environment["POSTGRES_PASSWORD"])
	urlVar := interpolation.FindStringSubmatch(server.Environment[config.EnvPostgresURL])
	require.NotNil(t, dbVar, "POSTGRES_PASSWORD comes from the environment")
	require.NotNil(t, urlVar)
	assert.Equal(t, dbVar[1], urlVar[1], "the server and the database use the same password variable")
}

func TestComposeStopsGracefully(t *testing.T) {
	svc := loadCompose(t).Services[composeServer]
	assert.NotEmpty(t, svc.Restart, "a restart policy brings back a replica that exits")
	grace, err := time.ParseDuration(svc.StopGracePeriod)
	require.NoError(t, err, "stop_grace_period (Docker's default is 10s)")
	assert.Greater(t, grace, config.DefaultShutdownPeriod)
	cfg := parseConfig(t, "deploy/config.yml", readFile(t, "config.yml"))
	assert.Greater(t, grace, cfg.Server.ShutdownPeriod, "longer than deploy/config.yml's server.shutdown_period")
}

func TestComposeMountsTheConfigTheImageReads(t *testing.T) {
	svc := loadCompose(t).Services[composeServer]
	configPath := configFlag(t, imageCommand(t))
	var mounted bool
	for _, v := range svc.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 && parts[1] == configPath {
			assert.Equal(t, "./config.yml", parts[0])
			assert.FileExists(t, filepath.FromSlash(parts[0]))
			mounted = true
		}
	}
	assert.True(t, mounted, "deploy/config.yml is mounted at %s", configPath)
	if svc.ReadOnly {
		assert.Contains(t, svc.Tmpfs, "/tmp", "a read-only root needs a writable /tmp")
	}
}
