package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// CommentKey identifies the one comment per (pull request, workflow) that
// reports every refused package of the workflow's failed run.
func CommentKey(t Target, pr int) string {
	return strings.Join([]string{"comment", repoKey(t), "pr=" + strconv.Itoa(pr), "workflow=" + t.Run.Path}, "|")
}

// IssueKey identifies the one tracking issue per (branch, workflow) that
// reports every refused package of the workflow's failed push runs.
func IssueKey(t Target) string {
	return strings.Join([]string{"issue", repoKey(t), "branch=" + t.Run.HeadBranch, "workflow=" + t.Run.Path}, "|")
}

// legacyCommentKey is the key of the one-comment-per-package reports that
// earlier versions wrote; their markers name the package, so a comment
// about the pull request and workflow can be recognised and adopted.
// Package names compare case-insensitively, as they did then.
func legacyCommentKey(t Target, pr int, pkgDisplay string) string {
	return CommentKey(t, pr) + "|package=" + strings.ToLower(pkgDisplay)
}

// legacyIssueKey is the key of the one-issue-per-package tracking issues
// that earlier versions opened.
func legacyIssueKey(t Target, pkgDisplay string) string {
	return IssueKey(t) + "|package=" + strings.ToLower(pkgDisplay)
}

// checkRunKey identifies the check run of one workflow on one commit.
func checkRunKey(t Target) string {
	return strings.Join([]string{"check", repoKey(t), "sha=" + t.Run.HeadSHA, "workflow=" + t.Run.Path}, "|")
}

func repoKey(t Target) string { return strings.ToLower(t.Repo.FullName()) }

// shortHash is the first 16 hex digits of the SHA-256 of the parts.
func shortHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
