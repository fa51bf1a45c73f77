// Package repoconfig reads a repository's `.github/ghcr-doctor.yml`, falling
// back to the organisation's `.github` repository. A missing file means the
// defaults; a broken one is reported to the caller, never silently ignored.
// The organisation's own opt-ins (fix.allow_org_settings_changes) are read
// only from the organisation's file, with LoadOrg.
package repoconfig

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
)

// Path is where the file lives, in the repository and in the org's `.github` repository.
const Path = ".github/ghcr-doctor.yml"

// OrgRepo is the organisation's repository whose file is the organisation's.
const OrgRepo = ".github"

// Config is what a repository can choose.
type Config struct {
	// Enabled switches the bot off for the repository when false.
	Enabled bool   `yaml:"enabled"`
	Report  Report `yaml:"report"`
	Fix     Fix    `yaml:"fix"`
	// Preflight tunes the check of workflow changes before they run.
	Preflight Preflight `yaml:"preflight"`
}

// Preflight tunes the "ghcr-doctor preflight" check run.
type Preflight struct {
	// Conclusion is the check run's conclusion when a job would be
	// refused: "action_required" (the default) or "neutral" (informative,
	// blocks nothing). A clean check is always "success".
	Conclusion string `yaml:"conclusion"`
}

// Report chooses where diagnoses go.
type Report struct {
	CheckRun bool `yaml:"check_run"`
	// PullRequestComment comments on the run's pull requests.
	PullRequestComment bool `yaml:"pull_request_comment"`
	// TrackingIssue opens an issue for runs without a pull request.
	TrackingIssue bool `yaml:"tracking_issue"`
	// CheckRunConclusion is the check run's conclusion for a diagnosed
	// failure: "action_required" (the default: the run shows as needing
	// attention) or "neutral" (informative, blocks nothing).
	CheckRunConclusion string `yaml:"check_run_conclusion"`
}

// Check run conclusions a repository may choose.
const (
	ConclusionActionRequired = "action_required"
	ConclusionNeutral        = "neutral"
)

// Fix chooses what `/ghcr fix` may change.
type Fix struct {
	// AllowSettingsChanges lets the bot switch the default workflow
	// permissions to write; off by default, since it widens every workflow's token.
	AllowSettingsChanges bool `yaml:"allow_settings_changes"`
	// AllowOrgSettingsChanges lets the bot switch the organisation's default
	// workflow permissions to write (`/ghcr fix --org-settings`). It is
	// valid only in the organisation's `.github` repository: a repository
	// cannot opt its organisation in.
	AllowOrgSettingsChanges bool `yaml:"allow_org_settings_changes"`
}

// Default is the configuration of a repository without a file.
func Default() Config {
	return Config{Enabled: true, Report: Report{CheckRun: true, PullRequestComment: true, TrackingIssue: true, CheckRunConclusion: ConclusionActionRequired},
		Preflight: Preflight{Conclusion: ConclusionActionRequired}}
}

// Parse reads a file strictly over the defaults: unknown keys are errors.
func Parse(data []byte) (Config, error) {
	c := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Default(), fmt.Errorf("parsing %s: %w", Path, err)
	}
	switch c.Report.CheckRunConclusion {
	case ConclusionActionRequired, ConclusionNeutral:
	default:
		return Default(), fmt.Errorf("%s: report.check_run_conclusion: %q is neither %s nor %s", Path, c.Report.CheckRunConclusion, ConclusionActionRequired, ConclusionNeutral)
	}
	switch c.Preflight.Conclusion {
	case ConclusionActionRequired, ConclusionNeutral:
	default:
		return Default(), fmt.Errorf("%s: preflight.conclusion: %q is neither %s nor %s", Path, c.Preflight.Conclusion, ConclusionActionRequired, ConclusionNeutral)
	}
	return c, nil
}

// Fetcher reads a file from a repository's default branch.
type Fetcher interface {
	GetFile(ctx context.Context, owner, repo, path, ref string) ([]byte, error)
}

// Loaded is the configuration in force and where it came from.
type Loaded struct {
	Config Config
	// Source is "owner/repo:.github/ghcr-doctor.yml", or "" for the defaults.
	Source string
	// Err is set when a file exists but is broken or unreadable; Config is then the default.
	Err error
}

// Load finds the repository's file, else the org's, else the defaults.
// fix.allow_settings_changes in the org's file opts in every repository
// without a file of its own; fix.allow_org_settings_changes in a
// repository's own file is an error, since only the org's file may say it.
func Load(ctx context.Context, f Fetcher, owner, repo string) Loaded {
	l := load(ctx, f, owner, []string{repo, OrgRepo})
	if l.Err == nil && l.Config.Fix.AllowOrgSettingsChanges && l.Source != owner+"/"+OrgRepo+":"+Path {
		return Loaded{Config: Default(), Source: l.Source, Err: fmt.Errorf(
			"%s: fix.allow_org_settings_changes is read only from the organisation's file, %s/%s:%s; remove it here",
			l.Source, owner, OrgRepo, Path)}
	}
	return l
}

// LoadOrg reads only the organisation's file (`OWNER/.github`), the one
// place for the organisation's opt-ins; Source is "" when it has none.
func LoadOrg(ctx context.Context, f Fetcher, owner string) Loaded {
	return load(ctx, f, owner, []string{OrgRepo})
}

func load(ctx context.Context, f Fetcher, owner string, repos []string) Loaded {
	for _, r := range repos {
		data, err := f.GetFile(ctx, owner, r, Path, "")
		if gherr.IsNotFound(err) {
			continue
		}
		source := owner + "/" + r + ":" + Path
		if err != nil {
			return Loaded{Config: Default(), Source: source, Err: fmt.Errorf("reading %s: %w", source, err)}
		}
		c, err := Parse(data)
		if err != nil {
			return Loaded{Config: Default(), Source: source, Err: fmt.Errorf("%s: %w", source, err)}
		}
		return Loaded{Config: c, Source: source}
	}
	return Loaded{Config: Default()}
}
