package workflow

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// lowercaseVars maps a case-keeping context to the runner variable with the
// same value and the env var the inserted step writes in lower case.
var lowercaseVars = []struct{ context, runnerVar, envVar string }{
	{"github.repository_owner", "GITHUB_REPOSITORY_OWNER", "REPOSITORY_OWNER_LC"},
	{"github.repository", "GITHUB_REPOSITORY", "REPOSITORY_LC"},
	{"github.actor", "GITHUB_ACTOR", "ACTOR_LC"},
}

// LowercaseImageRef rewrites the image reference ref on the 1-based line so
// that the pushed name is lower case, with the smallest change that works:
//
//   - a literal name (ghcr.io/MyOrg/App:Tag) is lowercased in place; the tag
//     keeps its case, since tags may contain upper case;
//   - $GITHUB_REPOSITORY / ${GITHUB_REPOSITORY} (and _OWNER, GITHUB_ACTOR) in a
//     run: script become ${GITHUB_REPOSITORY,,} (bash lowercasing);
//   - ${{ github.repository }}, ${{ github.repository_owner }} or
//     ${{ github.actor }} inside a step become ${{ env.REPOSITORY_LC }} (…) and
//     a step is inserted just before it that writes the lowercase value to
//     $GITHUB_ENV with bash: echo "REPOSITORY_LC=${GITHUB_REPOSITORY,,}";
//   - the same expressions in a workflow- or job-level env: entry (NAME: …)
//     are left as written; instead each job that sees NAME gets a first step
//     echo "NAME=${NAME,,}" >> "$GITHUB_ENV", which overrides it for the
//     following steps.
//
// Other expressions cannot be lowercased from the file and return an
// *UnsafeEditError. ErrNothingToChange when the reference is already safe.
func LowercaseImageRef(src []byte, line int, ref string) (Edit, error) {
	f, err := Parse(src)
	if err != nil {
		return Edit{}, fmt.Errorf("reading workflow: %w", err)
	}
	l := splitLines(src)
	text := l.line(line)
	col := strings.Index(text, ref)
	if ref == "" || col < 0 {
		return Edit{}, fmt.Errorf("line %d does not contain %q", line, ref)
	}
	if !ExpandsToUpper(ref) {
		return Edit{}, ErrNothingToChange
	}
	var sp []splice
	var note string
	newRef := ref
	switch {
	case caseShellVarRe.MatchString(ref):
		newRef = caseShellVarRe.ReplaceAllStringFunc(ref, func(m string) string {
			return "${" + caseShellVarRe.FindStringSubmatch(m)[1] + ",,}" + strings.TrimPrefix(caseShellVarRe.FindStringSubmatch(m)[2], "}")
		})
		note = "The image name is lowercased in the script with bash's ${VAR,,}."
	case hasCaseContext(ref):
		sp, newRef, note, err = lowercaseContexts(l, f, line, ref)
		if err != nil {
			return Edit{}, err
		}
	default:
		newRef = lowercaseName(ref)
		note = fmt.Sprintf("The image name %s is now written in lower case, as registries require.", ref)
	}
	if newRef != ref {
		sp = append(sp, splice{at: line, del: 1, ins: []string{text[:col] + newRef + text[col+len(ref):]}})
	}
	out := l.apply(sp)
	if _, err := Parse(out); err != nil {
		return Edit{}, fmt.Errorf("edit produced an invalid workflow: %w", err)
	}
	if newRef != ref && ExpandsToUpper(newRef) {
		return Edit{}, &UnsafeEditError{Line: line, Reason: fmt.Sprintf("%s still has parts that may be upper case", newRef)}
	}
	return Edit{Out: out, Diff: unifiedDiff(src, out), Changed: true, Note: note}, nil
}

func hasCaseContext(ref string) bool {
	for _, e := range exprRe.FindAllString(ref, -1) {
		if caseContextRe.MatchString(e) {
			return true
		}
	}
	return false
}

// lowercaseName lowercases the name part of a literal reference, keeping the
// tag or digest.
func lowercaseName(ref string) string {
	cut := len(ref)
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		cut = i
	}
	if c := strings.LastIndexByte(ref[:cut], ':'); c > strings.LastIndexByte(ref[:cut], '/') {
		cut = c
	}
	var b strings.Builder
	last := 0
	for _, loc := range exprRe.FindAllStringIndex(ref[:cut], -1) {
		b.WriteString(strings.ToLower(ref[last:loc[0]]))
		b.WriteString(ref[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(strings.ToLower(ref[last:cut]))
	return b.String() + ref[cut:]
}

var unsupportedCaseRe = regexp.MustCompile(`github\.(triggering_actor|event\.)`)

// lowercaseContexts handles ${{ github.repository }}-style expressions.
func lowercaseContexts(l lines, f *File, line int, ref string) ([]splice, string, string, error) {
	if unsupportedCaseRe.MatchString(ref) {
		return nil, "", "", &UnsafeEditError{Line: line, Reason: "the name comes from event data that cannot be lowercased here; lowercase it in a step"}
	}
	if name, jobs, ok := envEntryAt(f, line); ok {
		var sp []splice
		for _, j := range jobs {
			s, err := insertStepBefore(l, j, j.Steps[0], "Lowercase "+name, fmt.Sprintf(`echo "%s=${%s,,}" >> "$GITHUB_ENV"`, name, name))
			if err != nil {
				return nil, "", "", err
			}
			sp = append(sp, s)
		}
		return sp, ref, fmt.Sprintf("%s keeps the owner's case; a first step in each job that uses it now lowercases it through $GITHUB_ENV.", name), nil
	}
	j, s := stepAt(f, line)
	if s == nil {
		return nil, "", "", &UnsafeEditError{Line: line, Reason: "the reference is neither in a step nor in an env: entry"}
	}
	newRef := ref
	var cmds []string
	for _, v := range lowercaseVars {
		re := regexp.MustCompile(`\$\{\{\s*` + regexp.QuoteMeta(v.context) + `\s*\}\}`)
		if !re.MatchString(newRef) {
			continue
		}
		newRef = re.ReplaceAllString(newRef, "${{ env."+v.envVar+" }}")
		cmds = append(cmds, fmt.Sprintf(`echo "%s=${%s,,}" >> "$GITHUB_ENV"`, v.envVar, v.runnerVar))
	}
	if len(cmds) == 0 {
		return nil, "", "", &UnsafeEditError{Line: line, Reason: "the expression is not a plain ${{ github.repository }}-style context"}
	}
	sort.Strings(cmds)
	sp, err := insertStepBefore(l, j, s, "Lowercase image name", strings.Join(cmds, "; "))
	if err != nil {
		return nil, "", "", err
	}
	return []splice{sp}, newRef, "GitHub keeps the owner's case in these names; a new step computes lower-case copies and the reference uses them.", nil
}

// envEntryAt finds a workflow- or job-level env entry on the line and the
// jobs with steps that see it.
func envEntryAt(f *File, line int) (string, []*Job, bool) {
	for name, v := range f.Env {
		if v.Line == line {
			var jobs []*Job
			for _, j := range f.Jobs {
				if _, own := j.Env[name]; !own && len(j.Steps) > 0 {
					jobs = append(jobs, j)
				}
			}
			return name, jobs, len(jobs) > 0
		}
	}
	for _, j := range f.Jobs {
		for name, v := range j.Env {
			if v.Line == line && len(j.Steps) > 0 {
				return name, []*Job{j}, true
			}
		}
	}
	return "", nil, false
}

// stepAt returns the step whose text spans the line.
func stepAt(f *File, line int) (*Job, *Step) {
	var bestJ *Job
	var best *Step
	for _, j := range f.Jobs {
		for _, s := range j.Steps {
			if s.Line <= line && (best == nil || s.Line > best.Line) {
				bestJ, best = j, s
			}
		}
	}
	if best == nil || bestJ.Line > line {
		return nil, nil
	}
	for _, j := range f.Jobs {
		if j.Line > best.Line && j.Line <= line {
			return nil, nil // the line belongs to a later job
		}
	}
	return bestJ, best
}

// insertStepBefore inserts a bash step before s, indented like s.
func insertStepBefore(l lines, j *Job, s *Step, name, run string) (splice, error) {
	stepsKey, seq := stepsNodes(j)
	if seq == nil || seq.Style&yaml.FlowStyle != 0 || s.Index >= len(seq.Content) {
		return splice{}, &UnsafeEditError{Line: j.Line, Reason: "the job's steps are not a block list"}
	}
	node := resolve(seq.Content[s.Index])
	if seq.Content[s.Index].Kind == yaml.AliasNode || node.Style&yaml.FlowStyle != 0 {
		return splice{}, &UnsafeEditError{Line: s.Line, Reason: "the step is an alias or in flow style"}
	}
	text := l.line(node.Line)
	keyAt := byteOffset(text, node.Column)
	dash := strings.LastIndexByte(text[:keyAt], '-')
	if dash < 0 {
		return splice{}, &UnsafeEditError{Line: s.Line, Reason: "cannot find the step's list marker"}
	}
	prefix := text[:keyAt]
	keyIndent := strings.Repeat(" ", keyAt)
	at := node.Line
	for at-1 > stepsKey.Line && strings.HasPrefix(strings.TrimSpace(l.line(at-1)), "#") {
		at--
	}
	return splice{at: at, ins: []string{
		prefix + "name: " + name,
		keyIndent + "shell: bash",
		keyIndent + "run: " + quoteForRun(run),
	}}, nil
}

// quoteForRun single-quotes a command for a YAML plain-unsafe scalar.
func quoteForRun(run string) string {
	return "'" + strings.ReplaceAll(run, "'", "''") + "'"
}

func stepsNodes(j *Job) (*yaml.Node, *yaml.Node) {
	for i := 0; i+1 < len(j.node.Content); i += 2 {
		if k := resolve(j.node.Content[i]); k != nil && k.Value == "steps" {
			return j.node.Content[i], resolve(j.node.Content[i+1])
		}
	}
	return nil, nil
}
