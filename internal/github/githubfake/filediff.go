package githubfake

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// fileChange is one file that differs between two commits, as the pull
// request files and compare endpoints list it.
type fileChange struct {
	path      string
	status    string // added, removed or modified
	before    []byte
	after     []byte
	patch     string
	additions int
	deletions int
}

// diffCommits lists the files that differ from base to head, by path.
func diffCommits(base, head *commit) []fileChange {
	var baseFiles map[string][]byte
	if base != nil {
		baseFiles = base.files
	}
	paths := map[string]bool{}
	for p := range baseFiles {
		paths[p] = true
	}
	for p := range head.files {
		paths[p] = true
	}
	var out []fileChange
	for _, p := range sortedKeys(paths) {
		before, inBase := baseFiles[p]
		after, inHead := head.files[p]
		fc := fileChange{path: p, before: before, after: after}
		switch {
		case inBase && inHead && string(before) == string(after):
			continue
		case !inBase:
			fc.status = "added"
		case !inHead:
			fc.status = "removed"
		default:
			fc.status = "modified"
		}
		fc.patch = hunksOnly(workflow.UnifiedDiff(p, before, after))
		for _, l := range strings.Split(fc.patch, "\n") {
			switch {
			case strings.HasPrefix(l, "+"):
				fc.additions++
			case strings.HasPrefix(l, "-"):
				fc.deletions++
			}
		}
		out = append(out, fc)
	}
	return out
}

// hunksOnly drops the "--- a/" and "+++ b/" headers: GitHub's patch field
// starts at the first hunk and has no final newline.
func hunksOnly(diff string) string {
	if i := strings.Index(diff, "@@"); i >= 0 {
		diff = diff[i:]
	}
	return strings.TrimSuffix(diff, "\n")
}

// fileChangeJSON renders a changed file as GitHub's diff-entry.
func (s *Server) fileChangeJSON(rs *repoState, headSHA string, fc fileChange) map[string]any {
	content := fc.after
	if fc.status == "removed" {
		content = fc.before
	}
	m := map[string]any{
		"sha":          blobSHA(content),
		"filename":     fc.path,
		"status":       fc.status,
		"additions":    fc.additions,
		"deletions":    fc.deletions,
		"changes":      fc.additions + fc.deletions,
		"blob_url":     s.webURL("%s/blob/%s/%s", rs.FullName(), headSHA, fc.path),
		"raw_url":      s.webURL("%s/raw/%s/%s", rs.FullName(), headSHA, fc.path),
		"contents_url": s.apiURL("repos/%s/contents/%s?ref=%s", rs.FullName(), escapePath(fc.path), url.QueryEscape(headSHA)),
	}
	if fc.patch != "" {
		m["patch"] = fc.patch
	}
	return m
}

// ancestors are a commit and every commit before it, by SHA.
func ancestors(rs *repoState, c *commit) map[string]bool {
	seen := map[string]bool{}
	for c != nil && !seen[c.sha] {
		seen[c.sha] = true
		c = rs.commits[c.parent]
	}
	return seen
}

// mergeBase is the newest commit of head's history that base's history has.
func mergeBase(rs *repoState, base, head *commit) *commit {
	inBase := ancestors(rs, base)
	for c := head; c != nil; c = rs.commits[c.parent] {
		if inBase[c.sha] {
			return c
		}
		if c.parent == "" {
			break
		}
	}
	return nil
}

// hunk is the new-file side of one hunk of a patch: the lines a review
// comment on the RIGHT side may be placed on.
type hunk struct{ start, end int }

// rightHunks reads the new-side line ranges of a patch's hunks.
func rightHunks(patch string) []hunk {
	var out []hunk
	for _, l := range strings.Split(patch, "\n") {
		if !strings.HasPrefix(l, "@@ ") {
			continue
		}
		_, rest, ok := strings.Cut(l, " +")
		if !ok {
			continue
		}
		spec, _, _ := strings.Cut(rest, " ")
		startText, countText, hasCount := strings.Cut(spec, ",")
		start, err := strconv.Atoi(startText)
		if err != nil {
			continue
		}
		count := 1
		if hasCount {
			if count, err = strconv.Atoi(countText); err != nil {
				continue
			}
		}
		if count > 0 {
			out = append(out, hunk{start: start, end: start + count - 1})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// hunkOf is the index of the hunk holding line, or -1.
func hunkOf(hs []hunk, line int) int {
	for i, h := range hs {
		if line >= h.start && line <= h.end {
			return i
		}
	}
	return -1
}
