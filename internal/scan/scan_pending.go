package scan

import "math"

// lookaheadLines is how far after an error a line naming the registry
// can still be its evidence ("The push refers to repository [ghcr.io/…]",
// buildx's "> pushing ghcr.io/… with docker:").
const lookaheadLines = 8

// evidence is where a finding's registry comes from.
type evidence struct {
	ref PackageReference
	// from is where ref came from; "" while nothing names a GitHub
	// Packages registry (a line just after the error still may).
	from string
	// distance is how many lines away the evidence is: 0 on the line,
	// math.MaxInt for an earlier step or the wording.
	distance int
}

// pendingFinding is a finding whose registry came from the context or the
// wording: a line just after it in the same step may still name a nearer one.
type pendingFinding struct {
	finding  Finding
	rule     *catalogRule
	distance int
	step     int
	// dropped: no GitHub Packages registry is named, or another registry
	// is named nearer; a nearer line after the error may still name one.
	dropped bool
}

// evidence finds the registry of an error line: the line's own, else the
// nearest the job named, else the one the wording implies. ok is false
// when the error is another registry's, or nothing says whose it is.
func (st *scanState) evidence(rule *catalogRule, body string, lineNo int) (evidence, bool) {
	ref, found := st.hosts.locateReference(body)
	if found {
		return evidence{ref: ref, from: RegistryFromLine}, st.familyAllowed(rule, ref.Registry)
	}
	if rule.source == fromLine {
		return evidence{}, false
	}
	switch {
	case rule.wording == githubOnly && st.hosts.namesForeignURL(body):
		return evidence{}, false
	case rule.wording != githubOnly && namesForeignRegistry(body):
		return evidence{}, false
	}
	lineOwner, linePkg := ref.Owner, ref.Package
	ctx, from := st.step.ctx, RegistryFromStep
	if !ctx.known() && !rule.sameStep {
		ctx, from = st.jobCtx, RegistryFromJob
	}
	ev := evidence{from: from, distance: math.MaxInt}
	if from == RegistryFromStep {
		ev.distance = lineNo - ctx.line
	}
	switch {
	case ctx.registry != "" && st.familyAllowed(rule, ctx.registry):
		ev.ref = PackageReference{Registry: ctx.registry, Owner: ctx.owner, Package: ctx.pkg}
	case rule.wording == githubOnly, rule.wording == githubWhenAlone && !ctx.known():
		ev = evidence{ref: PackageReference{Registry: st.wordingRegistry(rule, body)}, from: RegistryFromWording, distance: math.MaxInt}
	default:
		// Nothing names a GitHub Packages registry, or another registry is
		// the nearest named: only a nearer line after the error can.
		if !ctx.known() {
			ev.distance = math.MaxInt
		}
		ev = evidence{distance: ev.distance}
	}
	if lineOwner != "" {
		ev.ref.Owner, ev.ref.Package = lineOwner, linePkg
	}
	if ev.from == "" {
		return ev, true
	}
	return ev, st.familyAllowed(rule, ev.ref.Registry)
}

// familyAllowed reports whether a rule applies to a registry.
func (st *scanState) familyAllowed(rule *catalogRule, registry string) bool {
	if rule.families == nil {
		return true
	}
	fam := st.hosts.family(registry)
	for _, f := range rule.families {
		if f == fam {
			return true
		}
	}
	return false
}

// wordingRegistry is the registry an error's wording implies: the one of
// the client that printed it, else the rule's, else the container registry.
func (st *scanState) wordingRegistry(rule *catalogRule, body string) string {
	switch inferToolWithStep(body, rule, st.step.tool(), st.step.ctx.tool, "") {
	case "npm", "pnpm", "yarn":
		return st.hosts.registryOf(familyNPM)
	case "maven", "gradle":
		return st.hosts.registryOf(familyMaven)
	case "nuget":
		return st.hosts.registryOf(familyNuGet)
	case "gem":
		return st.hosts.registryOf(familyRubyGems)
	}
	if rule.fallbackRegistry != "" {
		// The enterprise instance's registry of that kind, if one was given.
		if r := st.hosts.registryOf(st.hosts.family(rule.fallbackRegistry)); st.hosts.enterprise[r] != familyUnknown {
			return r
		}
		return rule.fallbackRegistry
	}
	return st.hosts.registryOf(familyContainer)
}

// settlePending lets a registry named just after pending findings of the
// same step replace evidence that is farther away. A line that starts the
// next operation ("The push refers to repository [ghcr.io/acme/web]" after
// the refusal of acme/api) is no evidence for an error that already has
// one in its step; a line that looks back at the error (buildx's
// "> pushing ghcr.io/… with docker:") is.
func (st *scanState) settlePending(ctx registryContext) {
	for i := range st.pending {
		p := &st.pending[i]
		if p.step != ctx.step || p.finding.RegistryFrom == RegistryFromLine {
			continue
		}
		dist := ctx.line - p.finding.Line
		if dist <= 0 || dist > lookaheadLines || dist >= p.distance {
			continue
		}
		if !ctx.looksBack && p.distance != math.MaxInt {
			continue
		}
		switch {
		case ctx.registry != "" && st.familyAllowed(p.rule, ctx.registry):
			p.dropped = false
			p.finding.Registry = ctx.registry
			p.finding.RegistryFrom = RegistryFromStep
			if ctx.owner != "" {
				p.finding.Owner, p.finding.Package = ctx.owner, ctx.pkg
			}
			if p.finding.Tool == ToolUnknown && ctx.tool != "" {
				p.finding.Tool = ctx.tool
			}
			p.distance = dist
		case ctx.foreign && p.rule.wording != githubOnly:
			p.dropped = true
			p.distance = dist
		}
	}
}

// flushPending settles the pending findings that no later line can change
// any more: all of them when lineNo is negative (end of step or log).
func (st *scanState) flushPending(lineNo int) {
	if len(st.pending) == 0 {
		return
	}
	kept := st.pending[:0]
	for _, p := range st.pending {
		if lineNo >= 0 && lineNo-p.finding.Line <= lookaheadLines {
			kept = append(kept, p)
			continue
		}
		if !p.dropped {
			st.keep(p.finding, p.step)
		}
	}
	st.pending = kept
}
