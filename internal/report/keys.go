package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// CommentKey identifies the one comment per (pull request, workflow,
// package). Package names compare case-insensitively, so fixing an
// upper-case image name keeps editing the same comment.
func CommentKey(t Target, pr int, pkg diagnose.PackageRef) string {
	return commentKey(t, pr, pkg.Display())
}

// IssueKey identifies the one tracking issue per (branch, workflow, package).
func IssueKey(t Target, pkg diagnose.PackageRef) string {
	return issueKey(t, pkg.Display())
}

func commentKey(t Target, pr int, pkgDisplay string) string {
	return strings.Join([]string{"comment", repoKey(t), "pr=" + strconv.Itoa(pr),
		"workflow=" + t.Run.Path, "package=" + strings.ToLower(pkgDisplay)}, "|")
}

func issueKey(t Target, pkgDisplay string) string {
	return strings.Join([]string{"issue", repoKey(t), "branch=" + t.Run.HeadBranch,
		"workflow=" + t.Run.Path, "package=" + strings.ToLower(pkgDisplay)}, "|")
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
