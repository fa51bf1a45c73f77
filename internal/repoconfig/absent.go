package repoconfig

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// DefaultAbsentFor is how long a configuration file found missing is taken
// to stay missing, unless a push says otherwise.
const DefaultAbsentFor = 5 * time.Minute

// maxAbsent bounds how many missing files are remembered.
const maxAbsent = 50_000

// Absent remembers, for a while, which repositories have no configuration
// file on their default branch, so that the failed runs of a repository
// without one (most of them) do not ask GitHub twice each for files that
// are not there: GitHub's 404s carry no ETag, so the HTTP cache cannot
// revalidate them. A push to a default branch that adds the file forgets
// the answer at once (Forget); other processes learn of it when their
// answer expires. It is safe for concurrent use.
type Absent struct {
	// For is how long an answer is kept; DefaultAbsentFor when zero.
	For time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	mu    sync.Mutex
	until map[string]time.Time
	// forgotten is when each repository was last forgotten: a 404 asked
	// for before then may predate the push, and is not remembered.
	forgotten map[string]time.Time
}

func absentKey(owner, repo string) string {
	return strings.ToLower(owner) + "/" + strings.ToLower(repo)
}

func (a *Absent) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// known reports whether the repository's file is known to be missing.
func (a *Absent) known(owner, repo string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	until, ok := a.until[absentKey(owner, repo)]
	return ok && a.now().Before(until)
}

// remember records that the repository's file is missing, as GitHub
// answered a request sent at asked.
func (a *Absent) remember(owner, repo string, asked time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := absentKey(owner, repo)
	if forgotten, ok := a.forgotten[key]; ok && !asked.After(forgotten) {
		return
	}
	now := a.now()
	if a.until == nil {
		a.until = map[string]time.Time{}
	}
	if len(a.until) >= maxAbsent {
		a.dropExpired(now)
		if len(a.until) >= maxAbsent {
			return
		}
	}
	keep := a.For
	if keep <= 0 {
		keep = DefaultAbsentFor
	}
	a.until[key] = now.Add(keep)
}

// dropExpired drops the answers that have expired, and the times of
// forgetting that no request in flight can predate any more.
func (a *Absent) dropExpired(now time.Time) {
	for k, until := range a.until {
		if !now.Before(until) {
			delete(a.until, k)
		}
	}
	for k, at := range a.forgotten {
		if now.Sub(at) > time.Hour {
			delete(a.forgotten, k)
		}
	}
}

// Forget drops what is known of the repository's file, after a push that
// may have added it. The organisation's fallback is the `.github`
// repository's own file, so forgetting that repository forgets it for
// every repository of the organisation.
func (a *Absent) Forget(owner, repo string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := absentKey(owner, repo)
	delete(a.until, key)
	if a.forgotten == nil {
		a.forgotten = map[string]time.Time{}
	}
	if len(a.forgotten) >= maxAbsent {
		a.dropExpired(a.now())
	}
	a.forgotten[key] = a.now()
}

// Fetcher wraps f: a read of a configuration file on a default branch
// known to be missing is answered with a 404 without asking GitHub, and a
// 404 from GitHub is remembered. Other reads pass through.
func (a *Absent) Fetcher(f Fetcher) Fetcher { return absentFetcher{a: a, next: f} }

type absentFetcher struct {
	a    *Absent
	next Fetcher
}

func (f absentFetcher) GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error) {
	if path != Path || ref != "" {
		return f.next.GetFile(ctx, owner, repo, path, ref)
	}
	if f.a.known(owner, repo) {
		return nil, &gherr.NotFoundError{Op: "reading " + owner + "/" + repo + ":" + Path + " (known missing)", Status: 404}
	}
	asked := f.a.now()
	data, err := f.next.GetFile(ctx, owner, repo, path, ref)
	if gherr.IsNotFound(err) {
		f.a.remember(owner, repo, asked)
	}
	return data, err
}
