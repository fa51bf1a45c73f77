package preflight

import (
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/pkghost"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// target is one publish to one registry, with what the repository's files
// add to what the workflow shows.
type target struct {
	workflow.Publish
	host string
	refs []workflow.ImageRef
	line int
	// refFile names the repository file the refs come from ("" for the workflow).
	refFile string
	// npmName is package.json's name for npm publishes.
	npmName string
	// unknown says why the registry cannot be told; the target is not checked then.
	unknown string
}

// isPackagesHost reports whether host is a GitHub Packages registry (of
// github.com or GHE.com), with the list the scanner and the workflow model
// share.
func isPackagesHost(host string) bool {
	return pkghost.IsGitHubPackages(host)
}

// targets completes a publish with the repository files it depends on.
func (a *analysis) targets(j *workflow.Job, p workflow.Publish) []target {
	base := target{Publish: p, host: p.Host, refs: p.Refs, line: p.Line}
	if p.Host != "" {
		if p.Tool == workflow.ToolNpm {
			_, base.npmName, _ = npmTarget(a.in.Files, p.Dir)
		}
		return []target{base}
	}
	files := a.in.Files
	switch p.Tool {
	case workflow.ToolNpm:
		host, name, known := npmTarget(files, p.Dir)
		if !known {
			base.unknown = fmt.Sprintf("Job %s runs a package publish on line %d whose registry is set in %s (publishConfig) or %s, which were not given.", j.ID, p.Line, npmFilePath(p.Dir, "package.json"), npmFilePath(p.Dir, ".npmrc"))
			if strings.Contains(p.Dir, "$") {
				base.unknown = fmt.Sprintf("Job %s runs a package publish on line %d in a directory that cannot be told before the run (%s), so its package.json and .npmrc, which name the registry, cannot be read.", j.ID, p.Line, strings.TrimPrefix(p.Dir, "$"))
			}
			return []target{base}
		}
		base.host, base.npmName = host, name
		return []target{base}
	case workflow.ToolGoReleaser:
		return a.goreleaserTargets(j, base)
	case workflow.ToolMaven, workflow.ToolGradle:
		if jvmBuildNamesGitHub(files) {
			base.host = "maven.pkg.github.com"
			return []target{base}
		}
		return nil // a Maven repository the workflow and the given files do not name: not GitHub's
	case workflow.ToolKo:
		if s := setupKo(j); s != nil {
			return []target{koTarget(j, base, s)}
		}
		base.unknown = fmt.Sprintf("Job %s runs ko on line %d, but KO_DOCKER_REPO, which names where ko pushes, is not set in the workflow.", j.ID, p.Line)
	case workflow.ToolBake:
		base.unknown = fmt.Sprintf("Job %s pushes with docker/bake-action on line %d; the image names are in the bake file, which the analysis does not read.", j.ID, p.Line)
	case workflow.ToolJib:
		base.unknown = fmt.Sprintf("Job %s runs jib on line %d; the image it pushes is set in the build file, not in the workflow.", j.ID, p.Line)
	default:
		what := "its registry"
		if len(p.Refs) > 0 {
			what = fmt.Sprintf("the registry of %s", p.Refs[0].Ref)
		}
		base.unknown = fmt.Sprintf("Job %s publishes on line %d, but %s is an expression that cannot be evaluated before the run.", j.ID, p.Line, what)
	}
	return []target{base}
}

// goreleaserTargets reads the images GoReleaser would push.
func (a *analysis) goreleaserTargets(j *workflow.Job, base target) []target {
	path, refs, known := goreleaserImages(a.in.Files, base.Dir, base.Config)
	if !known {
		where := "a configuration whose path is an expression"
		if paths := goreleaserConfigPaths(base.Dir, base.Config); len(paths) > 0 {
			where = paths[0]
		}
		base.unknown = fmt.Sprintf("Job %s runs goreleaser on line %d; the images it pushes are listed in %s, which was not given.", j.ID, base.line, where)
		return []target{base}
	}
	var out []target
	index := map[string]int{}
	for _, r := range refs {
		h := workflow.RefHost(r.Resolved)
		if h == "" {
			t := base
			t.refFile = path
			t.unknown = fmt.Sprintf("Job %s runs goreleaser release on line %d; the registry of %s (%s line %d) is a template that cannot be evaluated before the run.", j.ID, base.line, r.Ref, path, r.Line)
			out = append(out, t)
			continue
		}
		i, ok := index[h]
		if !ok {
			t := base
			t.host, t.refs, t.refFile = h, nil, path
			index[h] = len(out)
			i = len(out)
			out = append(out, t)
		}
		out[i].refs = append(out[i].refs, r)
	}
	return out // no images: GoReleaser publishes releases only
}

// setupKo returns the job's ko-build/setup-ko step, nil when none.
func setupKo(j *workflow.Job) *workflow.Step {
	for _, s := range j.Steps {
		if actionName(s.Uses) == "ko-build/setup-ko" {
			return s
		}
	}
	return nil
}

// koTarget: ko-build/setup-ko sets KO_DOCKER_REPO to ghcr.io/OWNER/REPO in
// lower case and logs ko in to ghcr.io with the job's GITHUB_TOKEN.
func koTarget(j *workflow.Job, base target, setup *workflow.Step) target {
	base.host = "ghcr.io"
	base.refs = []workflow.ImageRef{{Step: setup, Ref: "ghcr.io/${{ github.repository }}", Resolved: "ghcr.io/${{ github.repository }}", Line: setup.Line, Lowercased: true}}
	if base.Login == nil {
		base.Login = &workflow.Login{Step: setup, Registry: "ghcr.io", Credential: workflow.CredentialGitHubToken, Line: setup.Line}
	}
	return base
}

// actionName returns the owner/repo of a uses: value, lower case, without @ref.
func actionName(uses string) string {
	uses, _, _ = strings.Cut(uses, "@")
	return strings.ToLower(strings.TrimSpace(uses))
}
