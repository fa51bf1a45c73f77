package commands

import "github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"

// Request is a command to carry out, as the webhook handlers queue it: from
// a comment, or from a check run's button.
type Request struct {
	DeliveryID     string        `json:"delivery_id"`
	InstallationID int64         `json:"installation_id"`
	Repo           diagnose.Repo `json:"repo"`
	// Event is EventCreated for a comment, EventRequestedAction for a button.
	Event  string `json:"event"`
	Sender Sender `json:"sender"`
	// Commands are the comment's commands, or the button's.
	Commands []Command `json:"commands"`
	// Dropped counts the commands left out beyond the limit per comment.
	Dropped  int             `json:"dropped,omitempty"`
	Comment  *CommentSource  `json:"comment,omitempty"`
	CheckRun *CheckRunSource `json:"check_run,omitempty"`
}

// Source names where the request came from, for the audit log.
func (r Request) Source() string {
	if r.CheckRun != nil {
		return "check_run"
	}
	return "comment"
}

// CommentSource is the comment a command was given in.
type CommentSource struct {
	ID int64 `json:"id"`
	// Issue is the number of the issue or pull request commented on.
	Issue int  `json:"issue"`
	IsPR  bool `json:"is_pr"`
	// IssueURL is the issue's or pull request's web address.
	IssueURL    string `json:"issue_url"`
	IssueAuthor Sender `json:"issue_author"`
	// IssueBody is the issue's body: a tracking issue carries its marker there.
	IssueBody string `json:"issue_body"`
}

// CheckRunSource is the check run whose button was pressed.
type CheckRunSource struct {
	ID         int64  `json:"id"`
	HeadSHA    string `json:"head_sha"`
	ExternalID string `json:"external_id"`
	DetailsURL string `json:"details_url"`
	HTMLURL    string `json:"html_url"`
	// Summary holds the check run's marker with the run's id.
	Summary string `json:"summary"`
	// Identifier is the button's identifier ("ghcr-fix").
	Identifier string `json:"identifier"`
}

// MaxCommands is how many commands of one comment are carried out.
const MaxCommands = 3

// maxRuns is how many runs (one per workflow) one command acts on.
const maxRuns = 3
