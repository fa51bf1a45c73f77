package deploy_test

import "github.com/ghcr-doctor/ghcr-doctor/internal/config"

// codeEnv is every environment variable the server's configuration reads.
var codeEnv = map[string]bool{
	config.EnvIntegrationID:  true,
	config.EnvWebhookSecret:  true,
	config.EnvPrivateKey:     true,
	config.EnvPrivateKeyPath: true,
	config.EnvWebURL:         true,
	config.EnvV3APIURL:       true,
	config.EnvDataDir:        true,
	config.EnvPostgresURL:    true,
}

// runtimeEnv is read by the Go runtime rather than by our code.
var runtimeEnv = map[string]bool{
	"GOMEMLIMIT": true,
	"GOMAXPROCS": true,
	"GOGC":       true,
}

// knownEnv reports whether something reads the variable name.
func knownEnv(name string) bool { return codeEnv[name] || runtimeEnv[name] }
