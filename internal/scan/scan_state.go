package scan

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
)

// scanState is everything one Scan call remembers while reading a log.
type scanState struct {
	maxLine     int
	maxFindings int
	// anchors find the lines worth a look in a line handled on its own
	// (a long line's prefix, the last line); the pipeline's workers search
	// whole chunks.
	anchors []anchorGroup
	hosts   *RegistryHosts

	lines        int
	findings     []Finding
	permissions  TokenPermissions
	secretSource string

	// groupDepth counts open ##[group]s; a "Run …" group opened at depth 0
	// starts a new step.
	groupDepth int
	// sawGroups is true once the log showed a runner ##[group] marker: it is
	// a raw log, whose step titles are never bare "Run …" lines.
	sawGroups bool
	// inPermissions is true inside the GITHUB_TOKEN Permissions group;
	// permissionLines counts its lines.
	inPermissions   bool
	permissionsDone bool
	permissionLines int

	step stepState
	// jobCtx is the most recent registry named before the current step.
	jobCtx registryContext
	// pending are findings whose registry a line just after them may
	// still name (see scan_pending.go).
	pending []pendingFinding
	// kept are the findings' deduplication keys.
	kept []dedupeKey
	// prev is the previous line looked at, for errors wrapped over lines;
	// awaitNext is an unmatched line waiting for the line after it.
	prev      previousLine
	awaitNext *previousLine
}

// stepState is what is remembered within one step.
type stepState struct {
	index int
	title string
	// inHeader is true inside the step's own "##[group]Run …" group, which
	// echoes the script and inputs: they set the context but are never
	// findings. A header that is never closed (a trimmed log) hides only
	// lines of those shapes, not the step's output.
	inHeader bool
	// ctx is the registry the step most recently named.
	ctx registryContext
	// op is what the step was last seen doing; opKnown is false until it
	// is set or read from the title (stepOperation, worked out only when
	// an error needs it).
	op      operation
	opKnown bool
	// notes are remarks the step printed that change what later lines mean.
	notes stepNote
	// transient is true once the step printed a timeout or server error.
	transient bool
	// titleTool caches stepToolOf(title); titleToolKnown says it is set.
	titleTool      string
	titleToolKnown bool
}

// operation is what the step was last seen doing.
func (s *stepState) operation() operation {
	if !s.opKnown {
		s.op, s.opKnown = stepOperation(s.title), true
	}
	return s.op
}

// setOperation records what the step is seen doing.
func (s *stepState) setOperation(op operation) {
	s.op, s.opKnown = op, true
}

// tool is the client the step's title names, or "".
func (s *stepState) tool() string {
	if !s.titleToolKnown {
		s.titleTool, s.titleToolKnown = stepToolOf(s.title), true
	}
	return s.titleTool
}

// stepNote is a set of remarks a step printed.
type stepNote uint8

const (
	// noteNoAPIKey: NuGet's "No API Key was provided": a 404 that follows
	// is the missing key, not a missing package.
	noteNoAPIKey stepNote = 1 << iota
)

// previousLine is the last line the scanner looked at.
type previousLine struct {
	text    string
	line    int
	step    int
	matched bool
}

// dedupeKey identifies an error within a step: the same error printed by
// the tool and then by the action's summary is one finding.
type dedupeKey struct {
	step     int
	kind     Kind
	registry string
	owner    string
	pkg      string
	message  string
}

func newScanState(maxLine, maxFindings int, hosts *RegistryHosts) *scanState {
	return &scanState{
		maxLine:     maxLine,
		maxFindings: maxFindings,
		anchors:     anchorGroupsFor(hosts, true),
		hosts:       hosts,
		findings:    []Finding{},
	}
}

func (st *scanState) result() *ScanResult {
	st.flushPending(-1)
	sort.SliceStable(st.findings, func(i, j int) bool { return st.findings[i].Line < st.findings[j].Line })
	return &ScanResult{
		Findings:         st.findings,
		TokenPermissions: st.permissions,
		SecretSource:     st.secretSource,
		Lines:            st.lines,
	}
}

// everyLine reports whether every line must be looked at (inside the
// GITHUB_TOKEN Permissions block), not only those with a scan anchor.
func (st *scanState) everyLine() bool {
	return st.inPermissions
}

// scriptEcho is how the runner colours the lines of a run: script in the
// step header.
var scriptEcho = []byte("\x1b[36;1m")

// handleLine processes one line (without '\n') that may matter; next is
// the line after it when the buffer holds it (else nil, and the reader
// hands it to resolveAwait later), for errors wrapped over two lines.
func (st *scanState) handleLine(raw, next []byte) {
	st.awaitNext = nil
	st.lines++
	lineNo := st.lines
	if len(raw) > st.maxLine {
		raw = raw[:st.maxLine]
	}
	echo := st.step.inHeader && bytes.Contains(raw[:min(len(raw), 96)], scriptEcho)
	text := cleanLogLine(raw, lineNo == 1)
	marker, rest := splitLogMarker(text)
	switch marker {
	case "group":
		st.sawGroups = true
		st.openGroup(rest, lineNo)
		return
	case "endgroup":
		st.closeGroup()
		return
	case "section":
		if title, ok := strings.CutPrefix(rest, "Starting: "); ok {
			st.startStep(title)
		}
		return
	}
	if st.inPermissions {
		st.readPermission(text)
		return
	}
	if st.groupDepth == 0 && text == "Post job cleanup." {
		st.startStep("Post job cleanup")
		return
	}
	if st.secretSource == "" {
		if v, ok := strings.CutPrefix(text, "Secret source: "); ok {
			st.secretSource = strings.TrimSpace(v)
			return
		}
	}
	st.flushPending(lineNo)
	line := unpasteLine(rest)
	if line.section != "" {
		st.startStep(line.section)
		return
	}
	if !st.sawGroups && isPastedStepTitle(line.text) {
		st.startStep(line.text)
		st.updateContext(line.text, lineNo)
		return
	}
	if echo || st.step.inHeader && isHeaderInput(rest) {
		st.updateContext(line.text, lineNo)
		return
	}
	if line.prompt || looksLikeScript(line.text) || marker == "command" || marker == "debug" {
		if op := commandOperation(line.text); op != opUnknown {
			st.step.setOperation(op)
		}
		st.updateContext(line.text, lineNo)
		st.noteCommandImage(line.text, lineNo)
		st.prev = previousLine{}
		return
	}
	st.noteOutput(line.text)
	matched := st.matchLine(lineNo, text, line.text)
	if !matched && mayBeWrapped(line.text) {
		matched = st.matchWrappedPrevious(lineNo, line.text)
	}
	st.updateContext(line.text, lineNo)
	st.prev = previousLine{text: line.text, line: lineNo, step: st.step.index, matched: matched}
	if !matched && mayBeWrapped(line.text) {
		await := st.prev
		st.awaitNext = &await
		if next != nil {
			st.resolveAwait(next)
		}
	}
}

// isPastedStepTitle reports whether a line of a log copied from the web
// view (no ##[group] markers) is a step title, "Run docker/login-action@v3".
func isPastedStepTitle(text string) bool {
	rest, ok := strings.CutPrefix(text, "Run ")
	return ok && rest != "" && !strings.HasPrefix(rest, "with ") && !strings.HasPrefix(rest, "'")
}

// reHeaderInput is an input or environment line of a step header,
// "  registry: ghcr.io".
var reHeaderInput = regexp.MustCompile(`^ {2,}[A-Za-z_][A-Za-z0-9_.\-]*: `)

// isHeaderInput reports whether a header line is one of the step's
// inputs rather than the step's output.
func isHeaderInput(text string) bool {
	return text == "with:" || text == "env:" || strings.HasPrefix(text, "shell: ") || reHeaderInput.MatchString(text)
}

// noteOutput remembers what an output line says about the step: what it
// was doing, a transient failure, a remark that changes later lines.
func (st *scanState) noteOutput(text string) {
	if op := lineOperation(text); op != opUnknown {
		st.step.setOperation(op)
	}
	if isTransientText(text) {
		st.step.transient = true
	}
	if strings.Contains(text, "No API Key was provided") {
		st.step.notes |= noteNoAPIKey
	}
}

// reCommandImage is the image of a "docker push|pull NAME" command.
var reCommandImage = regexp.MustCompile(`(?i)\b(?:docker|podman|nerdctl)(?:\s+--?[a-z-]+(?:[ =]\S+)?)*\s+(?:image\s+)?(?:push|pull)\s+(?:--?[a-z-]+(?:[ =]\S+)?\s+)*([^\s"'$-][^\s"']*)\s*$`)

// noteCommandImage makes a "docker push NAME" without a host name Docker
// Hub the step's registry.
func (st *scanState) noteCommandImage(text string, lineNo int) {
	m := reCommandImage.FindStringSubmatch(text)
	if m == nil {
		return
	}
	first, _, _ := strings.Cut(m[1], "/")
	if strings.ContainsAny(first, ".:") || first == "localhost" {
		return // a host: updateContext has read it
	}
	st.setContext(registryContext{foreign: true, tool: "docker", line: lineNo, step: st.step.index})
}

// openGroup handles "##[group]title".
func (st *scanState) openGroup(title string, lineNo int) {
	switch {
	case st.groupDepth == 0 && strings.HasPrefix(title, "Run "):
		st.startStep(title)
		st.step.inHeader = true
		st.updateContext(title, lineNo)
	case title == tokenPermissionsGroup && !st.permissionsDone:
		st.inPermissions = true
		st.permissions = TokenPermissions{}
	}
	st.groupDepth++
}

// closeGroup handles "##[endgroup]".
func (st *scanState) closeGroup() {
	if st.groupDepth > 0 {
		st.groupDepth--
	}
	if st.groupDepth == 0 {
		st.step.inHeader = false
	}
	if st.inPermissions {
		st.inPermissions = false
		st.permissionsDone = true
	}
}

// readPermission reads one line of the GITHUB_TOKEN Permissions block.
func (st *scanState) readPermission(text string) {
	st.permissionLines++
	if scope, level, ok := parseTokenPermissionLine(text); ok {
		st.permissions[scope] = level
	}
	if st.permissionLines >= maxTokenPermissionLines {
		st.inPermissions = false
		st.permissionsDone = true
	}
}

// startStep begins a new step: the pending findings of the last one are
// settled, and what it named becomes the job's context.
func (st *scanState) startStep(title string) {
	st.flushPending(-1)
	if st.step.ctx.known() {
		st.jobCtx = st.step.ctx
	}
	st.step = stepState{index: st.step.index + 1, title: title}
	st.prev = previousLine{}
}

// updateContext remembers the registry a line names, for later lines of
// the job that print an error without one.
func (st *scanState) updateContext(text string, lineNo int) {
	ref, found := st.hosts.locateReference(text)
	var ctx registryContext
	switch {
	case found:
		ctx = registryContext{registry: ref.Registry, owner: ref.Owner, pkg: ref.Package, tool: contextToolOf(text), line: lineNo, step: st.step.index, looksBack: looksBack(text)}
		prev := st.step.ctx
		if ref.Owner == "" && ref.Registry == prev.registry {
			ctx.owner, ctx.pkg = prev.owner, prev.pkg
		}
		if ctx.tool == "" && ref.Registry == prev.registry {
			ctx.tool = prev.tool
		}
	case foreignReference(text):
		ctx = registryContext{foreign: true, tool: contextToolOf(text), line: lineNo, step: st.step.index, looksBack: looksBack(text)}
	default:
		return
	}
	st.setContext(ctx)
}

// setContext makes ctx the step's registry and lets it settle the pending
// findings it is nearer to.
func (st *scanState) setContext(ctx registryContext) {
	st.step.ctx = ctx
	if len(st.pending) > 0 {
		st.settlePending(ctx)
	}
}

// contextToolOf names the client whose output a context line is.
func contextToolOf(text string) string {
	switch {
	case strings.Contains(text, "refers to repository ["):
		return "docker"
	case strings.Contains(text, "Pushing gem to "):
		return "gem"
	case strings.Contains(text, "[auth] "):
		return "buildx"
	}
	return ""
}

// errorHints are words of a line that may be the start or the end of an
// error message the poster's editor wrapped.
var errorHints = []string{"denied", "DENIED", "403", "401", "nauthorized", "organization", "failed to push", "must be", "authenticat", "rror"}

// mayBeWrapped reports whether an unmatched line is worth joining with
// its neighbours.
func mayBeWrapped(text string) bool {
	return containsAny(text, errorHints)
}

// matchWrappedPrevious tries an error wrapped over two lines: the
// previous line, unmatched, and this one.
func (st *scanState) matchWrappedPrevious(lineNo int, text string) bool {
	p := st.prev
	if p.line != lineNo-1 || p.step != st.step.index || p.matched || p.text == "" {
		return false
	}
	joined := joinWrapped(p.text, text)
	return st.matchLine(p.line, joined, joined)
}

// resolveAwait tries the unmatched line waiting for its successor joined
// with next, the line after it (whatever its anchors). A next line that is
// an error by itself is not a continuation.
func (st *scanState) resolveAwait(next []byte) {
	await := st.awaitNext
	st.awaitNext = nil
	if await == nil || await.step != st.step.index {
		return
	}
	if len(next) > st.maxLine {
		next = next[:st.maxLine]
	}
	_, nextText := splitLogMarker(cleanLogLine(next, false))
	nextText = unpasteLine(nextText).text
	if nextText == "" {
		return
	}
	if _, alone := matchCatalog(nextText, st.operation(nextText)); alone {
		return
	}
	joined := joinWrapped(await.text, nextText)
	if st.matchLine(await.line, joined, joined) && st.prev.line == await.line {
		st.prev.matched = true
	}
}

// joinWrapped joins two halves of a wrapped line; a break inside a word
// (no space at the end of the first half) joins without a space when the
// first half ends in a URL or path.
func joinWrapped(a, b string) string {
	a = strings.TrimRight(a, " ")
	if strings.HasSuffix(a, "/") || strings.HasSuffix(a, "-") {
		return a + b
	}
	return a + " " + b
}

// matchLine classifies a line and records a finding when it is a GitHub
// Packages permission error. text is the whole cleaned line, body the
// line without its ##[marker] and paste decoration.
func (st *scanState) matchLine(lineNo int, text, body string) bool {
	m, ok := matchCatalog(body, st.operation(body))
	if !ok {
		return false
	}
	rule := m.rule
	if rule.afterNote != 0 && st.step.notes&rule.afterNote == 0 {
		return false
	}
	if rule.notAfterTransient && st.step.transient {
		return false
	}
	ev, ok := st.evidence(rule, body, lineNo)
	if !ok {
		return false
	}
	f := Finding{
		Kind:         m.kind,
		Registry:     ev.ref.Registry,
		RegistryFrom: ev.from,
		Owner:        ev.ref.Owner,
		Package:      ev.ref.Package,
		Tool:         inferToolWithStep(body, rule, st.step.tool(), st.step.ctx.tool, ev.ref.Registry),
		Step:         st.step.title,
		Line:         lineNo,
		Text:         truncateText(text, maxFindingTextRunes),
		Message:      m.message,
	}
	// Every finding waits its turn, so that duplicates are settled in line
	// order; one whose line names the registry is already settled.
	st.pending = append(st.pending, pendingFinding{finding: f, rule: rule, distance: ev.distance, step: st.step.index, dropped: ev.from == ""})
	return true
}

// operation is what the job was doing on this line: what the line says,
// else what the step was last seen doing.
func (st *scanState) operation(text string) operation {
	if op := lineOperation(text); op != opUnknown {
		return op
	}
	return st.step.operation()
}

// keep records a settled finding unless its step already has it.
func (st *scanState) keep(f Finding, step int) {
	key := dedupeKey{step: step, kind: f.Kind, registry: f.Registry, owner: f.Owner, pkg: f.Package, message: normaliseMessage(f.Message)}
	if st.isDuplicate(key) {
		return
	}
	if len(st.kept) < st.maxFindings {
		st.kept = append(st.kept, key)
	}
	if len(st.findings) >= st.maxFindings {
		return
	}
	st.findings = append(st.findings, f)
}

// isDuplicate reports whether the step already has this error: the same
// key, or the same package and kind where one of the two messages is only
// an HTTP status printed next to the richer one.
func (st *scanState) isDuplicate(key dedupeKey) bool {
	for _, k := range st.kept {
		if k.step != key.step || k.kind != key.kind || k.registry != key.registry || k.owner != key.owner || k.pkg != key.pkg {
			continue
		}
		if k.message == key.message || isStatusMessage(k.message) || isStatusMessage(key.message) {
			return true
		}
	}
	return false
}

// normaliseMessage makes messages that differ only in case, spacing or a
// final dot compare equal.
func normaliseMessage(msg string) string {
	return strings.TrimRight(strings.Join(strings.Fields(msg), " "), ".")
}
