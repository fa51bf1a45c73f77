package config

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pemKey(t *testing.T, typ string, der []byte, err error) string {
	t.Helper()
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

// TestValidateRefusesWhatWouldFailLater: keys GitHub cannot verify,
// placeholders left from the example and unknown log levels stop the
// server at start, each with its fix.
func TestValidateRefusesWhatWouldFailLater(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	pkcs8 := func(k any) string {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		return pemKey(t, "PRIVATE KEY", der, err)
	}
	ecDER, ecErr := x509.MarshalECPrivateKey(ecKey)
	good := pemKey(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey), nil)

	tests := []struct {
		name    string
		key     string
		id      string
		secret  string
		level   string
		wantErr []string
	}{
		{name: "RSA, PKCS#1", key: good},
		{name: "RSA, PKCS#8", key: pkcs8(rsaKey)},
		{name: "ECDSA, PKCS#8", key: pkcs8(ecKey), wantErr: []string{"an ECDSA key, but GitHub App keys are RSA", "Generate a private key"}},
		{name: "ECDSA, SEC 1", key: pemKey(t, "EC PRIVATE KEY", ecDER, ecErr), wantErr: []string{"an ECDSA key, but GitHub App keys are RSA"}},
		{name: "Ed25519", key: pkcs8(edKey), wantErr: []string{"an Ed25519 key, but GitHub App keys are RSA"}},
		{name: "example App ID", key: good, id: "123456", wantErr: []string{"github.app.integration_id: 123456 is the example's placeholder", "App ID"}},
		{name: "example secret", key: good, secret: "change-me", wantErr: []string{`github.app.webhook_secret: "change-me" is the example's placeholder`}},
		{name: "unknown log level", key: good, level: "verbose", wantErr: []string{`logging.level: "verbose" is not a level`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{EnvIntegrationID, EnvWebhookSecret, EnvPrivateKey, EnvPrivateKeyPath} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			id, secret, level := tt.id, tt.secret, tt.level
			if id == "" {
				id = "42"
			}
			if secret == "" {
				secret = "s3cret"
			}
			if level == "" {
				level = "info"
			}
			t.Setenv(EnvIntegrationID, id)
			t.Setenv(EnvWebhookSecret, secret)
			t.Setenv(EnvPrivateKey, tt.key)
			_, err := Parse([]byte("logging:\n  level: " + level + "\n"))
			if len(tt.wantErr) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tt.wantErr {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
