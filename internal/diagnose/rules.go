package diagnose

import (
	"fmt"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// decide applies the decision table to one package and returns its causes,
// most likely first. It always returns at least one cause.
func decide(in *input) []Cause {
	fd := in.finding
	switch fd.Kind {
	case scan.KindInvalidName:
		switch fd.Message {
		case scan.NoOwnerMessage:
			return []Cause{invalidNameCause(in)}
		case scan.MavenUppercaseMessage:
			return []Cause{mavenUppercaseCause(in)}
		}
		return []Cause{uppercaseCause(in)}
	case scan.KindOwnerNotFound:
		if fd.Message == scan.NpmScopeMismatchMessage {
			return []Cause{npmScopeCause(in)}
		}
		return []Cause{ownerNotFoundCause(in)}
	case scan.KindAuthFailed:
		return decideAuth(in)
	}
	if in.usesPersonalToken() {
		return []Cause{patCause(in)}
	}
	if in.login != nil && in.login.Credential == workflow.CredentialAppToken {
		return []Cause{appTokenCause(in)}
	}
	if in.token.known() && in.token.canWrite() {
		return decideWithWrite(in)
	}
	if in.token.known() {
		return []Cause{decideWithoutWrite(in)}
	}
	return decideUnknownToken(in)
}

// usesPersonalToken reports whether the job logs in to the registry with a
// secret other than GITHUB_TOKEN, so the token's permissions do not matter.
func (in *input) usesPersonalToken() bool {
	return in.login != nil && in.login.Credential == workflow.CredentialSecret
}

func decideAuth(in *input) []Cause {
	if in.login == nil {
		switch {
		case in.f.Run.IsFork(in.f.Repo) && in.f.Run.IsPullRequestEvent():
			return []Cause{forkCause(in, ConfidenceMedium)}
		case in.job == nil:
			// Without the job's steps there is no telling how it logged in.
			return []Cause{undeterminedCause(in)}
		}
		return []Cause{noLoginCause(in)}
	}
	switch in.login.Credential {
	case workflow.CredentialAppToken:
		return []Cause{appTokenCause(in)}
	case workflow.CredentialSecret, workflow.CredentialEmpty:
		if in.f.Run.IsFork(in.f.Repo) && in.f.Run.IsPullRequestEvent() {
			return []Cause{forkCause(in, ConfidenceHigh), patCause(in)}
		}
		if in.f.Run.IsDependabot() {
			return []Cause{dependabotCause(in, ConfidenceHigh), patCause(in)}
		}
		return []Cause{patCause(in)}
	}
	// GITHUB_TOKEN itself was refused: the token lacks packages access.
	if in.token.known() && !in.token.canWrite() {
		return []Cause{decideWithoutWrite(in)}
	}
	c := undeterminedCause(in)
	return []Cause{c}
}

// decideWithWrite: the token could write packages, so the registry refused
// the package itself.
func decideWithWrite(in *input) []Cause {
	conf := ConfidenceMedium
	if in.token.FromLog {
		conf = ConfidenceHigh
	}
	if NamespaceMismatch(in.pkg.Registry, in.pkg.Owner, in.f.Repo.Owner) {
		return []Cause{namespaceCause(in)}
	}
	switch in.finding.Kind {
	case scan.KindCreateDenied:
		if in.f.Repo.IsOrg() {
			return []Cause{packageCreationCause(in, conf), packageAccessCause(in, ConfidenceLow)}
		}
		return []Cause{packageAccessCause(in, conf)}
	case scan.KindReadDenied:
		return []Cause{readAccessCause(in, conf)}
	}
	return []Cause{packageAccessCause(in, conf)}
}

// decideWithoutWrite: the token lacked write; say why.
func decideWithoutWrite(in *input) Cause {
	f := in.f
	if in.finding.Kind == scan.KindReadDenied && in.token.Level != "none" {
		return readAccessCause(in, ConfidenceMedium)
	}
	switch {
	case f.Run.IsDependabot():
		return dependabotCause(in, ConfidenceHigh)
	case f.Run.IsFork(f.Repo) && f.Run.IsPullRequestEvent():
		return forkCause(in, ConfidenceHigh)
	case in.token.Declared != nil:
		return missingWriteCause(in)
	default:
		return restrictedDefaultCause(in)
	}
}

// decideUnknownToken is for runs whose token permissions cannot be worked
// out: name the likely causes in order and say what is unknown.
func decideUnknownToken(in *input) []Cause {
	f := in.f
	switch {
	case f.Run.IsDependabot():
		return []Cause{dependabotCause(in, ConfidenceMedium)}
	case f.Run.IsFork(f.Repo) && f.Run.IsPullRequestEvent():
		return []Cause{forkCause(in, ConfidenceMedium)}
	}
	c := undeterminedCause(in)
	alt := packageAccessCause(in, ConfidenceLow)
	return []Cause{c, alt}
}

func (in *input) jobName() string {
	if in.job != nil {
		return in.job.ID
	}
	return in.log.Name
}

func (in *input) evidence() []string {
	ev := []string{fmt.Sprintf("Job %s, step %s, log line %d: %s", code(in.log.Name), code(in.finding.Step), in.finding.Line, code(in.finding.Text))}
	switch in.finding.RegistryFrom {
	case scan.RegistryFromJob:
		ev = append(ev, fmt.Sprintf("The registry, %s, is the one an earlier step of the job named.", in.pkg.Registry))
	case scan.RegistryFromWording:
		ev = append(ev, fmt.Sprintf("No registry is named near the error; %s is inferred from its wording, which only GitHub Packages uses.", in.pkg.Registry))
	}
	if in.token.known() {
		ev = append(ev, fmt.Sprintf("The job's GITHUB_TOKEN had `packages: %s` (from %s).", in.token.Level, in.token.Source))
	}
	return ev
}
