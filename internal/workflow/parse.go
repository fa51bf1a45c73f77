package workflow

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

var (
	yamlLineRe   = regexp.MustCompile(`line (\d+)`)
	yamlAnchorRe = regexp.MustCompile(`unknown anchor '([^']*)'`)
)

// Parse reads a workflow file. CRLF line endings, a UTF-8 byte order mark,
// anchors and aliases, flow and block collections, comments and quoted keys
// are accepted. Broken YAML or a document that is not a workflow returns a
// *ParseError. Merge keys (<<) are not expanded, because GitHub Actions does
// not support them either.
func Parse(src []byte) (f *File, err error) {
	defer func() {
		// The YAML library has panicked on hostile input in the past; a
		// workflow file is untrusted input, so never let that escape.
		if r := recover(); r != nil {
			f, err = nil, parseErrorf(1, "unreadable YAML: %v", r)
		}
	}()
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(src, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, parseErrorf(1, "the file is empty, a workflow needs on: and jobs:")
	}
	root := resolve(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, parseErrorf(doc.Content[0].Line, "a workflow must be a mapping with on: and jobs:")
	}
	return parseFile(root)
}

// yamlError converts a YAML library error to a *ParseError with a line.
func yamlError(src []byte, err error) *ParseError {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return parseErrorf(n, "invalid YAML: %s", msg)
	}
	if m := yamlAnchorRe.FindStringSubmatch(msg); m != nil {
		return parseErrorf(lineOf(src, "*"+m[1]), "invalid YAML: %s", msg)
	}
	// The library omits the line number for problems on the first line.
	return parseErrorf(1, "invalid YAML: %s", msg)
}

// lineOf returns the 1-based line of the first occurrence of s, 1 if absent.
func lineOf(src []byte, s string) int {
	i := bytes.Index(src, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(src[:i], []byte("\n")) + 1
}

func parseFile(root *yaml.Node) (*File, error) {
	es, err := entries(root, "the workflow")
	if err != nil {
		return nil, err
	}
	f := &File{root: root}
	var jobs *entry
	for i := range es {
		e := &es[i]
		switch e.key {
		case "name":
			f.Name = scalarString(e.val)
		case "on", "true":
			// "true" is how a YAML 1.1 tool would have rewritten an unquoted on:.
			f.Events = events(e.val)
		case "permissions":
			if f.Permissions, err = parsePermissions(e); err != nil {
				return nil, err
			}
		case "env":
			if f.Env, err = valueMap(e.val, "env"); err != nil {
				return nil, err
			}
		case "jobs":
			jobs = e
		case "defaults":
			f.DefaultWorkingDirectory = defaultWorkingDirectory(e.val)
		}
	}
	if jobs == nil {
		return nil, parseErrorf(root.Line, "not a workflow: there is no jobs: key")
	}
	if jobs.val == nil || jobs.val.Kind != yaml.MappingNode {
		return nil, parseErrorf(jobs.keyN.Line, "jobs: must be a mapping of job IDs to jobs")
	}
	jes, err := entries(jobs.val, "jobs:")
	if err != nil {
		return nil, err
	}
	if len(jes) == 0 {
		return nil, parseErrorf(jobs.keyN.Line, "jobs: has no jobs")
	}
	for i := range jes {
		j, err := parseJob(f, &jes[i])
		if err != nil {
			return nil, err
		}
		f.Jobs = append(f.Jobs, j)
	}
	return f, nil
}

// events reads on: as a string, a list or a map of events.
func events(n *yaml.Node) []string {
	if n != nil && n.Kind == yaml.MappingNode {
		var out []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			if s := scalarString(resolve(n.Content[i])); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return stringList(n)
}

func parseJob(f *File, e *entry) (*Job, error) {
	j := &Job{ID: e.key, Line: e.keyN.Line, file: f, keyNode: e.keyN, rawNode: e.raw, node: e.val}
	if e.val == nil || e.val.Kind != yaml.MappingNode {
		return nil, parseErrorf(e.keyN.Line, "job %q must be a mapping", e.key)
	}
	es, err := entries(e.val, fmt.Sprintf("job %q", e.key))
	if err != nil {
		return nil, err
	}
	for i := range es {
		c := &es[i]
		switch c.key {
		case "name":
			j.Name = scalarString(c.val)
		case "permissions":
			if j.Permissions, err = parsePermissions(c); err != nil {
				return nil, err
			}
		case "uses":
			j.Uses = scalarString(c.val)
			j.UsesLine = c.raw.Line
		case "with":
			if j.With, err = valueMap(c.val, "with"); err != nil {
				return nil, err
			}
		case "secrets":
			if j.Secrets, err = parseSecrets(c); err != nil {
				return nil, err
			}
		case "if":
			j.If = scalarString(c.val)
		case "strategy":
			j.Matrix = hasKey(c.val, "matrix")
		case "env":
			if j.Env, err = valueMap(c.val, "env"); err != nil {
				return nil, err
			}
		case "needs":
			j.Needs = stringList(c.val)
		case "runs-on":
			j.RunsOn = scalarString(c.val)
		case "defaults":
			j.DefaultWorkingDirectory = defaultWorkingDirectory(c.val)
		case "steps":
			if j.Steps, err = parseSteps(j, c); err != nil {
				return nil, err
			}
		}
	}
	return j, nil
}

func hasKey(m *yaml.Node, key string) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := resolve(m.Content[i]); k != nil && k.Value == key {
			return true
		}
	}
	return false
}

func parseSecrets(e *entry) (*Secrets, error) {
	s := &Secrets{Line: e.keyN.Line}
	if e.val != nil && e.val.Kind == yaml.ScalarNode && e.val.Value == "inherit" {
		s.Inherit = true
		return s, nil
	}
	named, err := valueMap(e.val, "secrets")
	if err != nil {
		return nil, err
	}
	s.Named = named
	return s, nil
}

func parseSteps(j *Job, e *entry) ([]*Step, error) {
	if isNull(e.val) {
		return nil, nil
	}
	if e.val.Kind != yaml.SequenceNode {
		return nil, parseErrorf(e.keyN.Line, "steps: of job %q must be a list", j.ID)
	}
	steps := make([]*Step, 0, len(e.val.Content))
	for i, raw := range e.val.Content {
		n := resolve(raw)
		if n == nil || n.Kind != yaml.MappingNode {
			return nil, parseErrorf(raw.Line, "step %d of job %q must be a mapping", i+1, j.ID)
		}
		s := &Step{Index: i, Line: raw.Line, job: j}
		es, err := entries(n, fmt.Sprintf("step %d of job %q", i+1, j.ID))
		if err != nil {
			return nil, err
		}
		for _, c := range es {
			switch c.key {
			case "name":
				s.Name = scalarString(c.val)
			case "id":
				s.ID = scalarString(c.val)
			case "uses":
				s.Uses = scalarString(c.val)
			case "run":
				if v, ok := scalarValue(c.raw, c.val); ok {
					s.Run, s.RunLine = v.Str, v.Line
				}
			case "if":
				s.If = scalarString(c.val)
			case "working-directory":
				s.WorkingDirectory = scalarString(c.val)
			case "with":
				if s.With, err = valueMap(c.val, "with"); err != nil {
					return nil, err
				}
			case "env":
				if s.Env, err = valueMap(c.val, "env"); err != nil {
					return nil, err
				}
			}
		}
		steps = append(steps, s)
	}
	return steps, nil
}
