package server

import (
	"context"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/ghcr-doctor/ghcr-doctor/internal/commands"
	"github.com/ghcr-doctor/ghcr-doctor/internal/github/ghapi"
	"github.com/ghcr-doctor/ghcr-doctor/internal/handlers"
	"github.com/ghcr-doctor/ghcr-doctor/internal/ledger"
	"github.com/ghcr-doctor/ghcr-doctor/internal/orgaudit"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflightcheck"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
	"github.com/ghcr-doctor/ghcr-doctor/internal/redelivery"
	"github.com/ghcr-doctor/ghcr-doctor/internal/repoconfig"
	"github.com/ghcr-doctor/ghcr-doctor/internal/triage"
)

// eventHandlers are every webhook event the App handles: one handler per
// event, each only parsing, filtering and queueing.
// A nil book leaves the report ledger out; nil configs, the memory of
// missing configuration files.
func eventHandlers(base handlers.Base, book *ledger.Book, configs *repoconfig.Absent) []githubapp.EventHandler {
	installation := &handlers.Installation{Base: base}
	if book != nil {
		installation.Ledger = book
	}
	push := &handlers.Push{Base: base}
	if configs != nil {
		push.ConfigChanged = configs.Forget
	}
	return []githubapp.EventHandler{
		&handlers.WorkflowRun{Base: base},
		&handlers.IssueComment{Base: base},
		&handlers.CheckRun{Base: base},
		&handlers.PullRequest{Base: base},
		push,
		installation,
	}
}

// jobKinds are every kind of background job and what works it.
func jobKinds(doc *triage.Doctor, clients *installationClients, redeliveries *redelivery.Scanner, deliveries redelivery.Deliveries, preflights *preflightcheck.Checker, audits *orgaudit.Service, sweeper *orgaudit.Sweeper) map[string]queue.Handler {
	auditor := repoAuditor{clients: orgAuditClients{clients}, analyze: audits.Analyze, webURL: audits.WebURL}
	commandService := &commands.Service{Clients: commandClients{clients}, Doctor: doc, WebURL: doc.WebURL, BotLogin: doc.BotLogin, Auditor: auditor}
	return map[string]queue.Handler{
		handlers.KindDiagnoseRun: diagnoseRunJob(doc),
		handlers.KindCommand:     commandJob(commandService),
		handlers.KindPreflight:   preflightJob(preflights),
		redelivery.KindScan:      redeliveries.Scan,
		redelivery.KindRedeliver: redelivery.Redeliver(deliveries),
		orgaudit.KindAudit:       orgAuditJob(audits),
		orgaudit.KindSweep:       sweeper.Sweep,
	}
}

// commandClients gives the commands the same installation clients as the
// diagnosis, with the calls only the commands make.
type commandClients struct{ c *installationClients }

func (r commandClients) Client(_ context.Context, installationID int64) (commands.CommandClient, error) {
	gh, err := r.c.github(installationID)
	if err != nil {
		return nil, err
	}
	return ghapi.New(gh), nil
}
