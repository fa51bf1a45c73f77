package workflow

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// AddPackagesWrite grants the job's GITHUB_TOKEN packages: write with the
// smallest text change, keeping comments, blank lines, quoting, indentation
// and line endings. Only the job's own permissions are touched; the
// workflow-level block and other jobs never change.
//
//   - A block-style permissions: map gets packages: write (inserted in
//     alphabetical position when the scopes are sorted, else last); an existing
//     packages: read|none only has its value changed.
//   - A flow map { contents: read } becomes { contents: read, packages: write }.
//   - permissions: read-all becomes a block listing every documented scope
//     at read except packages: write, so the job loses nothing it had.
//   - permissions: {} becomes a block with only packages: write.
//   - permissions: *alias is replaced by a concrete block with the aliased
//     scopes plus packages: write.
//   - Without a job block, a block is inserted after runs-on: (or as the
//     job's first key) with what the job had: the workflow-level scopes (all
//     documented scopes at read for read-all, nothing for {}), or
//     contents: read when the workflow has no block either — the scopes of the
//     restricted default, as any block sets unlisted scopes to none — and
//     packages: write.
//
// Errors: *JobNotFoundError, ErrAlreadyGranted (packages: write already comes
// from the file, including write-all), *ReusableWorkflowError for jobs that
// call a reusable workflow, *UnsafeEditError when anchors or an unusual layout
// make a minimal edit unsafe, and a wrapped *ParseError for input that is not
// a workflow. The result is re-parsed and verified (see verifyPermissionsEdit)
// before it is returned.
func AddPackagesWrite(src []byte, jobID string) (Edit, error) {
	before, err := Parse(src)
	if err != nil {
		return Edit{}, fmt.Errorf("reading workflow: %w", err)
	}
	j := before.Job(jobID)
	if j == nil {
		return Edit{}, &JobNotFoundError{JobID: jobID}
	}
	if j.Uses != "" {
		return Edit{}, reusableError(j)
	}
	if eff := EffectivePermission(before, j, "packages", LevelRead); eff.Source != SourceDefault && eff.Level == LevelWrite {
		return Edit{}, ErrAlreadyGranted
	}
	if j.rawNode.Kind == yaml.AliasNode || j.node.Style&yaml.FlowStyle != 0 {
		return Edit{}, &UnsafeEditError{Line: j.Line, Reason: fmt.Sprintf("job %q is written as an alias or in flow style; edit it by hand", jobID)}
	}
	l := splitLines(src)
	sp, note, err := planPackagesWrite(l, before, j)
	if err != nil {
		return Edit{}, err
	}
	out := l.apply(sp)
	if err := verifyPermissionsEdit(src, out, before, jobID); err != nil {
		return Edit{}, err
	}
	return Edit{Out: out, Diff: unifiedDiff(src, out), Changed: true, Note: note}, nil
}

// reusableError explains where the fix for a reusable-workflow caller belongs.
func reusableError(j *Job) error {
	e := &ReusableWorkflowError{JobID: j.ID, Uses: j.Uses}
	if strings.HasPrefix(j.Uses, "./") {
		e.Path = strings.TrimPrefix(j.Uses, "./")
		return e
	}
	ref := ""
	target := j.Uses
	if i := strings.LastIndexByte(target, '@'); i >= 0 {
		target, ref = target[:i], target[i+1:]
	}
	parts := strings.SplitN(target, "/", 3)
	if len(parts) == 3 {
		e.Repository, e.Path = parts[0]+"/"+parts[1], parts[2]
	} else {
		e.Repository = target
	}
	e.Ref = ref
	return e
}

// permissionsEntry finds the job's permissions key and value nodes.
func permissionsEntry(j *Job) (key, raw *yaml.Node) {
	for i := 0; i+1 < len(j.node.Content); i += 2 {
		if k := resolve(j.node.Content[i]); k != nil && k.Value == "permissions" {
			return j.node.Content[i], j.node.Content[i+1]
		}
	}
	return nil, nil
}

func planPackagesWrite(l lines, f *File, j *Job) ([]splice, string, error) {
	key, raw := permissionsEntry(j)
	if key == nil {
		return insertJobBlock(l, f, j)
	}
	val := resolve(raw)
	if raw.Kind != yaml.AliasNode && val.Anchor != "" {
		return nil, "", &UnsafeEditError{Line: raw.Line, Reason: fmt.Sprintf("the permissions of job %q are the YAML anchor &%s, which other jobs may reuse; changing it would change them too", j.ID, val.Anchor)}
	}
	unit := max(key.Column-j.keyNode.Column, 1)
	switch {
	case raw.Kind == yaml.AliasNode:
		scopes := scopesOf(j.Permissions)
		return replaceWithBlock(l, key, raw, unit, withPackagesWrite(scopes), fmt.Sprintf("The permissions of job %q were the shared YAML alias *%s; the job now has its own copy of those scopes plus packages: write, so other jobs are unchanged.", j.ID, raw.Value))
	case val.Kind == yaml.ScalarNode && val.Value == ReadAll:
		return replaceWithBlock(l, key, raw, unit, withPackagesWrite(readAllScopes()), fmt.Sprintf("Job %q had permissions: read-all; it now lists every scope at read, as read-all granted, with packages: write.", j.ID))
	case val.Kind == yaml.MappingNode && len(val.Content) == 0:
		return replaceWithBlock(l, key, raw, unit, []scopeLine{{"packages", LevelWrite}}, fmt.Sprintf("Job %q had permissions: {} (no access); it now grants packages: write only.", j.ID))
	case val.Kind == yaml.MappingNode:
		return editScopeMap(l, j, val)
	}
	return nil, "", &UnsafeEditError{Line: key.Line, Reason: "unexpected permissions value"}
}

// scopeLine is one scope to write into a new block.
type scopeLine struct{ name, level string }

func readAllScopes() []scopeLine {
	var out []scopeLine
	for _, s := range KnownScopes {
		if s != "id-token" {
			out = append(out, scopeLine{s, LevelRead})
		}
	}
	return out
}

// scopesOf lists a block's scopes in file order.
func scopesOf(p *Permissions) []scopeLine {
	switch {
	case p == nil:
		return nil
	case p.Shorthand == ReadAll:
		return readAllScopes()
	}
	names := make([]string, 0, len(p.Scopes))
	for n := range p.Scopes {
		names = append(names, n)
	}
	sort.Slice(names, func(a, b int) bool {
		sa, sb := p.Scopes[names[a]], p.Scopes[names[b]]
		if sa.Line != sb.Line {
			return sa.Line < sb.Line
		}
		return names[a] < names[b]
	})
	out := make([]scopeLine, 0, len(names))
	for _, n := range names {
		out = append(out, scopeLine{n, p.Scopes[n].Level})
	}
	return out
}

// withPackagesWrite sets packages to write, adding it if absent.
func withPackagesWrite(scopes []scopeLine) []scopeLine {
	out := append([]scopeLine(nil), scopes...)
	for i := range out {
		if out[i].name == "packages" {
			out[i].level = LevelWrite
			return out
		}
	}
	return append(out, scopeLine{"packages", LevelWrite})
}

func blockLines(indent string, scopes []scopeLine) []string {
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		out = append(out, indent+s.name+": "+s.level)
	}
	return out
}

// replaceWithBlock turns "permissions: <token>  # c" into "permissions:  # c"
// followed by a block of scopes.
func replaceWithBlock(l lines, key, raw *yaml.Node, unit int, scopes []scopeLine, note string) ([]splice, string, error) {
	if raw.Line != key.Line {
		return nil, "", &UnsafeEditError{Line: raw.Line, Reason: "the permissions value is not on the permissions: line"}
	}
	text := l.line(raw.Line)
	start := byteOffset(text, raw.Column)
	end := tokenEnd(text, start)
	head := strings.TrimRight(text[:start], " \t")
	if rest := strings.TrimSpace(text[end:]); rest != "" {
		if !strings.HasPrefix(rest, "#") {
			return nil, "", &UnsafeEditError{Line: raw.Line, Reason: "unexpected text after the permissions value"}
		}
		head += " " + rest
	}
	indent := strings.Repeat(" ", key.Column-1+unit)
	ins := append([]string{head}, blockLines(indent, scopes)...)
	return []splice{{at: raw.Line, del: 1, ins: ins}}, note, nil
}

// editScopeMap adds or raises packages in an existing scope map.
func editScopeMap(l lines, j *Job, m *yaml.Node) ([]splice, string, error) {
	var keys []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		keys = append(keys, k)
		if resolve(k).Value != "packages" {
			continue
		}
		if v.Anchor != "" || resolve(v).Anchor != "" {
			return nil, "", &UnsafeEditError{Line: v.Line, Reason: "the packages level is a YAML anchor other scopes or jobs may reuse"}
		}
		text := l.line(v.Line)
		start := byteOffset(text, v.Column)
		end := tokenEnd(text, start)
		repl := LevelWrite
		if q := text[start]; q == '"' || q == '\'' {
			repl = string(q) + LevelWrite + string(q)
		}
		old := strings.TrimSpace(text[start:end])
		return []splice{{at: v.Line, del: 1, ins: []string{text[:start] + repl + text[end:]}}},
			fmt.Sprintf("Job %q had packages: %s; it now has packages: write.", j.ID, strings.Trim(old, `"'`)), nil
	}
	note := fmt.Sprintf("Added packages: write to the permissions of job %q.", j.ID)
	// Quote like the first entry does.
	kq, vq := quoteOf(keys[0]), quoteOf(m.Content[1])
	entry := kq + "packages" + kq + ": " + vq + LevelWrite + vq
	if m.Style&yaml.FlowStyle != 0 {
		last := m.Content[len(m.Content)-1]
		text := l.line(last.Line)
		end := tokenEnd(text, byteOffset(text, last.Column))
		return []splice{{at: last.Line, del: 1, ins: []string{text[:end] + ", " + entry + text[end:]}}}, note, nil
	}
	newLine := strings.Repeat(" ", keys[0].Column-1) + entry
	if sorted(keys) {
		for i, k := range keys {
			if resolve(k).Value > "packages" {
				return []splice{{at: aboveComments(l, k.Line, keys, i), ins: []string{newLine}}}, note, nil
			}
		}
	}
	lastVal := m.Content[len(m.Content)-1]
	return []splice{{at: max(lastVal.Line, keys[len(keys)-1].Line) + 1, ins: []string{newLine}}}, note, nil
}

// quoteOf returns the quote character a scalar is written with, or "".
func quoteOf(n *yaml.Node) string {
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return `"`
	case n.Style&yaml.SingleQuotedStyle != 0:
		return "'"
	}
	return ""
}

func sorted(keys []*yaml.Node) bool {
	for i := 1; i < len(keys); i++ {
		if resolve(keys[i-1]).Value > resolve(keys[i]).Value {
			return false
		}
	}
	return true
}

// aboveComments moves an insertion point at line up over the comment lines
// that directly precede it (they describe the entry below), but not above
// the previous key.
func aboveComments(l lines, line int, keys []*yaml.Node, i int) int {
	floor := 0
	if i > 0 {
		floor = keys[i-1].Line
	}
	for line-1 > floor && strings.HasPrefix(strings.TrimSpace(l.line(line-1)), "#") {
		line--
	}
	return line
}

// insertJobBlock adds a job-level permissions block to a job without one.
func insertJobBlock(l lines, f *File, j *Job) ([]splice, string, error) {
	if len(j.node.Content) == 0 {
		return nil, "", &UnsafeEditError{Line: j.Line, Reason: "the job is empty"}
	}
	first := j.node.Content[0]
	if first.Line == j.keyNode.Line {
		return nil, "", &UnsafeEditError{Line: j.Line, Reason: "the job's keys start on its own line"}
	}
	childCol := first.Column
	unit := max(childCol-j.keyNode.Column, 1)
	indent := strings.Repeat(" ", childCol-1)

	var scopes []scopeLine
	var note string
	switch wp := f.Permissions; {
	case wp == nil:
		scopes = []scopeLine{{"contents", LevelRead}, {"packages", LevelWrite}}
		note = fmt.Sprintf("Job %q now has its own permissions block with contents: read (what the read-only default gave it) and packages: write.", j.ID)
	case wp.Empty:
		scopes = []scopeLine{{"packages", LevelWrite}}
		note = fmt.Sprintf("Job %q now has its own permissions block with packages: write; the workflow-level permissions: {} is unchanged.", j.ID)
	default:
		scopes = withPackagesWrite(scopesOf(wp))
		note = fmt.Sprintf("Job %q now has its own permissions block: the workflow-level scopes, which it keeps, plus packages: write. The workflow-level block is unchanged.", j.ID)
	}
	block := append([]string{indent + "permissions:"}, blockLines(indent+strings.Repeat(" ", unit), scopes)...)
	return []splice{{at: jobBlockLine(l, j), ins: block}}, note, nil
}

// jobBlockLine is where a new job-level block goes: after the runs-on: value
// (before any blank or comment lines that precede the next key), or right
// after the job's key line when runs-on: is missing or last.
func jobBlockLine(l lines, j *Job) int {
	c := j.node.Content
	for i := 0; i+1 < len(c); i += 2 {
		if resolve(c[i]).Value != "runs-on" || i+2 >= len(c) {
			continue
		}
		at := c[i+2].Line
		for at-1 > c[i].Line && commentOrBlank(l.line(at-1)) {
			at--
		}
		return at
	}
	return j.keyNode.Line + 1
}
