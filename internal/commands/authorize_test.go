package commands

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRoleFrom(t *testing.T) {
	tests := []struct {
		permission, roleName string
		want                 Role
	}{
		{"admin", "admin", RoleAdmin},
		{"write", "maintain", RoleMaintain},
		{"write", "write", RoleWrite},
		{"read", "triage", RoleTriage},
		{"read", "read", RoleRead},
		{"none", "", RoleNone},
		{"write", "release-manager", RoleWrite},
		{"admin", "security-lead", RoleAdmin},
		{"read", "auditor", RoleRead},
		{"", "", RoleNone},
		{"WRITE", "Maintain", RoleMaintain},
	}
	for _, tt := range tests {
		t.Run(tt.permission+"/"+tt.roleName, func(t *testing.T) {
			assert.Equal(t, tt.want, RoleFrom(tt.permission, tt.roleName))
		})
	}
}

// TestAuthorizeMatrix is the decision table: who may do what.
func TestAuthorizeMatrix(t *testing.T) {
	user := func(login string) Sender { return Sender{Login: login, Type: "User"} }
	subjects := []struct {
		name string
		s    Subject
	}{
		{"org owner", Subject{Event: EventCreated, Sender: user("olga"), Role: RoleAdmin, OrgOwner: true}},
		{"admin", Subject{Event: EventCreated, Sender: user("ada"), Role: RoleAdmin}},
		{"maintain", Subject{Event: EventCreated, Sender: user("max"), Role: RoleMaintain}},
		{"write", Subject{Event: EventCreated, Sender: user("will"), Role: RoleWrite}},
		{"triage", Subject{Event: EventCreated, Sender: user("tom"), Role: RoleTriage}},
		{"read", Subject{Event: EventCreated, Sender: user("rita"), Role: RoleRead}},
		{"none", Subject{Event: EventCreated, Sender: user("nobody"), Role: RoleNone}},
		{"fork author", Subject{Event: EventCreated, Sender: user("contributor"), Role: RoleRead}},
		{"bot by type", Subject{Event: EventCreated, Sender: Sender{Login: "deploy", Type: "Bot"}, Role: RoleAdmin}},
		{"bot by login", Subject{Event: EventCreated, Sender: user("renovate[bot]"), Role: RoleAdmin}},
		{"edited comment", Subject{Event: "edited", Sender: user("ada"), Role: RoleAdmin, OrgOwner: true}},
		{"deleted comment", Subject{Event: "deleted", Sender: user("ada"), Role: RoleAdmin}},
		{"button", Subject{Event: EventRequestedAction, Sender: user("will"), Role: RoleWrite}},
	}
	actions := []Action{ActionFixPR, ActionRepoSettings, ActionOrgSettings, ActionRecheck, ActionRetry, ActionHelp, ActionDryRun, ActionAudit}
	// want[subject] lists the outcome per action, in the order above:
	// A allowed, R refused, I ignored.
	want := map[string]string{
		"org owner":       "AAAAAAAA",
		"admin":           "AARAAAAA",
		"maintain":        "ARRAAAAA",
		"write":           "ARRAAAAA",
		"triage":          "RRRRRAAA",
		"read":            "RRRRRAAA",
		"none":            "RRRRRAAR",
		"fork author":     "RRRRRAAA",
		"bot by type":     "IIIIIIII",
		"bot by login":    "IIIIIIII",
		"edited comment":  "IIIIIIII",
		"deleted comment": "IIIIIIII",
		"button":          "ARRAAAAA",
	}
	code := map[Verdict]byte{Allowed: 'A', Refused: 'R', Ignored: 'I'}
	for _, sub := range subjects {
		for i, a := range actions {
			t.Run(fmt.Sprintf("%s/%s", sub.name, a), func(t *testing.T) {
				d := Authorize(sub.s, a)
				assert.Equal(t, string(want[sub.name][i]), string(code[d.Outcome]), "reason: %s", d.Reason)
				if d.Outcome == Refused {
					assert.NotEmpty(t, d.Needs, "a refusal names the role needed")
				}
			})
		}
	}
}

func TestAuthorizeNamesTheRole(t *testing.T) {
	s := Subject{Event: EventCreated, Sender: Sender{Login: "tom"}, Role: RoleTriage}
	assert.Equal(t, NeedsWrite, Authorize(s, ActionFixPR).Needs)
	assert.Equal(t, NeedsAdmin, Authorize(s, ActionRepoSettings).Needs)
	assert.Equal(t, NeedsOrgOwner, Authorize(s, ActionOrgSettings).Needs)
}
