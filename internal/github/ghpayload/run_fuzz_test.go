package ghpayload

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeRun holds the workflow run decoder, which reads what a webhook
// carries, to its promises whatever the bytes: no panic, an error or a run,
// and only pull requests into the run's own repository.
func FuzzDecodeRun(f *testing.F) {
	f.Add([]byte(`{"id":7,"run_attempt":2,"path":".github/workflows/release.yml","event":"pull_request","conclusion":"failure",`+
		`"repository":{"id":1},"pull_requests":[{"number":3,"base":{"repo":{"id":1}}},{"number":4,"base":{"repo":{"id":2}}}]}`), int64(0))
	f.Add([]byte(`{"pull_requests":[{"number":1}],"repository":null}`), int64(9))
	f.Add([]byte(`[]`), int64(0))
	if seeds, err := filepath.Glob(filepath.Join("..", "..", "..", "..", "shared", "github-examples", "payloads", "workflow_run.*.json")); err == nil {
		for _, p := range seeds {
			var ev struct {
				Run json.RawMessage `json:"workflow_run"`
			}
			if b, err := os.ReadFile(p); err == nil && json.Unmarshal(b, &ev) == nil && len(ev.Run) > 0 {
				f.Add([]byte(ev.Run), int64(0))
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, repoID int64) {
		run, err := DecodeRun(raw, repoID)
		if err != nil {
			return
		}
		var doc struct {
			Repo struct {
				ID int64 `json:"id"`
			} `json:"repository"`
			PRs []struct {
				Number int `json:"number"`
				Base   struct {
					Repo *struct {
						ID int64 `json:"id"`
					} `json:"repo"`
				} `json:"base"`
			} `json:"pull_requests"`
		}
		if json.Unmarshal(raw, &doc) != nil {
			return
		}
		want := repoID
		if want == 0 {
			want = doc.Repo.ID
		}
		if len(run.PullRequests) > len(doc.PRs) {
			t.Fatalf("%d pull requests from %d", len(run.PullRequests), len(doc.PRs))
		}
		for _, pr := range doc.PRs {
			if pr.Base.Repo != nil && pr.Base.Repo.ID != 0 && want != 0 && pr.Base.Repo.ID != want {
				for _, n := range run.PullRequests {
					if n == pr.Number && !keptElsewhere(doc.PRs, n, want) {
						t.Fatalf("pull request %d into repository %d kept for repository %d", n, pr.Base.Repo.ID, want)
					}
				}
			}
		}
	})
}

// keptElsewhere reports whether another pull request with the same number
// goes into the wanted repository (numbers may repeat across repositories).
func keptElsewhere(prs []struct {
	Number int `json:"number"`
	Base   struct {
		Repo *struct {
			ID int64 `json:"id"`
		} `json:"repo"`
	} `json:"base"`
}, n int, want int64) bool {
	for _, pr := range prs {
		if pr.Number == n && (pr.Base.Repo == nil || pr.Base.Repo.ID == 0 || pr.Base.Repo.ID == want) {
			return true
		}
	}
	return false
}
