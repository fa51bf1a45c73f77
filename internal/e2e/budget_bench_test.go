package e2e

import (
	"testing"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// budgetScenario is one situation of issue 13's API budget: what happens
// before (not counted) and the delivery whose requests are counted.
type budgetScenario struct {
	name string
	// measure sets the world up, then returns the requests of the part
	// the budget is about.
	measure func(e *env) []githubfake.Request
}

// budgetRun is the failed pull-request run every scenario starts from:
// one failed job whose log holds a refused push.
func budgetRun() scenario { return missingWriteScenario() }

// counted delivers an event with the fake's request log emptied first
// and returns the requests it caused.
func (e *env) counted(event string, payload []byte) []githubfake.Request {
	e.fake.ResetRequests()
	e.deliver(event, payload)
	return e.fake.Requests()
}

// failedJobs is a run with n failed jobs, each with a refused push.
func failedJobs(n int) scenario {
	s := budgetRun()
	for i := 1; i < n; i++ {
		s.extraJobs = append(s.extraJobs, githubfake.Job{ID: 90000 + int64(i), Name: "build-" + string(rune('a'+i)), Conclusion: "failure", Log: []byte(s.log)})
	}
	return s
}

// installed delivers the installation event GitHub sends when the App is
// installed, so the bot's report ledger knows the installation from its
// start; the scenarios of an App installed before the ledger skip it.
func (e *env) installed() {
	e.deliver("installation", e.fake.InstallationEvent("created", installID, "octocat"))
}

var budgetScenarios = []budgetScenario{
	{name: "first-failure", measure: func(e *env) []githubfake.Request {
		e.installed()
		return e.counted("workflow_run", e.addRun(budgetRun()))
	}},
	{name: "first-failure-installed-before-the-ledger", measure: func(e *env) []githubfake.Request {
		return e.counted("workflow_run", e.addRun(budgetRun()))
	}},
	{name: "three-failed-jobs", measure: func(e *env) []githubfake.Request {
		e.installed()
		return e.counted("workflow_run", e.addRun(failedJobs(3)))
	}},
	{name: "rerun-same-commit", measure: func(e *env) []githubfake.Request {
		e.installed()
		e.deliver("workflow_run", e.addRun(budgetRun()))
		again := budgetRun()
		again.attempt = 2
		return e.counted("workflow_run", e.addRun(again))
	}},
	{name: "redelivered-event", measure: func(e *env) []githubfake.Request {
		e.installed()
		payload := e.addRun(budgetRun())
		e.deliver("workflow_run", payload)
		return e.counted("workflow_run", payload)
	}},
	{name: "later-success", measure: func(e *env) []githubfake.Request {
		e.installed()
		e.deliver("workflow_run", e.addRun(budgetRun()))
		ok := budgetRun()
		ok.runID, ok.conclusion, ok.log = 7002, "success", "all good\n"
		return e.counted("workflow_run", e.addRun(ok))
	}},
	{name: "success-with-nothing-to-resolve", measure: func(e *env) []githubfake.Request {
		e.installed()
		ok := budgetRun()
		ok.runID, ok.conclusion, ok.log = 7002, "success", "all good\n"
		return e.counted("workflow_run", e.addRun(ok))
	}},
}

// BenchmarkAPIBudget counts, per scenario, the requests the bot makes to
// the simulated GitHub from the delivery of a workflow_run event to the
// published (or resolved) report, and prints them per endpoint. Each
// iteration starts from a fresh bot and a fresh GitHub: run it with
// -benchtime=1x. The counts are exact, not timed.
func BenchmarkAPIBudget(b *testing.B) {
	for _, sc := range budgetScenarios {
		b.Run(sc.name, func(b *testing.B) {
			var last callTally
			for range b.N {
				b.StopTimer()
				e := newEnv(b, allPermissions)
				b.StartTimer()
				last = tallyRequests(sc.measure(e))
			}
			b.ReportMetric(float64(last.Total), "requests")
			b.ReportMetric(float64(last.Token), "token")
			b.ReportMetric(float64(last.Reads), "reads")
			b.ReportMetric(float64(last.Conditional), "conditional")
			b.ReportMetric(float64(last.NotModified), "304s")
			b.ReportMetric(float64(last.Writes), "writes")
			b.ReportMetric(float64(last.Downloads), "downloads")
			b.ReportMetric(float64(last.RateLimited()), "rate-limited")
			b.ReportMetric(0, "ns/op")
			b.Log(last.table(sc.name))
		})
	}
}
