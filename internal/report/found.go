package report

// Earlier versions kept one comment per (pull request, workflow, package)
// and one tracking issue per (branch, workflow, package); their markers
// name the package, and their keys are the report's key with the package.
// Finding a report therefore finds both kinds: the current one, and the
// earlier per-package ones of the same pull request (or branch) and
// workflow, which are adopted rather than duplicated.

// markedComment is one of our comments with its marker.
type markedComment struct {
	comment *Comment
	marker  Marker
}

// commentReports are our comments about one pull request and workflow.
type commentReports struct {
	// current have the report's key, oldest first; normally one.
	current []markedComment
	// legacy are per-package comments of earlier versions, oldest first.
	legacy []markedComment
}

// findCommentReports sorts our comments about the pull request and
// workflow into current and legacy reports.
func (p *Publisher) findCommentReports(comments []Comment, t Target, pr int) commentReports {
	key := shortHash(CommentKey(t, pr))
	var found commentReports
	for i := range comments {
		if !p.ours(comments[i]) {
			continue
		}
		m, ok := ParseMarker(comments[i].Body)
		if !ok {
			continue
		}
		switch {
		case m.Key == key:
			found.current = append(found.current, markedComment{&comments[i], m})
		case m.Key == shortHash(legacyCommentKey(t, pr, m.Package)):
			found.legacy = append(found.legacy, markedComment{&comments[i], m})
		}
	}
	return found
}

// target is the comment the report goes in: the current one, else the
// earlier per-package comment to adopt (the first open one, else the
// first), else none. adopted says it is an earlier version's comment.
func (r commentReports) target() (mc *markedComment, adopted bool) {
	if len(r.current) > 0 {
		return &r.current[0], false
	}
	for i := range r.legacy {
		if r.legacy[i].marker.State == StateOpen {
			return &r.legacy[i], true
		}
	}
	if len(r.legacy) > 0 {
		return &r.legacy[0], true
	}
	return nil, false
}

// others are the open comments besides the target: earlier per-package
// comments, and duplicates of the current one.
func (r commentReports) others(target *markedComment) []markedComment {
	var out []markedComment
	for _, group := range [][]markedComment{r.current, r.legacy} {
		for _, mc := range group {
			if mc.marker.State == StateOpen && (target == nil || mc.comment.ID != target.comment.ID) {
				out = append(out, mc)
			}
		}
	}
	return out
}

// markedIssue is a tracking issue with its marker.
type markedIssue struct {
	issue  *Issue
	marker Marker
}

// issueReports are the tracking issues of one branch and workflow.
type issueReports struct {
	// current have the report's key.
	current []markedIssue
	// legacy are per-package issues of earlier versions.
	legacy []markedIssue
}

// findIssueReports sorts the labelled issues about the branch and
// workflow into current and legacy reports.
func findIssueReports(issues []Issue, t Target) issueReports {
	key := shortHash(IssueKey(t))
	var found issueReports
	for i := range issues {
		m, ok := ParseMarker(issues[i].Body)
		if !ok {
			continue
		}
		switch {
		case m.Key == key:
			found.current = append(found.current, markedIssue{&issues[i], m})
		case m.Key == shortHash(legacyIssueKey(t, m.Package)):
			found.legacy = append(found.legacy, markedIssue{&issues[i], m})
		}
	}
	return found
}

// target is the issue the report goes in: the current one (an open one
// first, then the newest), else the earlier per-package issue to adopt
// (an open one first, then the first opened), else none.
func (r issueReports) target() (mi *markedIssue, adopted bool) {
	var best *markedIssue
	for i := range r.current {
		if best == nil || betterCurrent(r.current[i].issue, best.issue) {
			best = &r.current[i]
		}
	}
	if best != nil {
		return best, false
	}
	for i := range r.legacy {
		if best == nil || betterLegacy(r.legacy[i].issue, best.issue) {
			best = &r.legacy[i]
		}
	}
	return best, best != nil
}

func betterCurrent(a, b *Issue) bool {
	if (a.State == issueOpen) != (b.State == issueOpen) {
		return a.State == issueOpen
	}
	return a.Number > b.Number
}

func betterLegacy(a, b *Issue) bool {
	if (a.State == issueOpen) != (b.State == issueOpen) {
		return a.State == issueOpen
	}
	return a.Number < b.Number
}

// others are the open issues besides the target.
func (r issueReports) others(target *markedIssue) []markedIssue {
	var out []markedIssue
	for _, group := range [][]markedIssue{r.current, r.legacy} {
		for _, mi := range group {
			if mi.issue.State == issueOpen && (target == nil || mi.issue.Number != target.issue.Number) {
				out = append(out, mi)
			}
		}
	}
	return out
}
