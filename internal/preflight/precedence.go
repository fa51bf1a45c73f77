package preflight

import "sort"

// precedence ranks the verdicts of a job's problems; the lowest rank is the
// job's verdict.
//
//   - missing_packages_write first: the token lacks write on every run, so
//     every push fails whatever the name, and it is decided before the
//     registry looks at the name.
//   - fork_pr_push, then dependabot: also token causes, but only on some
//     runs (every fork pull request; Dependabot's runs only).
//   - namespace_mismatch before uppercase_name: lower-casing a name in
//     another owner's namespace still fails, while moving it under the
//     owner may be done together with lower-casing.
//   - unknown after every definite refusal: a cause that is sure outranks one
//     that cannot be evaluated, but unknown outranks the notice and ok,
//     so nothing is called safe that was not checked.
//   - pat_login last but one: a notice, not a failure (a PAT's scopes cannot
//     be read), then ok.
var precedence = map[Verdict]int{
	MissingPackagesWrite: 0,
	ForkPRPush:           1,
	Dependabot:           2,
	NamespaceMismatch:    3,
	UppercaseName:        4,
	Unknown:              5,
	PATLogin:             6,
	OK:                   7,
	NotPublishing:        8,
}

// rank returns the verdict's place in precedence.
func rank(v Verdict) int {
	if r, ok := precedence[v]; ok {
		return r
	}
	return len(precedence)
}

// sortProblems orders problems most serious first, by line within a verdict.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(a, b int) bool {
		if ra, rb := rank(ps[a].Verdict), rank(ps[b].Verdict); ra != rb {
			return ra < rb
		}
		return ps[a].Line < ps[b].Line
	})
}
