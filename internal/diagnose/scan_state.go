package diagnose

import (
	"strings"
)

// scanState is everything one Scan call remembers while reading a log.
type scanState struct {
	maxLine     int
	maxFindings int
	anchorNext  []int

	lines        int
	findings     []Finding
	permissions  TokenPermissions
	secretSource string

	// groupDepth counts open ##[group]s; a "Run …" group opened at depth 0
	// starts a new step.
	groupDepth int
	// inPermissions is true inside the GITHUB_TOKEN Permissions group;
	// permissionLines counts its lines.
	inPermissions   bool
	permissionsDone bool
	permissionLines int

	step stepState
}

// stepState is what is remembered within one step.
type stepState struct {
	title string
	// inHeader is true inside the step's own "##[group]Run …" group, which
	// echoes the script and inputs: they set the context but are never findings.
	inHeader bool
	// ctx is the registry the step most recently named.
	ctx stepContext
	// kept are the findings of this step, for deduplication.
	kept []dedupeKey
}

// stepContext is the most recent registry reference seen in a step.
type stepContext struct {
	// registry is a GitHub Packages host, or "" when the step last named
	// another registry (or none).
	registry string
	owner    string
	pkg      string
	// tool is the client the context line came from, if its shape tells.
	tool string
}

// dedupeKey identifies an error within a step: the same error printed by
// the tool and then by the action's summary is one finding.
type dedupeKey struct {
	kind     Kind
	registry string
	owner    string
	pkg      string
	message  string
}

func newScanState(maxLine, maxFindings int) *scanState {
	return &scanState{
		maxLine:     maxLine,
		maxFindings: maxFindings,
		anchorNext:  make([]int, len(scanAnchorGroups)),
		findings:    []Finding{},
	}
}

func (st *scanState) result() *ScanResult {
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

// handleLine processes one line (without '\n') that may matter.
func (st *scanState) handleLine(raw []byte) {
	st.lines++
	lineNo := st.lines
	if len(raw) > st.maxLine {
		raw = raw[:st.maxLine]
	}
	text := cleanLogLine(raw, lineNo == 1)
	marker, rest := splitLogMarker(text)
	switch marker {
	case "group":
		st.openGroup(rest)
		return
	case "endgroup":
		st.closeGroup()
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
	if !st.step.inHeader && marker != "command" && marker != "debug" {
		st.matchLine(lineNo, text, rest)
	}
	st.updateContext(rest)
}

// openGroup handles "##[group]title".
func (st *scanState) openGroup(title string) {
	switch {
	case st.groupDepth == 0 && strings.HasPrefix(title, "Run "):
		st.startStep(title)
		st.step.inHeader = true
		st.updateContext(title)
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

// startStep begins a new step: its context and deduplication start empty.
func (st *scanState) startStep(title string) {
	st.step = stepState{title: title}
}

// updateContext remembers the registry a line names, for later lines of
// the step that print an error without one.
func (st *scanState) updateContext(text string) {
	ref, found := locateReference(text)
	switch {
	case found:
		ctx := stepContext{registry: ref.Registry, owner: ref.Owner, pkg: ref.Package, tool: contextToolOf(text)}
		if ref.Owner == "" && ref.Registry == st.step.ctx.registry {
			ctx.owner, ctx.pkg = st.step.ctx.owner, st.step.ctx.pkg
		}
		if ctx.tool == "" && ref.Registry == st.step.ctx.registry {
			ctx.tool = st.step.ctx.tool
		}
		st.step.ctx = ctx
	case strings.Contains(text, "refers to repository ["):
		// docker CLI pushing to another registry; a name without a host
		// ("[library/alpine]") is Docker Hub's.
		st.step.ctx = stepContext{tool: "docker"}
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

// matchLine classifies a line and records a finding when it is a GitHub
// Packages permission error. text is the whole cleaned line, body the
// line without its ##[marker].
func (st *scanState) matchLine(lineNo int, text, body string) {
	m, ok := matchCatalog(body)
	if !ok {
		return
	}
	rule := m.rule
	ref, found := locateReference(body)
	switch {
	case found:
	case rule.source == fromLine:
		return
	case namesForeignRegistry(body):
		return
	case st.step.ctx.registry != "":
		owner, pkg := ref.Owner, ref.Package
		ref = PackageReference{Registry: st.step.ctx.registry, Owner: st.step.ctx.owner, Package: st.step.ctx.pkg}
		if owner != "" {
			ref.Owner, ref.Package = owner, pkg
		}
	case rule.fallbackRegistry != "":
		ref = PackageReference{Registry: rule.fallbackRegistry}
	default:
		return
	}
	if rule.registries != nil && !containsString(rule.registries, ref.Registry) {
		return
	}
	key := dedupeKey{kind: m.kind, registry: ref.Registry, owner: ref.Owner, pkg: ref.Package, message: normaliseMessage(m.message)}
	if st.step.isDuplicate(key) {
		return
	}
	if len(st.step.kept) < st.maxFindings {
		st.step.kept = append(st.step.kept, key)
	}
	if len(st.findings) >= st.maxFindings {
		return
	}
	st.findings = append(st.findings, Finding{
		Kind:     m.kind,
		Registry: ref.Registry,
		Owner:    ref.Owner,
		Package:  ref.Package,
		Tool:     inferTool(body, rule, st.step.title, st.step.ctx.tool, ref.Registry),
		Step:     st.step.title,
		Line:     lineNo,
		Text:     truncateText(text, maxFindingTextRunes),
		Message:  m.message,
	})
}

// isDuplicate reports whether the step already has this error: the same
// key, or the same package and kind where one of the two messages is only
// an HTTP status printed next to the richer one.
func (s *stepState) isDuplicate(key dedupeKey) bool {
	for _, k := range s.kept {
		if k.kind != key.kind || k.registry != key.registry || k.owner != key.owner || k.pkg != key.pkg {
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

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
