package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflightcheck"
)

const (
	sha1 = "1111111111111111111111111111111111111111"
	sha2 = "2222222222222222222222222222222222222222"
)

func pullPayload(action string, mutate func(pr map[string]any)) []byte {
	pr := map[string]any{"number": 3, "state": "open", "draft": false, "html_url": "https://github.com/acme/app/pull/3",
		"head": map[string]any{"sha": sha1, "ref": "feature", "repo": map[string]any{"full_name": "fork/app"}}}
	if mutate != nil {
		mutate(pr)
	}
	b, _ := json.Marshal(map[string]any{
		"action": action, "number": 3, "pull_request": pr,
		"repository":   map[string]any{"id": 1, "name": "app", "default_branch": "main", "owner": map[string]any{"login": "acme", "type": "Organization"}},
		"installation": map[string]any{"id": 5},
	})
	return b
}

func TestPullRequestHandler(t *testing.T) {
	tests := []struct {
		name   string
		body   []byte
		queued bool
		bad    bool
	}{
		{"opened", pullPayload("opened", nil), true, false},
		{"synchronize", pullPayload("synchronize", nil), true, false},
		{"reopened", pullPayload("reopened", nil), true, false},
		{"a draft is checked too", pullPayload("opened", func(pr map[string]any) { pr["draft"] = true }), true, false},
		{"a fork's pull request is checked", pullPayload("opened", nil), true, false},
		{"closed", pullPayload("closed", func(pr map[string]any) { pr["state"] = "closed" }), false, false},
		{"labeled", pullPayload("labeled", nil), false, false},
		{"a closed pull request's event", pullPayload("synchronize", func(pr map[string]any) { pr["state"] = "closed" }), false, false},
		{"no head sha", pullPayload("opened", func(pr map[string]any) { pr["head"] = map[string]any{} }), false, true},
		{"not json", []byte("{"), false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := &recordingQueue{}
			err := (&PullRequest{Base: Base{Queue: q}}).Handle(context.Background(), "pull_request", "d1", tc.body)
			var bad *BadPayloadError
			assert.Equal(t, tc.bad, errors.As(err, &bad), "%v", err)
			if !tc.queued {
				assert.Empty(t, q.jobs)
				return
			}
			require.NoError(t, err)
			require.Len(t, q.jobs, 1)
			job := q.jobs[0]
			assert.Equal(t, KindPreflight, job.Kind)
			assert.Equal(t, "preflight:acme/app:pull:3:"+sha1, job.Key, "one check per pull request and head")
			assert.Equal(t, "preflight:acme/app", job.Serial)
			var ev preflightcheck.Event
			require.NoError(t, json.Unmarshal(job.Payload, &ev))
			assert.Equal(t, 3, ev.Pull)
			assert.Equal(t, sha1, ev.HeadSHA)
			assert.Equal(t, int64(5), ev.InstallationID)
			assert.Equal(t, "https://github.com/acme/app/pull/3", ev.PullURL)
		})
	}
}

type pushCommit struct{ added, modified, removed []string }

func pushPayload(ref, before, after string, commits ...pushCommit) []byte {
	cs := []any{}
	for _, c := range commits {
		cs = append(cs, map[string]any{"id": after, "added": c.added, "modified": c.modified, "removed": c.removed})
	}
	b, _ := json.Marshal(map[string]any{
		"ref": ref, "before": before, "after": after, "deleted": after == strings.Repeat("0", 40), "commits": cs,
		"repository": map[string]any{"id": 1, "name": "app", "default_branch": "main", "owner": map[string]any{"login": "acme", "type": "Organization"},
			"organization": "acme", "created_at": 1700000000, "pushed_at": 1700000001},
		"installation": map[string]any{"id": 5},
	})
	return b
}

func TestPushHandler(t *testing.T) {
	zero := strings.Repeat("0", 40)
	many := make([]pushCommit, maxPushCommits)
	tests := []struct {
		name    string
		body    []byte
		key     string
		known   bool
		changed []string
	}{
		{"a workflow change", pushPayload("refs/heads/main", sha1, sha2, pushCommit{modified: []string{".github/workflows/release.yml", "README.md"}}),
			"preflight:acme/app:push:" + sha2, true, []string{".github/workflows/release.yml", "README.md"}},
		{"a removed local action", pushPayload("refs/heads/main", sha1, sha2, pushCommit{removed: []string{".github/actions/login/action.yml"}}),
			"preflight:acme/app:push:" + sha2, true, []string{".github/actions/login/action.yml"}},
		{"README only: the once-per-repository baseline job", pushPayload("refs/heads/main", sha1, sha2, pushCommit{modified: []string{"README.md"}}),
			"preflight-baseline:acme/app:1", true, nil},
		{"a new branch is compared by the job", pushPayload("refs/heads/main", zero, sha2), "preflight:acme/app:push:" + sha2, false, nil},
		{"a truncated payload is compared by the job", pushPayload("refs/heads/main", sha1, sha2, many...), "preflight:acme/app:push:" + sha2, false, nil},
		{"another branch", pushPayload("refs/heads/feature", sha1, sha2, pushCommit{modified: []string{".github/workflows/x.yml"}}), "", false, nil},
		{"a tag", pushPayload("refs/tags/main", sha1, sha2, pushCommit{modified: []string{".github/workflows/x.yml"}}), "", false, nil},
		{"a deletion", pushPayload("refs/heads/main", sha1, zero), "", false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := &recordingQueue{}
			require.NoError(t, (&Push{Base: Base{Queue: q}}).Handle(context.Background(), "push", "d1", tc.body))
			if tc.key == "" {
				assert.Empty(t, q.jobs)
				return
			}
			require.Len(t, q.jobs, 1)
			assert.Equal(t, tc.key, q.jobs[0].Key)
			var ev preflightcheck.Event
			require.NoError(t, json.Unmarshal(q.jobs[0].Payload, &ev))
			assert.Equal(t, tc.known, ev.ChangedKnown)
			assert.Equal(t, tc.changed, ev.Changed)
			assert.Equal(t, sha2, ev.HeadSHA)
			assert.Equal(t, int64(1), ev.RepoID)
			assert.Equal(t, "Organization", ev.Repo.OwnerType)
		})
	}
}

func TestPushForgetsTheConfiguration(t *testing.T) {
	zero := strings.Repeat("0", 40)
	tests := []struct {
		name string
		body []byte
		want bool
	}{
		{"the file added", pushPayload("refs/heads/main", sha1, sha2, pushCommit{added: []string{".github/ghcr-doctor.yml"}}), true},
		{"the file removed", pushPayload("refs/heads/main", sha1, sha2, pushCommit{removed: []string{".github/ghcr-doctor.yml"}}), true},
		{"other files", pushPayload("refs/heads/main", sha1, sha2, pushCommit{modified: []string{"README.md", ".github/workflows/release.yml"}}), false},
		{"files not listed: a new branch", pushPayload("refs/heads/main", zero, sha2), true},
		{"the file, on another branch", pushPayload("refs/heads/feature", sha1, sha2, pushCommit{added: []string{".github/ghcr-doctor.yml"}}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var heard []string
			h := &Push{Base: Base{Queue: &recordingQueue{}}, ConfigChanged: func(owner, repo string) { heard = append(heard, owner+"/"+repo) }}
			require.NoError(t, h.Handle(context.Background(), "push", "d1", tc.body))
			if tc.want {
				assert.Equal(t, []string{"acme/app"}, heard)
			} else {
				assert.Empty(t, heard)
			}
		})
	}
}
