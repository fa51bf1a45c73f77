package repoconfig

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// countingFetcher serves files from a map and counts the requests per
// "owner/repo:path@ref"; a missing file is a 404, fail a 502. Load asks
// for the repository's file and the organisation's at once.
type countingFetcher struct {
	mu    sync.Mutex
	files map[string]string
	asked map[string]int
	fail  bool
}

func (f *countingFetcher) GetFile(_ context.Context, owner, repo, path, ref string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := owner + "/" + repo + ":" + path + "@" + ref
	f.asked[key]++
	if f.fail {
		return nil, &gherr.StatusError{Op: "reading", Status: 502}
	}
	data, ok := f.files[owner+"/"+repo+":"+path]
	if !ok {
		return nil, &gherr.NotFoundError{Op: "reading", Status: 404}
	}
	return []byte(data), nil
}

func TestAbsentSparesTheRequestsForMissingFiles(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	gh := &countingFetcher{files: map[string]string{}, asked: map[string]int{}}
	a := &Absent{Now: func() time.Time { return now }}
	f := a.Fetcher(gh)

	for range 3 {
		l := Load(ctx, f, "acme", "app")
		require.NoError(t, l.Err)
		assert.Equal(t, Default(), l.Config)
		now = now.Add(time.Minute)
	}
	assert.Equal(t, 1, gh.asked["acme/app:"+Path+"@"], "the repository's file is asked for once")
	assert.Equal(t, 1, gh.asked["acme/.github:"+Path+"@"], "and the organisation's once")

	now = now.Add(DefaultAbsentFor)
	Load(ctx, f, "acme", "app")
	assert.Equal(t, 2, gh.asked["acme/app:"+Path+"@"], "an expired answer is asked again")
	Load(ctx, f, "ACME", "App")
	assert.Zero(t, gh.asked["ACME/App:"+Path+"@"], "names compare without case, as on GitHub")

	// A push adds the organisation's file.
	gh.files["acme/.github:"+Path] = "enabled: false\n"
	now = now.Add(time.Second)
	a.Forget("acme", ".github")
	now = now.Add(time.Second)
	l := Load(ctx, f, "acme", "app")
	require.NoError(t, l.Err)
	assert.False(t, l.Config.Enabled, "a forgotten file is read at once")

	_, err := f.GetFile(ctx, "acme", "app", ".github/workflows/release.yml", "")
	require.True(t, gherr.IsNotFound(err))
	_, _ = f.GetFile(ctx, "acme", "app", ".github/workflows/release.yml", "")
	assert.Equal(t, 2, gh.asked["acme/app:.github/workflows/release.yml@"], "other files are never remembered")
	_, _ = f.GetFile(ctx, "acme", "other", Path, "abc123")
	_, _ = f.GetFile(ctx, "acme", "other", Path, "abc123")
	assert.Equal(t, 2, gh.asked["acme/other:"+Path+"@abc123"], "nor the file at a commit")
}

func TestAbsentRemembersOnlyNotFound(t *testing.T) {
	ctx := context.Background()
	gh := &countingFetcher{files: map[string]string{}, asked: map[string]int{}, fail: true}
	f := (&Absent{}).Fetcher(gh)
	for range 2 {
		_, err := f.GetFile(ctx, "acme", "app", Path, "")
		var se *gherr.StatusError
		require.True(t, errors.As(err, &se))
	}
	assert.Equal(t, 2, gh.asked["acme/app:"+Path+"@"], "a failure is not an answer")
}

func TestAbsentIgnoresA404ThatPredatesAPush(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	a := &Absent{Now: func() time.Time { return now }}
	// The request is sent, the push lands and is forgotten, then the
	// (stale) 404 comes back.
	slow := fetcherFunc(func(context.Context, string, string, string, string) ([]byte, error) {
		now = now.Add(time.Second)
		a.Forget("acme", "app")
		now = now.Add(time.Second)
		return nil, &gherr.NotFoundError{Op: "reading", Status: 404}
	})
	_, err := a.Fetcher(slow).GetFile(ctx, "acme", "app", Path, "")
	require.True(t, gherr.IsNotFound(err))
	assert.False(t, a.known("acme", "app"), "the 404 may predate the push that added the file")
}

type fetcherFunc func(ctx context.Context, owner, repo, path, ref string) ([]byte, error)

func (f fetcherFunc) GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error) {
	return f(ctx, owner, repo, path, ref)
}
