package orgaudit

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

// Job kinds.
const (
	// KindAudit is one installation's audit (a Request).
	KindAudit = "org_audit"
	// KindSweep is the weekly job that queues every installation's audit.
	KindSweep = "org_audit_sweep"
)

// Week is the audits' default period.
const Week = 7 * 24 * time.Hour

// Installation is an App installation, as the sweep lists them.
type Installation struct {
	ID      int64
	Account string
}

// Installations lists the App's installations; it needs the App's own (JWT) client.
type Installations interface {
	ListInstallations(ctx context.Context) ([]Installation, error)
}

// AuditJob is the queued audit of an installation; key makes a second one
// with the same key (a redelivered webhook, another replica's sweep of the
// same week) a no-op.
func AuditJob(req Request, key, deliveryID string) (queue.Job, error) {
	job, err := queue.NewJob(KindAudit, key, deliveryID, req)
	if err != nil {
		return queue.Job{}, err
	}
	// One installation's audits run one at a time: two would race on the issue.
	job.Serial = fmt.Sprintf("%s:%d", KindAudit, req.InstallationID)
	return job, nil
}

// slot names the period of now, the same on every replica.
func slot(now time.Time, every time.Duration) int64 { return now.Truncate(every).Unix() }

// SweepJob is the periodic job that runs the sweep; its key names the
// period, so each period's sweep runs once across replicas.
func SweepJob(every time.Duration) func(now time.Time) queue.Job {
	return func(now time.Time) queue.Job {
		return queue.Job{Kind: KindSweep, Key: fmt.Sprintf("%s:%d", KindSweep, slot(now, every)), Payload: []byte("{}")}
	}
}

// Sweeper queues the period's audit of every installation. Whether an
// organisation opted in is read by each audit, one file per installation.
type Sweeper struct {
	Installations Installations
	Queue         queue.Enqueuer
	// Every is the period (Week when 0); each installation's audit is
	// keyed by it.
	Every time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Sweep is the KindSweep job.
func (s *Sweeper) Sweep(ctx context.Context, _ queue.Job) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	every := s.Every
	if every <= 0 {
		every = Week
	}
	period := slot(now(), every)
	insts, err := s.Installations.ListInstallations(ctx)
	if err != nil {
		return fmt.Errorf("listing the App's installations: %w", err)
	}
	for _, inst := range insts {
		req := Request{InstallationID: inst.ID, Account: inst.Account, Reason: ReasonWeekly}
		job, err := AuditJob(req, fmt.Sprintf("%s:%d:period:%d", KindAudit, inst.ID, period), "")
		if err != nil {
			return err
		}
		if err := s.Queue.Enqueue(ctx, job); err != nil {
			return fmt.Errorf("queueing the audit of installation %d: %w", inst.ID, err)
		}
	}
	zerolog.Ctx(ctx).Info().Int("installations", len(insts)).Msg("Queued the period's organisation audits.")
	return nil
}
