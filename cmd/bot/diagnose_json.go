package main

import (
	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
)

// diagnoseDocument is the documented `bot diagnose --format json` output.
// Its fields only ever grow; none is renamed or removed.
type diagnoseDocument struct {
	Repository string         `json:"repository"`
	Run        runDoc         `json:"run"`
	Jobs       []jobDoc       `json:"jobs"`
	Diagnoses  []diagnosisDoc `json:"diagnoses"`
}

type runDoc struct {
	ID           int64  `json:"id"`
	Attempt      int    `json:"attempt"`
	Workflow     string `json:"workflow"`
	Path         string `json:"path"`
	Event        string `json:"event"`
	HeadSHA      string `json:"head_sha"`
	HeadBranch   string `json:"head_branch"`
	Conclusion   string `json:"conclusion"`
	HTMLURL      string `json:"html_url"`
	PullRequests []int  `json:"pull_requests"`
}

type jobDoc struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	HTMLURL  string `json:"html_url"`
	Findings int    `json:"findings"`
	// Error says why the log could not be read; "" when it was.
	Error string `json:"error"`
}

type diagnosisDoc struct {
	Package     packageDoc      `json:"package"`
	Cause       causeDoc        `json:"cause"`
	OtherCauses []causeDoc      `json:"other_causes"`
	Checks      []checkDoc      `json:"checks"`
	Unknowns    []unknownDoc    `json:"unknowns"`
	Findings    []scan.Finding  `json:"findings"`
	Annotations []annotationDoc `json:"annotations"`
}

type packageDoc struct {
	Registry string `json:"registry"`
	Owner    string `json:"owner"`
	Name     string `json:"name"`
	Display  string `json:"display"`
}

type causeDoc struct {
	ID         string   `json:"id"`
	Summary    string   `json:"summary"`
	Confidence string   `json:"confidence"`
	Evidence   []string `json:"evidence"`
	Fix        fixDoc   `json:"fix"`
}

type fixDoc struct {
	Kind    string    `json:"kind"`
	Summary string    `json:"summary"`
	Steps   []string  `json:"steps"`
	Links   []linkDoc `json:"links"`
	Diff    string    `json:"diff"`
	Role    string    `json:"role"`
}

type linkDoc struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

type checkDoc struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
}

type unknownDoc struct {
	What       string `json:"what"`
	Reason     string `json:"reason"`
	Permission string `json:"permission"`
}

type annotationDoc struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Level   string `json:"level"`
	Title   string `json:"title"`
	Message string `json:"message"`
}

func newDiagnoseDocument(f *diagnose.Facts, ds []diagnose.Diagnosis) diagnoseDocument {
	doc := diagnoseDocument{
		Repository: f.Repo.FullName(),
		Run: runDoc{ID: f.Run.ID, Attempt: f.Run.Attempt, Workflow: f.Run.WorkflowName, Path: f.Run.Path, Event: f.Run.Event,
			HeadSHA: f.Run.HeadSHA, HeadBranch: f.Run.HeadBranch, Conclusion: f.Run.Conclusion, HTMLURL: f.Run.HTMLURL,
			PullRequests: orEmpty(f.Run.PullRequests)},
		Jobs:      []jobDoc{},
		Diagnoses: []diagnosisDoc{},
	}
	for _, j := range f.Jobs {
		jd := jobDoc{ID: j.ID, Name: j.Name, HTMLURL: j.HTMLURL}
		if j.Scan != nil {
			jd.Findings = len(j.Scan.Findings)
		} else {
			jd.Error = j.Err.Reason
		}
		doc.Jobs = append(doc.Jobs, jd)
	}
	for _, d := range ds {
		dd := diagnosisDoc{
			Package:     packageDoc{Registry: d.Package.Registry, Owner: d.Package.Owner, Name: d.Package.Name, Display: d.Package.Display()},
			OtherCauses: []causeDoc{},
			Checks:      []checkDoc{},
			Unknowns:    []unknownDoc{},
			Findings:    orEmpty(d.Findings),
			Annotations: []annotationDoc{},
		}
		for i, c := range d.Causes {
			if i == 0 {
				dd.Cause = newCauseDoc(c)
				continue
			}
			dd.OtherCauses = append(dd.OtherCauses, newCauseDoc(c))
		}
		for _, c := range d.Checks {
			dd.Checks = append(dd.Checks, checkDoc{Name: c.Name, Status: string(c.Status), Detail: c.Detail})
		}
		for _, u := range d.Unknowns {
			dd.Unknowns = append(dd.Unknowns, unknownDoc{What: u.What, Reason: u.Reason, Permission: u.Permission})
		}
		for _, a := range d.Annotations {
			dd.Annotations = append(dd.Annotations, annotationDoc{Path: a.Path, Line: a.Line, Level: a.Level, Title: a.Title, Message: a.Message})
		}
		doc.Diagnoses = append(doc.Diagnoses, dd)
	}
	return doc
}

func newCauseDoc(c diagnose.Cause) causeDoc {
	fix := fixDoc{Kind: string(c.Fix.Kind), Summary: c.Fix.Summary, Steps: orEmpty(c.Fix.Steps), Links: []linkDoc{}, Diff: c.Fix.Diff, Role: c.Fix.Role}
	for _, l := range c.Fix.Links {
		fix.Links = append(fix.Links, linkDoc{Text: l.Text, URL: l.URL})
	}
	return causeDoc{ID: string(c.ID), Summary: c.Summary, Confidence: string(c.Confidence), Evidence: orEmpty(c.Evidence), Fix: fix}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
