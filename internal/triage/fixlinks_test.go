package triage

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/fixbranch"
	"github.com/ghcr-doctor/ghcr-doctor/internal/report"
)

// branchLookups is a Client that only answers fix pull request lookups,
// counting them.
type branchLookups struct {
	InstallationClient
	asked map[string]int
}

func (b *branchLookups) OpenPullRequestForBranch(_ context.Context, _, _, branch string) (*diagnose.Link, error) {
	b.asked[branch]++
	return &diagnose.Link{Text: "#5", URL: "https://github.com/acme/app/pull/5"}, nil
}

func TestLinkFixPullRequestsIsBoundedByTheReport(t *testing.T) {
	tests := []struct {
		name        string
		packages    int
		wantLookups int
	}{
		{"one package", 1, 1},
		{"packages of one job share one fix branch", 5, 1},
		{"hundreds of packages", 300, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ds []diagnose.Diagnosis
			for i := range tt.packages {
				ds = append(ds, diagnose.Diagnosis{
					Package: diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: fmt.Sprintf("app-%03d", i)},
					Causes:  []diagnose.Cause{{ID: diagnose.CauseMissingPackagesWrite, Fix: diagnose.Fix{Kind: diagnose.FixWorkflowPR, JobID: "build"}}},
				})
			}
			gh := &branchLookups{asked: map[string]int{}}
			facts := &diagnose.Facts{Repo: diagnose.Repo{Owner: "acme", Name: "app"}, Run: diagnose.Run{Path: ".github/workflows/release.yml"}}
			(&Doctor{}).linkFixPullRequests(context.Background(), gh, nil, facts, ds)

			total := 0
			for _, n := range gh.asked {
				total += n
			}
			assert.Equal(t, tt.wantLookups, total)
			listed, _ := report.ReportedPackages(ds)
			for _, d := range listed {
				require.NotNil(t, d.Causes[0].Fix.PullRequest, "every listed package points at the open fix")
			}
		})
	}
}

func TestLinkFixPullRequestsLooksUpOnlyListedPackages(t *testing.T) {
	var ds []diagnose.Diagnosis
	for i := range report.MaxPackages + 30 {
		ds = append(ds, diagnose.Diagnosis{
			Package: diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: fmt.Sprintf("app-%03d", i)},
			Causes:  []diagnose.Cause{{ID: diagnose.CauseMissingPackagesWrite, Fix: diagnose.Fix{Kind: diagnose.FixWorkflowPR, JobID: fmt.Sprintf("job-%03d", i)}}},
		})
	}
	gh := &branchLookups{asked: map[string]int{}}
	facts := &diagnose.Facts{Repo: diagnose.Repo{Owner: "acme", Name: "app"}, Run: diagnose.Run{Path: ".github/workflows/release.yml"}}
	(&Doctor{}).linkFixPullRequests(context.Background(), gh, nil, facts, ds)
	assert.Len(t, gh.asked, report.MaxPackages, "one lookup per listed package's fix branch, none for the rest")
	assert.Nil(t, ds[report.MaxPackages].Causes[0].Fix.PullRequest)
}

// setLedger is a report ledger holding a set of keys; began says whether
// it vouches for the keys it lacks.
type setLedger struct {
	began bool
	keys  map[string]bool
}

func (l *setLedger) MayExist(_ context.Context, key string) (bool, error) {
	return !l.began || l.keys[key], nil
}

func (l *setLedger) Writing(_ context.Context, key string) error {
	l.keys[key] = true
	return nil
}

func TestLinkFixPullRequestsAsksTheLedgerFirst(t *testing.T) {
	const path = ".github/workflows/release.yml"
	tests := []struct {
		name        string
		ledger      *setLedger
		wantLookups int
	}{
		{"no ledger: looked up", nil, 1},
		{"a ledger that began after the installation: looked up", &setLedger{keys: map[string]bool{}}, 1},
		{"a complete ledger without the branch: not looked up", &setLedger{began: true, keys: map[string]bool{}}, 0},
		{"a complete ledger with the branch: looked up", &setLedger{began: true, keys: map[string]bool{
			report.FixPullRequestKey("ACME", "App", fixbranch.Name(fixbranch.PackagesWrite, path, "build")): true}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := []diagnose.Diagnosis{{
				Package: diagnose.PackageRef{Registry: "ghcr.io", Owner: "acme", Name: "app"},
				Causes:  []diagnose.Cause{{ID: diagnose.CauseMissingPackagesWrite, Fix: diagnose.Fix{Kind: diagnose.FixWorkflowPR, JobID: "build"}}},
			}}
			gh := &branchLookups{asked: map[string]int{}}
			facts := &diagnose.Facts{Repo: diagnose.Repo{Owner: "acme", Name: "app"}, Run: diagnose.Run{Path: path}}
			var ledger report.Ledger
			if tt.ledger != nil {
				ledger = tt.ledger
			}
			(&Doctor{}).linkFixPullRequests(context.Background(), gh, ledger, facts, ds)
			assert.Len(t, gh.asked, tt.wantLookups)
			assert.Equal(t, tt.wantLookups == 1, ds[0].Causes[0].Fix.PullRequest != nil)
		})
	}
}
