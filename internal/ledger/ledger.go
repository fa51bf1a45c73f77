// Package ledger remembers, in the queue's database, which reports the bot
// may have written (report.Ledger): one durable mark per report, recorded
// before the report is created. A missing mark proves that no report
// exists only for an installation the ledger has known from its creation
// (Began, on the installation event); for any other installation every
// report may exist, and is looked up on GitHub as before.
package ledger

import (
	"context"
	"fmt"
	"strconv"
	"sync"
)

// Marks are durable keys shared by every process on the database (the
// queue's marks).
type Marks interface {
	Recorded(ctx context.Context, key string) (bool, error)
	Record(ctx context.Context, key string) error
}

// Book is the ledger of every installation.
type Book struct {
	Marks Marks

	// complete caches the installations known to have begun: a mark is
	// never removed, so a yes holds for the life of the process.
	complete sync.Map // int64 → struct{}
}

// beganKey is the mark of an installation the ledger has known since it
// was created.
func beganKey(installationID int64) string {
	return "ledger:began:" + strconv.FormatInt(installationID, 10)
}

// reportKey is the mark of one report.
func reportKey(key string) string { return "ledger:report:" + key }

// Began records that the installation was created while the ledger kept
// account: it has no report the ledger does not know of.
func (b *Book) Began(ctx context.Context, installationID int64) error {
	if err := b.Marks.Record(ctx, beganKey(installationID)); err != nil {
		return fmt.Errorf("recording installation %d in the report ledger: %w", installationID, err)
	}
	b.complete.Store(installationID, struct{}{})
	return nil
}

// For is the installation's ledger.
func (b *Book) For(installationID int64) *Installation {
	return &Installation{book: b, id: installationID}
}

// isComplete reports whether the ledger has known the installation since
// its creation.
func (b *Book) isComplete(ctx context.Context, installationID int64) (bool, error) {
	if _, ok := b.complete.Load(installationID); ok {
		return true, nil
	}
	ok, err := b.Marks.Recorded(ctx, beganKey(installationID))
	if err != nil {
		return false, fmt.Errorf("reading the report ledger of installation %d: %w", installationID, err)
	}
	if ok {
		b.complete.Store(installationID, struct{}{})
	}
	return ok, nil
}

// Installation is one installation's ledger; it implements report.Ledger.
type Installation struct {
	book *Book
	id   int64
}

// MayExist reports whether a report may exist under key: when the ledger
// has not known the installation from its creation, or when the report was
// recorded.
func (l *Installation) MayExist(ctx context.Context, key string) (bool, error) {
	complete, err := l.book.isComplete(ctx, l.id)
	if err != nil || !complete {
		return true, err
	}
	ok, err := l.book.Marks.Recorded(ctx, reportKey(key))
	if err != nil {
		return true, fmt.Errorf("reading the report ledger: %w", err)
	}
	return ok, nil
}

// Writing records that a report may exist under key.
func (l *Installation) Writing(ctx context.Context, key string) error {
	if err := l.book.Marks.Record(ctx, reportKey(key)); err != nil {
		return fmt.Errorf("recording in the report ledger: %w", err)
	}
	return nil
}
