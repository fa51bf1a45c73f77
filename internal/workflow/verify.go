package workflow

import (
	"bytes"
	"fmt"
)

// verifyPermissionsEdit re-parses an edited file and checks that the job now
// has packages: write, that its other scopes are what they were (under the
// restricted default, which is why a fix is needed), that every other job's
// effective permissions are unchanged under both defaults, and that the
// workflow-level permissions block is byte-identical.
func verifyPermissionsEdit(src, out []byte, before *File, jobID string) error {
	after, err := Parse(out)
	if err != nil {
		return fmt.Errorf("edit produced an invalid workflow: %w", err)
	}
	if len(after.Jobs) != len(before.Jobs) {
		return fmt.Errorf("edit changed the number of jobs from %d to %d", len(before.Jobs), len(after.Jobs))
	}
	for i, bj := range before.Jobs {
		aj := after.Jobs[i]
		if aj.ID != bj.ID {
			return fmt.Errorf("edit changed job %q into %q", bj.ID, aj.ID)
		}
		for _, scope := range scopesToCompare(before, after, bj, aj) {
			if bj.ID == jobID {
				got := EffectivePermission(after, aj, scope, LevelRead).Level
				want := EffectivePermission(before, bj, scope, LevelRead).Level
				if scope == "packages" {
					want = LevelWrite
				}
				if got != want {
					return fmt.Errorf("edit would give job %q %s: %s, want %s", jobID, scope, got, want)
				}
				continue
			}
			for _, def := range []string{LevelRead, LevelWrite} {
				b, a := EffectivePermission(before, bj, scope, def), EffectivePermission(after, aj, scope, def)
				if a.Level != b.Level || a.Source != b.Source {
					return &UnsafeEditError{Line: bj.Line, Reason: fmt.Sprintf("the edit would also change job %q (%s: %s → %s), probably through a YAML anchor", bj.ID, scope, b.Level, a.Level)}
				}
			}
		}
	}
	if !bytes.Equal(topLevelText(src, before, "permissions"), topLevelText(out, after, "permissions")) {
		return fmt.Errorf("edit changed the workflow-level permissions block")
	}
	return nil
}

func scopesToCompare(before, after *File, bj, aj *Job) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range KnownScopes {
		add(s)
	}
	for _, p := range []*Permissions{before.Permissions, after.Permissions, bj.Permissions, aj.Permissions} {
		if p != nil {
			for s := range p.Scopes {
				add(s)
			}
		}
	}
	return out
}

// topLevelText returns the lines of a top-level key's entry, from its key to
// the line before the next top-level key (nil when absent).
func topLevelText(src []byte, f *File, key string) []byte {
	c := f.root.Content
	l := splitLines(src)
	for i := 0; i+1 < len(c); i += 2 {
		if resolve(c[i]).Value != key {
			continue
		}
		end := len(l.text)
		if i+2 < len(c) {
			end = c[i+2].Line - 1
		}
		return joinLines(l.text, c[i].Line, end)
	}
	return nil
}

// joinLines concatenates 1-based lines from..to.
func joinLines(text []string, from, to int) []byte {
	var b bytes.Buffer
	for n := from; n <= to && n <= len(text); n++ {
		b.WriteString(text[n-1])
	}
	return b.Bytes()
}
