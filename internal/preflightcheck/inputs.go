package preflightcheck

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// repoFiles are the repository root's files the analysis reads besides
// the workflows (npm's, GoReleaser's, Maven's and Gradle's); a missing one
// is simply absent.
var repoFiles = preflight.RootFiles

// maxPackageFiles bounds how many files of package directories (an npm
// publish's working-directory, GoReleaser's workdir) one check reads.
const maxPackageFiles = 50

// maxWorkflows bounds how many workflow files one check reads.
const maxWorkflows = 200

// maxLocalActions bounds how many local composite actions one check reads.
const maxLocalActions = 50

// inputs is what the analysis reads at the head commit.
type inputs struct {
	// workflows are the workflow files by path, in path order.
	workflows []string
	sources   map[string][]byte
	files     map[string][]byte
	settings  preflight.Settings
	// settingsUnknown explains the defaults that could not be read.
	settingsUnknown []string
	// unreadable are the workflow files that could not be read.
	unreadable []Unreadable
}

// gather reads every workflow file at the head commit (a change to a local
// action can affect any of them), the local actions they use, the other
// files the analysis reads, and the default workflow permissions through
// triage's Gatherer. A transient failure is returned, so the job is tried again.
func gather(ctx context.Context, gh GitHub, ev Event, finalAttempt bool) (*inputs, error) {
	owner, repo, ref := ev.Repo.Owner, ev.Repo.Name, ev.HeadSHA
	in := &inputs{sources: map[string][]byte{}, files: map[string][]byte{}}
	entries, err := gh.ListDir(ctx, owner, repo, Workflows, ref)
	if err != nil && !gherr.IsNotFound(err) {
		return nil, fmt.Errorf("listing %s at %s: %w", Workflows, ref, err)
	}
	for _, e := range entries {
		if e.Type == "file" && IsWorkflowFile(e.Path) && len(in.workflows) < maxWorkflows {
			in.workflows = append(in.workflows, e.Path)
		}
	}
	sort.Strings(in.workflows)
	for _, p := range in.workflows {
		src, err := gh.GetFile(ctx, owner, repo, p, ref)
		switch {
		case err == nil:
			in.sources[p] = src
			in.files[p] = src // a local reusable workflow is read by its callers' analysis
		case gherr.IsTransient(err) && !finalAttempt:
			return nil, fmt.Errorf("reading %s: %w", p, err)
		default:
			in.unreadable = append(in.unreadable, Unreadable{Path: p, Reason: readProblem(err)})
		}
	}
	optional, err := presentRepoFiles(ctx, gh, ev)
	if err != nil {
		return nil, err
	}
	optional = append(optional, localActionFiles(in.sources)...)
	optional = append(optional, packageDirFiles(in.sources)...)
	for _, p := range optional {
		data, err := gh.GetFile(ctx, owner, repo, p, ref)
		switch {
		case err == nil:
			in.files[p] = data
		case gherr.IsNotFound(err):
			// absent: nothing to read
		case gherr.IsTransient(err) && !finalAttempt:
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		// Anything else stays out of Files, which the analysis reads as unknown.
	}
	if err := in.readSettings(ctx, gh, ev, finalAttempt); err != nil {
		return nil, err
	}
	return in, nil
}

// presentRepoFiles lists which of repoFiles the head commit has, from one
// listing of the repository's root instead of a request per file. When the
// root cannot be listed, every one is tried.
func presentRepoFiles(ctx context.Context, gh GitHub, ev Event) ([]string, error) {
	entries, err := gh.ListDir(ctx, ev.Repo.Owner, ev.Repo.Name, "", ev.HeadSHA)
	if gherr.IsTransient(err) {
		return nil, fmt.Errorf("listing the repository's root at %s: %w", ev.HeadSHA, err)
	}
	if err != nil {
		return append([]string(nil), repoFiles...), nil
	}
	present := map[string]bool{}
	for _, e := range entries {
		if e.Type == "file" {
			present[e.Path] = true
		}
	}
	var out []string
	for _, p := range repoFiles {
		if present[p] {
			out = append(out, p)
		}
	}
	return out, nil
}

// readSettings reads the default workflow permissions with the diagnosis's
// own Gatherer; what it cannot read stays unknown ("").
func (in *inputs) readSettings(ctx context.Context, gh GitHub, ev Event, finalAttempt bool) error {
	facts := &diagnose.Facts{Repo: ev.Repo}
	g := &triage.Gatherer{Source: gh, FinalAttempt: finalAttempt}
	if err := g.GatherDefaults(ctx, facts); err != nil {
		return fmt.Errorf("reading the default workflow permissions: %w", err)
	}
	in.settings = preflight.Settings{Owner: ev.Repo.Owner, Repo: ev.Repo.Name, OwnerIsOrg: ev.Repo.IsOrg()}
	if facts.RepoDefault.Known {
		in.settings.RepoDefault = facts.RepoDefault.Value
	} else {
		in.settingsUnknown = append(in.settingsUnknown, facts.RepoDefault.Reason)
	}
	if facts.OrgDefault.Known {
		in.settings.OrgDefault = facts.OrgDefault.Value
	} else if ev.Repo.IsOrg() {
		in.settingsUnknown = append(in.settingsUnknown, facts.OrgDefault.Reason)
	}
	return nil
}

// packageDirFiles lists the files the analysis of the workflows wants
// beyond the root's (preflight.WantedFiles: the package.json and .npmrc of
// the directory an npm publish runs in, GoReleaser's workdir or --config),
// sorted, at most maxPackageFiles.
func packageDirFiles(sources map[string][]byte) []string {
	seen := map[string]bool{}
	for _, p := range repoFiles {
		seen[p] = true
	}
	paths := make([]string, 0, len(sources))
	for p := range sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []string
	for _, wf := range paths {
		for _, p := range preflight.WantedFiles(sources[wf]) {
			if !seen[p] && len(out) < maxPackageFiles {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// localActionFiles lists the action.yml and action.yaml of every local
// action the workflows use, at most maxLocalActions actions.
func localActionFiles(sources map[string][]byte) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, src := range sources {
		for _, dir := range localActionDirs(src) {
			if strings.HasPrefix(dir, "..") || seen[dir] || len(dirs) == maxLocalActions {
				continue
			}
			seen[dir] = true
			dirs = append(dirs, dir)
		}
	}
	sort.Strings(dirs)
	var out []string
	for _, d := range dirs {
		out = append(out, d+"/action.yml", d+"/action.yaml")
	}
	return out
}

// localActionDirs reads the `uses: ./path` lines of a workflow (a step's
// or a job's), line by line: a regular expression over every workflow
// was most of the App's own time per check.
func localActionDirs(src []byte) []string {
	var out []string
	for _, line := range strings.Split(string(src), "\n") {
		l := strings.TrimSpace(line)
		l = strings.TrimSpace(strings.TrimPrefix(l, "- "))
		v, ok := strings.CutPrefix(l, "uses:")
		if !ok {
			continue
		}
		v, _, _ = strings.Cut(strings.TrimSpace(v), " #")
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		rest, ok := strings.CutPrefix(v, "./")
		if !ok || rest == "" || strings.ContainsAny(rest, "@ \t") || IsWorkflowFile(path.Clean(rest)) {
			continue // a reusable workflow of this repository is read with the workflows
		}
		out = append(out, path.Clean(strings.TrimSuffix(rest, "/")))
	}
	return out
}

// readProblem says in a few words why a file could not be read.
func readProblem(err error) string {
	if pe, ok := gherr.AsPermission(err); ok {
		return "the app lacks a permission (" + pe.Permission() + ")"
	}
	if gherr.IsNotFound(err) {
		return "it is gone at this commit"
	}
	return "GitHub did not serve it"
}
