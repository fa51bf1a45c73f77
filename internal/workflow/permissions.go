package workflow

import (
	"go.yaml.in/yaml/v3"
)

// Permission levels.
const (
	LevelRead  = "read"
	LevelWrite = "write"
	LevelNone  = "none"
)

// Shorthand forms of permissions:.
const (
	ReadAll  = "read-all"
	WriteAll = "write-all"
)

// KnownScopes are the GITHUB_TOKEN scopes GitHub documents for permissions:.
var KnownScopes = []string{
	"actions", "attestations", "checks", "contents", "deployments", "discussions",
	"id-token", "issues", "models", "packages", "pages", "pull-requests",
	"repository-projects", "security-events", "statuses",
}

func isKnownScope(s string) bool {
	for _, k := range KnownScopes {
		if k == s {
			return true
		}
	}
	return false
}

func parsePermissions(e *entry) (*Permissions, error) {
	p := &Permissions{Line: e.keyN.Line}
	n := e.val
	switch {
	case isNull(n):
		return nil, parseErrorf(e.keyN.Line, "permissions: has no value; use read-all, write-all, {} or a map of scopes")
	case n.Kind == yaml.ScalarNode:
		if n.Value != ReadAll && n.Value != WriteAll {
			return nil, parseErrorf(e.raw.Line, "permissions: %q is not read-all, write-all or a map of scopes", n.Value)
		}
		p.Shorthand = n.Value
		return p, nil
	case n.Kind != yaml.MappingNode:
		return nil, parseErrorf(e.raw.Line, "permissions: must be read-all, write-all or a map of scopes")
	}
	es, err := entries(n, "permissions:")
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		p.Empty = true
		return p, nil
	}
	p.Scopes = make(map[string]Scope, len(es))
	for _, s := range es {
		level := scalarString(s.val)
		if level != LevelRead && level != LevelWrite && level != LevelNone {
			return nil, parseErrorf(s.keyN.Line, "permissions: scope %q has the level %q; use read, write or none", s.key, level)
		}
		if !isKnownScope(s.key) {
			p.Unknown = append(p.Unknown, s.key)
		}
		p.Scopes[s.key] = Scope{Level: level, Line: s.keyN.Line}
	}
	return p, nil
}

// Level returns the level this block grants for a scope: "read" or "write"
// for the shorthands, "none" for {}, the listed level, and "none" for an
// unlisted scope (any permissions block sets unlisted scopes to none).
// read-all grants no id-token, which has no read level. A nil block returns "".
func (p *Permissions) Level(scope string) string {
	if p == nil {
		return ""
	}
	switch p.Shorthand {
	case ReadAll:
		if scope == "id-token" {
			return LevelNone
		}
		return LevelRead
	case WriteAll:
		return LevelWrite
	}
	if s, ok := p.Scopes[scope]; ok {
		return s.Level
	}
	return LevelNone
}

// line returns the line that decides the scope: the scope's entry if listed,
// else the permissions: key.
func (p *Permissions) line(scope string) int {
	if s, ok := p.Scopes[scope]; ok {
		return s.Line
	}
	return p.Line
}

// Sources of an effective permission.
const (
	SourceJob      = "job"
	SourceWorkflow = "workflow"
	SourceDefault  = "default"
)

// Effective is the level a job's GITHUB_TOKEN gets for one scope from the
// workflow file and the repository default.
type Effective struct {
	// Level is "read", "write" or "none".
	Level string
	// Source is SourceJob, SourceWorkflow or SourceDefault.
	Source string
	// Line is the line that decides the level (0 for the default).
	Line int
}

// EffectivePermission applies GitHub's rules for one scope: the job's block
// wins, else the workflow's block, else the repository/organization default.
// defaultLevel is the default_workflow_permissions setting: "read" (the
// restricted default: contents and packages read, everything else none) or
// "write" (the permissive default: every scope write except id-token none and
// models read). Any other defaultLevel is returned as the level unchanged.
// Fork-PR and Dependabot downgrades are not applied here.
func EffectivePermission(f *File, j *Job, scope, defaultLevel string) Effective {
	if j != nil && j.Permissions != nil {
		return Effective{Level: j.Permissions.Level(scope), Source: SourceJob, Line: j.Permissions.line(scope)}
	}
	if f != nil && f.Permissions != nil {
		return Effective{Level: f.Permissions.Level(scope), Source: SourceWorkflow, Line: f.Permissions.line(scope)}
	}
	return Effective{Level: defaultScopeLevel(scope, defaultLevel), Source: SourceDefault}
}

func defaultScopeLevel(scope, defaultLevel string) string {
	switch defaultLevel {
	case LevelRead:
		if scope == "contents" || scope == "packages" || scope == "metadata" {
			return LevelRead
		}
		return LevelNone
	case LevelWrite:
		switch scope {
		case "id-token":
			return LevelNone
		case "models", "metadata":
			return LevelRead
		}
		return LevelWrite
	}
	return defaultLevel
}
