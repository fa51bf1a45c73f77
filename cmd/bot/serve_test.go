package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeBindsBeforeOpeningTheQueue: a server whose port is taken (a
// second bot serve next to a live one) fails before it creates, migrates
// or resumes anything in the data directory.
func TestServeBindsBeforeOpeningTheQueue(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	keyPath := writeFile(t, t.TempDir(), "app.pem", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	dataDir := filepath.Join(t.TempDir(), "data")
	cfg := fmt.Sprintf(`server:
  address: 127.0.0.1
  port: %d
github:
  app:
    integration_id: 1
    webhook_secret: s
queue:
  data_dir: %s
`, port, dataDir)
	cfgPath := writeFile(t, t.TempDir(), "config.yml", []byte(cfg))
	t.Setenv("GITHUB_APP_PRIVATE_KEY_PATH", keyPath)

	r := runBot(t, "", "serve", "--config", cfgPath)
	assert.NotEqual(t, 0, r.code)
	assert.Contains(t, r.stderr, fmt.Sprintf("listening on 127.0.0.1:%d", port))
	_, err = os.Stat(dataDir)
	assert.True(t, os.IsNotExist(err), "the data directory was not touched: %v", err)
	assert.False(t, strings.Contains(r.stderr, "queue"), r.stderr)
}
