package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

const (
	floodRequests = 20
	floodBody     = 24 << 20
	// floodHeapBound is what the flood may allocate in this process, the
	// clients included: an upper bound on the server's heap growth.
	floodHeapBound = 200 << 20
)

// newTestServer runs the real server (SQLite queue, a simulated GitHub that
// only tells the App who it is) with the guard's webhook secret.
func newTestServer(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	fake := githubfake.New(githubfake.Options{AppID: 1, AppSlug: "ghcr-doctor", AppKey: key})
	t.Cleanup(fake.Close)
	cfg := &config.Config{}
	cfg.GitHub = githubapp.Config{WebURL: "https://github.com", V3APIURL: fake.URL() + "/"}
	cfg.GitHub.App.IntegrationID = 1
	cfg.GitHub.App.WebhookSecret = guardSecret
	cfg.GitHub.App.PrivateKey = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	cfg.Worker = config.Worker{Workers: 1, HTTPTimeout: time.Second}
	cfg.Queue = config.Queue{DataDir: t.TempDir(), PollInterval: 50 * time.Millisecond, RedeliveryInterval: -1}
	cfg.Server.ShutdownPeriod = time.Second
	srv, err := New(context.Background(), cfg, zerolog.Nop())
	require.NoError(t, err)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL + HookPath
}

// allocated is the bytes this process allocated so far: heap growth over
// a stretch of work is at most its increase, whenever the GC runs.
func allocated() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// gatedReader sends the first chunk of body, then waits for the gate.
type gatedReader struct {
	body  *bytes.Reader
	first int64
	gate  <-chan struct{}
}

func (g *gatedReader) Read(p []byte) (int, error) {
	sent := g.body.Size() - int64(g.body.Len())
	if sent >= g.first {
		<-g.gate
	} else if int64(len(p)) > g.first-sent {
		p = p[:g.first-sent]
	}
	return g.body.Read(p)
}

// TestWebhookFlood: 20 concurrent 24 MiB deliveries, unsigned and then
// with a forged signature, keep the server's heap growth under 200 MiB,
// and it still accepts a signed delivery afterwards.
func TestWebhookFlood(t *testing.T) {
	hookURL := newTestServer(t)
	body := bytes.Repeat([]byte("A"), floodBody)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	post := func(r io.Reader, sig string) (int, string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hookURL, r)
		if err != nil {
			return 0, "", err
		}
		req.ContentLength = floodBody
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GitHub-Event", "workflow_run")
		if sig != "" {
			req.Header.Set("X-Hub-Signature-256", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), nil
	}

	t.Run("unsigned", func(t *testing.T) {
		runtime.GC()
		before := allocated()
		var wg sync.WaitGroup
		statuses := make([]int, floodRequests)
		for i := range floodRequests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, _, err := post(bytes.NewReader(body), "")
				if err != nil && !errors.Is(err, context.Canceled) {
					// The server answered without reading and closed the
					// connection while the client was still sending.
					status = -1
				}
				statuses[i] = status
			}()
		}
		wg.Wait()
		grew := allocated() - before
		t.Logf("allocated %d MiB during the unsigned flood", grew>>20)
		assert.Less(t, grew, uint64(floodHeapBound))
		for _, s := range statuses {
			assert.Contains(t, []int{http.StatusUnauthorized, -1}, s)
		}
	})

	t.Run("forged signature", func(t *testing.T) {
		runtime.GC()
		before := allocated()
		gate := make(chan struct{})
		forged := "sha256=" + strings.Repeat("0", 2*sha256.Size)
		type answer struct {
			status     int
			retryAfter string
		}
		answers := make(chan answer, floodRequests)
		for range floodRequests {
			go func() {
				status, retryAfter, err := post(&gatedReader{body: bytes.NewReader(body), first: 1 << 20, gate: gate}, forged)
				if err != nil {
					status = -1
				}
				answers <- answer{status, retryAfter}
			}()
		}
		// The bodies stall after their first MiB: the deliveries the budget
		// admits are being read, the rest must be refused at once.
		counts := map[int]int{}
		admitted := int(maxInFlightBytes / floodBody)
		for range floodRequests - admitted {
			a := <-answers
			counts[a.status]++
			assert.Equal(t, busyRetryAfter, a.retryAfter)
		}
		close(gate)
		for range admitted {
			counts[(<-answers).status]++
		}
		grew := allocated() - before
		t.Logf("allocated %d MiB during the forged flood; answers %v", grew>>20, counts)
		assert.Less(t, grew, uint64(floodHeapBound))
		assert.Equal(t, map[int]int{http.StatusServiceUnavailable: floodRequests - admitted, http.StatusUnauthorized: admitted}, counts)
	})

	t.Run("a signed delivery is still admitted", func(t *testing.T) {
		payload := []byte(`{"action":"requested","workflow_run":{"id":1,"conclusion":null},` +
			`"repository":{"id":2,"name":"app","full_name":"acme/app","owner":{"login":"acme"}},"installation":{"id":3}}`)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hookURL, bytes.NewReader(payload))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GitHub-Event", "workflow_run")
		req.Header.Set("X-GitHub-Delivery", "after-the-flood")
		req.Header.Set("X-Hub-Signature-256", "sha256="+hmacHex(sha256.New, payload))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "admitted, and ignored: a requested run has nothing to do")
	})
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				t.Logf("peak resident memory of the test process: %s", strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")))
			}
		}
	}
}
