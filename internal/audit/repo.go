package audit

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// WorkflowsDir is where GitHub Actions reads workflow files.
const WorkflowsDir = ".github/workflows"

// Why a repository was not read.
const (
	SkippedArchived = "archived"
	SkippedFork     = "fork"
)

// repo audits one repository: its workflow files at the default branch's
// head, the files they need, and its settings.
func (w *walk) repo(ctx context.Context, r Repository) (RepoOutcome, []Finding) {
	out := RepoOutcome{Repository: r.FullName()}
	switch {
	case r.Archived:
		out.Skipped = SkippedArchived
		return out, nil
	case r.Fork && !w.a.IncludeForks:
		out.Skipped = SkippedFork
		return out, nil
	}
	entries, err := w.src.ListDirectory(ctx, r.Owner, r.Name, WorkflowsDir, "")
	if gherr.IsNotFound(err) {
		return out, nil // no workflows, or an empty repository
	}
	if err != nil {
		out.Error = fmt.Sprintf("listing %s: %v", WorkflowsDir, err)
		return out, nil
	}
	files := workflowFiles(entries)
	if len(files) == 0 {
		return out, nil
	}
	head, err := w.src.BranchHead(ctx, r.Owner, r.Name, r.DefaultBranch)
	if err != nil {
		out.Error = fmt.Sprintf("reading the head of %s: %v", r.DefaultBranch, err)
		return out, nil
	}
	sources := map[string][]byte{}
	var findings []Finding
	for _, p := range files {
		src, err := w.src.GetFile(ctx, r.Owner, r.Name, p, head)
		if err != nil {
			findings = append(findings, w.unknown(r, head, p, fmt.Sprintf("The workflow file could not be read: %v", err)))
			continue
		}
		sources[p] = src
	}
	out.Workflows = len(sources)
	if len(sources) == 0 {
		return out, findings
	}
	extra := w.extraFiles(ctx, r, head, sources)
	settings := w.settings(ctx, r)
	for _, p := range files {
		src, ok := sources[p]
		if !ok {
			continue
		}
		results, err := w.a.Analyze(preflight.Input{Path: p, Source: src, Files: extra, Settings: settings})
		if err != nil {
			findings = append(findings, w.unknown(r, head, p, fmt.Sprintf("The workflow file could not be analysed: %v", err)))
			continue
		}
		for _, res := range results {
			if res.Verdict == preflight.NotPublishing {
				continue
			}
			findings = append(findings, w.finding(r, head, res))
		}
	}
	return out, findings
}

func (w *walk) finding(r Repository, head string, res preflight.Result) Finding {
	if res.File == "" {
		res.File = WorkflowsDir
	}
	return Finding{Repository: r.FullName(), Commit: head, URL: lineURL(w.a.WebURL, r.FullName(), head, res.File, res.Line), Result: res}
}

// unknown is the finding for a workflow file that could not be read or analysed.
func (w *walk) unknown(r Repository, head, file, reason string) Finding {
	return w.finding(r, head, preflight.Result{File: file, Verdict: preflight.Unknown, Reason: reason,
		Fix: "Check that the file is valid YAML and readable, then run the audit again."})
}

// workflowFiles are the YAML files of a workflows directory listing, in order.
func workflowFiles(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		ext := strings.ToLower(path.Ext(e.Name))
		if e.Type == "file" && (ext == ".yml" || ext == ".yaml") {
			p := e.Path
			if p == "" {
				p = WorkflowsDir + "/" + e.Name
			}
			out = append(out, p)
		}
	}
	return out
}
