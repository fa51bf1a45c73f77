package server

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

func pemOf(key *rsa.PrivateKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
}

// The App learns its login once, before anything runs; a server whose
// credentials GitHub refuses, or that cannot reach GitHub, does not start
// (it would not know which comments are its own).
func TestTheAppLearnsItsIdentityAtStartUp(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fake := githubfake.New(githubfake.Options{AppID: 3, AppSlug: "ghcr-doctor", AppKey: key})
	t.Cleanup(fake.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String() + "/"
	require.NoError(t, l.Close())

	tests := []struct {
		name    string
		apiURL  string
		key     *rsa.PrivateKey
		fault   *githubfake.Fault
		want    string
		wantErr string
	}{
		{name: "accepted", apiURL: fake.URL() + "/", key: key, want: "ghcr-doctor[bot]"},
		{name: "a key GitHub refuses", apiURL: fake.URL() + "/", key: other, wantErr: "401"},
		{name: "GitHub failing", apiURL: fake.URL() + "/", key: key,
			fault: &githubfake.Fault{Method: "GET", PathPattern: "^/app$", Status: 502, Times: 10}, wantErr: "502"},
		{name: "GitHub unreachable", apiURL: closed, key: key, wantErr: "GET /app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.ClearFaults()
			if tt.fault != nil {
				fake.InjectFault(*tt.fault)
			}
			cfg := &config.Config{}
			cfg.GitHub = githubapp.Config{WebURL: "https://github.com", V3APIURL: tt.apiURL}
			cfg.GitHub.App.IntegrationID = 3
			cfg.GitHub.App.WebhookSecret = "secret"
			cfg.GitHub.App.PrivateKey = pemOf(tt.key)
			dataDir := filepath.Join(t.TempDir(), "queue")
			cfg.Queue = config.Queue{DataDir: dataDir, RedeliveryInterval: -1}

			if tt.wantErr == "" {
				creator, err := githubapp.NewDefaultCachingClientCreator(cfg.GitHub)
				require.NoError(t, err)
				id, err := learnIdentity(context.Background(), creator)
				require.NoError(t, err)
				assert.Equal(t, tt.want, id.botLogin)
				return
			}
			_, err := New(context.Background(), cfg, zerolog.Nop())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "learning the App's identity")
			assert.Contains(t, err.Error(), tt.wantErr)
			_, statErr := os.Stat(dataDir)
			assert.True(t, os.IsNotExist(statErr), "the queue is not opened")
		})
	}
}
