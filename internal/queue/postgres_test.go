package queue

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue/queuetest"
)

// silentServer accepts connections and never answers, like a PostgreSQL
// host behind a broken proxy.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// TestPostgresThatNeverAnswers: the start fails instead of hanging, with
// an error that names the server and not the password.
func TestPostgresThatNeverAnswers(t *testing.T) {
	addr := silentServer(t)
	tests := []struct {
		name string
		url  string
		opts Options
	}{
		{"the connect timeout", "postgres://ghcr:s3cret-pass@" + addr + "/queue?sslmode=disable", Options{ConnectTimeout: 200 * time.Millisecond}},
		{"the URL's connect_timeout", "postgres://ghcr:s3cret-pass@" + addr + "/queue?sslmode=disable&connect_timeout=1", Options{ConnectTimeout: time.Hour}},
		{"TLS first, as sslmode=prefer does", "postgres://ghcr:s3cret-pass@" + addr + "/queue", Options{ConnectTimeout: 200 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				q, err := OpenPostgres(context.Background(), tt.url, tt.opts, nil, zerolog.Nop(), nil)
				if q != nil {
					_ = q.db.Close()
				}
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute):
				t.Fatal("OpenPostgres hangs on a server that never answers")
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), addr+"/queue", "the error names the server")
			assert.NotContains(t, err.Error(), "s3cret-pass")
		})
	}
	_, err := OpenPostgres(context.Background(), "postgres://ghcr:s3cret-pass@"+addr+"/queue?connect_timeout=nope", Options{}, nil, zerolog.Nop(), nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret-pass", "a URL that does not parse is not echoed with its password")
}

// TestReplicasStartTogether: replicas of a new deployment open the queue
// on a fresh database at the same moment; each migration waits for the
// other, and every replica starts.
func TestReplicasStartTogether(t *testing.T) {
	base := queuetest.PostgresURL(t)
	if base == "" {
		t.Skip()
	}
	const replicas, rounds = 4, 3
	for round := range rounds {
		t.Run(fmt.Sprint("round ", round), func(t *testing.T) {
			url := queuetest.FreshPostgresSchema(t, base)
			errs := make([]error, replicas)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-gate
					q, err := OpenPostgres(context.Background(), url, fast(), nil, zerolog.Nop(), nil)
					if err == nil {
						_ = q.db.Close()
					}
					errs[i] = err
				}()
			}
			close(gate)
			wg.Wait()
			for i, err := range errs {
				assert.NoError(t, err, "replica %d", i)
			}
		})
	}
}
