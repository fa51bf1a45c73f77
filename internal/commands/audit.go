package commands

import (
	"github.com/rs/zerolog"
)

// AuditRecord is the log entry written for every command accepted,
// refused or ignored. It never holds tokens or comment bodies.
type AuditRecord struct {
	Actor      string
	Repository string
	// Command is the command in canonical form ("/ghcr fix --dry-run").
	Command string
	// Source is "comment" or "check_run".
	Source string
	// Decision is Allowed, Refused or Ignored.
	Decision Verdict
	// Result says what was done ("opened pull request #14", "needs write").
	Result string
	// Run is the workflow run the command acted on, if any.
	Run int64
}

// Audit writes the record as an info-level log line tagged audit=command.
func Audit(logger *zerolog.Logger, r AuditRecord) {
	ev := logger.Info().Str("audit", "command").
		Str("actor", r.Actor).
		Str("repository", r.Repository).
		Str("command", r.Command).
		Str("source", r.Source).
		Str("decision", string(r.Decision)).
		Str("result", r.Result)
	if r.Run != 0 {
		ev = ev.Int64("run_id", r.Run)
	}
	ev.Msg("Command audit.")
}
