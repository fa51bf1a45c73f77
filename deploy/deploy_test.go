// Package deploy_test checks that the deployment files in this folder (the
// Dockerfile, Compose file, Kubernetes manifests, container configuration and
// GitHub App manifest) agree with the code they deploy: ports, paths,
// environment variables, configuration keys, timeouts and permissions.
package deploy_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
)

// repoRoot is the module root: the Dockerfile's build context.
const repoRoot = ".."

// readFile reads a file of this folder (or, with "../", of the repository).
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.FromSlash(path))
	require.NoError(t, err, "reading %s", path)
	return data
}

// yamlDocuments decodes every document of a YAML stream into nodes.
func yamlDocuments(t *testing.T, path string) []*yaml.Node {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, path)))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		require.NoError(t, err, "parsing %s", path)
		docs = append(docs, &doc)
	}
}

// decodeYAML decodes a single-document YAML file into v.
func decodeYAML(t *testing.T, path string, v any) {
	t.Helper()
	docs := yamlDocuments(t, path)
	require.Len(t, docs, 1, "%s: documents", path)
	require.NoError(t, docs[0].Decode(v), "decoding %s", path)
}

// testKey is a private key in the PEM form GitHub hands out, generated once.
var testKey = sync.OnceValues(func() (string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", err
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	return string(pem.EncodeToMemory(block)), nil
})

// setSecretEnv provides the App's secrets the way the deployments do, through
// the environment, and clears every other variable the configuration reads.
func setSecretEnv(t *testing.T) {
	t.Helper()
	key, err := testKey()
	require.NoError(t, err, "generating a private key")
	for name := range codeEnv {
		t.Setenv(name, "")
		require.NoError(t, os.Unsetenv(name))
	}
	t.Setenv(config.EnvIntegrationID, "12345")
	t.Setenv(config.EnvWebhookSecret, "test-webhook-secret")
	t.Setenv(config.EnvPrivateKey, key)
}

// parseConfig parses a configuration file's text as the server does at start.
func parseConfig(t *testing.T, name string, data []byte) *config.Config {
	t.Helper()
	setSecretEnv(t)
	cfg, err := config.Parse(data)
	require.NoError(t, err, "%s must parse with config.Parse (unknown keys are errors)", name)
	return cfg
}

// modulePath returns the module path declared in go.mod.
func modulePath(t *testing.T) string {
	t.Helper()
	for _, line := range strings.Split(string(readFile(t, repoRoot+"/go.mod")), "\n") {
		if rest, ok := strings.CutPrefix(line, "module "); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatal("go.mod declares no module")
	return ""
}
