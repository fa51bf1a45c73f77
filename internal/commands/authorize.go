package commands

import "strings"

// Role is a person's role in a repository, weakest first.
type Role int

// Repository roles.
const (
	RoleNone Role = iota
	RoleRead
	RoleTriage
	RoleWrite
	RoleMaintain
	RoleAdmin
)

var roleNames = map[Role]string{RoleNone: "none", RoleRead: "read", RoleTriage: "triage",
	RoleWrite: "write", RoleMaintain: "maintain", RoleAdmin: "admin"}

func (r Role) String() string { return roleNames[r] }

// RoleFrom reads GitHub's answer about a collaborator: role_name ("admin",
// "maintain", "write", "triage", "read", or a custom role's name) and the
// legacy permission ("admin", "write", "read", "none"). A custom role
// counts as its base permission.
func RoleFrom(permission, roleName string) Role {
	for r, name := range roleNames {
		if r != RoleNone && strings.EqualFold(roleName, name) {
			return r
		}
	}
	switch strings.ToLower(permission) {
	case "admin":
		return RoleAdmin
	case "write":
		return RoleWrite
	case "read":
		return RoleRead
	}
	return RoleNone
}

// Action is what a command would do, for authorisation.
type Action string

// Actions.
const (
	ActionHelp         Action = "help"
	ActionDryRun       Action = "dry-run"
	ActionFixPR        Action = "fix pull request"
	ActionRepoSettings Action = "repository settings"
	ActionOrgSettings  Action = "organisation settings"
	ActionRecheck      Action = "recheck"
	ActionRetry        Action = "retry"
	// ActionAudit reads the repository's workflows and settings and
	// replies with the jobs that would be refused; it changes nothing.
	ActionAudit Action = "audit"
)

// Requirements, as the reply names them.
const (
	NeedsRead     = "read"
	NeedsWrite    = "write"
	NeedsAdmin    = "admin"
	NeedsOrgOwner = "organisation owner"
)

// Events that can carry a command.
const (
	EventCreated         = "created"
	EventRequestedAction = "requested_action"
	// EventRerequested is the check run's "Re-run" button.
	EventRerequested = "rerequested"
)

// Sender is who sent the event.
type Sender struct {
	Login string `json:"login"`
	// Type is "User", "Bot" or "Organization".
	Type string `json:"type"`
}

// IsBot reports whether the sender is a bot (a GitHub App or a bot account).
func (s Sender) IsBot() bool {
	return strings.EqualFold(s.Type, "Bot") || strings.HasSuffix(strings.ToLower(s.Login), "[bot]")
}

// Subject is who asks, through which event, with their current roles.
type Subject struct {
	// Event is the webhook action: only EventCreated (a new comment),
	// EventRequestedAction (a button) and EventRerequested (the check run's
	// Re-run) carry commands.
	Event  string
	Sender Sender
	// Role is the sender's current role in the repository.
	Role Role
	// OrgOwner is true for an active owner of the repository's organisation.
	OrgOwner bool
}

// Verdict of an authorisation.
type Verdict string

// Verdicts.
const (
	Allowed Verdict = "allowed"
	Refused Verdict = "refused"
	// Ignored commands get no reaction and no reply: bots (no loops) and
	// edited or deleted comments (only a new comment is a command).
	Ignored Verdict = "ignored"
)

// Decision is the verdict on one action.
type Decision struct {
	Outcome Verdict
	// Needs names the role that is required ("write", "admin", "organisation owner").
	Needs string
	// Reason says why, for the audit log and the reply.
	Reason string
}

// Authorize decides whether the subject may perform the action. It looks
// only at the sender's current role, never at what the comment says.
func Authorize(s Subject, a Action) Decision {
	switch {
	case s.Event != EventCreated && s.Event != EventRequestedAction && s.Event != EventRerequested:
		return Decision{Outcome: Ignored, Reason: "only new comments are commands (the comment was " + orUnknown(s.Event) + ")"}
	case s.Sender.IsBot():
		return Decision{Outcome: Ignored, Reason: "commands from bots are ignored"}
	}
	switch a {
	case ActionHelp, ActionDryRun:
		return Decision{Outcome: Allowed, Reason: "anyone who can comment may ask for " + string(a)}
	case ActionAudit:
		return needRole(s, RoleRead, NeedsRead, a)
	case ActionFixPR, ActionRecheck, ActionRetry:
		return needRole(s, RoleWrite, NeedsWrite, a)
	case ActionRepoSettings:
		return needRole(s, RoleAdmin, NeedsAdmin, a)
	case ActionOrgSettings:
		if s.OrgOwner {
			return Decision{Outcome: Allowed, Needs: NeedsOrgOwner, Reason: "the sender owns the organisation"}
		}
		return Decision{Outcome: Refused, Needs: NeedsOrgOwner, Reason: "changing organisation settings needs an organisation owner"}
	}
	return Decision{Outcome: Refused, Reason: "unknown action " + string(a)}
}

func needRole(s Subject, min Role, needs string, a Action) Decision {
	if s.Role >= min {
		return Decision{Outcome: Allowed, Needs: needs, Reason: "the sender has the " + s.Role.String() + " role"}
	}
	return Decision{Outcome: Refused, Needs: needs,
		Reason: string(a) + " needs the " + needs + " role or above; the sender has " + s.Role.String()}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
