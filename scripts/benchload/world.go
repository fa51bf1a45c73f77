package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
	"github.com/ghcr-doctor/ghcr-doctor/internal/samples"
)

const (
	appID         = 77
	webhookSecret = "bench-webhook-secret"
	workflowPath  = ".github/workflows/release.yml"
)

// appPermissions is what the App asks for in its manifest.
var appPermissions = map[string]string{
	"actions": "read", "checks": "write", "contents": "read", "issues": "write", "pull_requests": "write",
	"metadata": "read", "administration": "read", "organization_administration": "read",
}

// run is one failed workflow run of the simulated world.
type run struct {
	installation int64
	owner, repo  string
	id           int64
	sha, branch  string
	// completed and ignored are its workflow_run deliveries: "completed"
	// (a failure, queued for a diagnosis) and "in_progress" (ignored).
	completed, ignored []byte
}

// world is the simulated GitHub with installations, one repository each,
// and failed pushes to ghcr.io on their own branch and commit.
type world struct {
	fake *githubfake.Server
	runs []*run
}

// newWorld adds installations numbered from 1 and perInstallation[i] failed
// runs to installation i+1.
func newWorld(perInstallation []int) *world {
	fake := githubfake.New(githubfake.Options{AppID: appID, AppSlug: "ghcr-doctor"})
	w := &world{fake: fake}
	for i, n := range perInstallation {
		inst := int64(i + 1)
		owner := fmt.Sprintf("org%d", inst)
		fake.AddInstallation(inst, owner, "Organization", appPermissions)
		fake.AddRepo(githubfake.Repo{Owner: owner, Name: "app", ID: 5000 + inst, OwnerType: "Organization", InstallationID: inst})
		fake.SetRepoWorkflowPermissions(owner, "app", "read")
		fake.SetOrgWorkflowPermissions(owner, "read")
		workflow := []byte(strings.ReplaceAll(samples.WorkflowJobPermsWithoutPackages, "acme", owner))
		log := samples.JobLog([]string{"Contents: read", "Metadata: read"}, "docker/build-push-action@v6",
			"#12 pushing ghcr.io/"+owner+"/app:latest",
			"#12 ERROR: failed to push ghcr.io/"+owner+"/app:latest: denied: installation not allowed to Write organization package",
			"##[error]buildx failed with: ERROR: failed to push ghcr.io/"+owner+"/app:latest: denied: installation not allowed to Write organization package")
		for j := 0; j < n; j++ {
			id := inst*100000 + int64(j) + 1
			r := &run{installation: inst, owner: owner, repo: "app", id: id,
				sha: fmt.Sprintf("%040x", id), branch: fmt.Sprintf("release-%d", id)}
			fake.SetFile(owner, "app", r.sha, workflowPath, workflow)
			fake.AddRun(owner, "app", githubfake.Run{ID: id, Attempt: 1, Name: "Release", Path: workflowPath, HeadSHA: r.sha,
				HeadBranch: r.branch, Event: "push", Conclusion: "failure", Actor: "octocat", WorkflowID: 55})
			fake.AddJob(owner, "app", id, githubfake.Job{ID: id * 10, RunAttempt: 1, Name: "build", Conclusion: "failure", Log: []byte(log)})
			r.completed = fake.WorkflowRunEvent("completed", owner, "app", id)
			r.ignored = fake.WorkflowRunEvent("in_progress", owner, "app", id)
			w.runs = append(w.runs, r)
		}
	}
	return w
}

// reports counts, per run, the tracking issues and check runs the bot
// wrote for it: exactly one of each is a run reported exactly once.
func (w *world) reports() (issues, checkRuns map[int64]int) {
	issues, checkRuns = map[int64]int{}, map[int64]int{}
	byBranch, bySHA := map[string]int64{}, map[string]int64{}
	repos := map[string]bool{}
	for _, r := range w.runs {
		byBranch[r.owner+" "+r.branch] = r.id
		bySHA[r.sha] = r.id
		repos[r.owner] = true
	}
	for owner := range repos {
		for _, is := range w.fake.Issues(owner, "app") {
			if id, ok := byBranch[owner+" "+branchOfTitle(is.Title)]; ok && !is.IsPR {
				issues[id]++
			}
		}
		for _, cr := range w.fake.CheckRuns(owner, "app") {
			if id, ok := bySHA[cr.HeadSHA]; ok {
				checkRuns[id]++
			}
		}
	}
	return issues, checkRuns
}

// branchOfTitle is the branch an issue title names: "… from BRANCH (workflow)".
func branchOfTitle(title string) string {
	_, rest, ok := strings.Cut(title, " from ")
	if !ok {
		return ""
	}
	branch, _, _ := strings.Cut(rest, " ")
	return branch
}

// startWorldAndBot builds the simulated GitHub with perInstallation failed
// runs and starts `bot serve` against it, on a fresh PostgreSQL schema
// when postgres is set, else on SQLite in a temporary directory; stop
// undoes all of it.
func startWorldAndBot(perInstallation []int, botPath, postgres string, workers int) (*world, *process, func(), error) {
	w := newWorld(perInstallation)
	var undo []func()
	stop := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	undo = append(undo, w.fake.Close)
	dir, err := os.MkdirTemp("", "benchload")
	if err != nil {
		stop()
		return nil, nil, nil, fmt.Errorf("creating a directory: %w", err)
	}
	undo = append(undo, func() { os.RemoveAll(dir) })
	pgURL := ""
	if postgres != "" {
		u, drop, err := freshSchema(context.Background(), postgres)
		if err != nil {
			stop()
			return nil, nil, nil, err
		}
		undo = append(undo, drop)
		pgURL = u
	}
	bot, err := startBot(botPath, dir, w, pgURL, workers)
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	undo = append(undo, bot.stop)
	return w, bot, stop, nil
}
