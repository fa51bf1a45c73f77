package preflight

import (
	"encoding/json"
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// Repository files the analysis reads, by path from the repository root.
var (
	goreleaserPaths = []string{".goreleaser.yaml", ".goreleaser.yml", "goreleaser.yaml", "goreleaser.yml"}
	jvmBuildPaths   = []string{"pom.xml", "build.gradle", "build.gradle.kts"}
)

// RootFiles are the repository files, by path from the root, that any
// workflow's analysis may read.
var RootFiles = []string{
	"package.json", ".npmrc",
	".goreleaser.yaml", ".goreleaser.yml", "goreleaser.yaml", "goreleaser.yml",
	"pom.xml", "build.gradle", "build.gradle.kts",
}

// WantedFiles lists the repository files, by path from the root, that the
// analysis of the workflow may read: RootFiles, the package.json and
// .npmrc of every directory an npm publish runs in, and the configuration
// GoReleaser is given (its workdir, --config). A caller gives those it
// finds in Input.Files; a source that is not a workflow wants RootFiles.
func WantedFiles(source []byte) []string {
	out := append([]string(nil), RootFiles...)
	f, err := workflow.Parse(source)
	if err != nil {
		return out
	}
	add := func(paths ...string) {
		for _, p := range paths {
			if !contains(out, p) {
				out = append(out, p)
			}
		}
	}
	for _, j := range f.Jobs {
		for _, p := range j.Publishes() {
			switch {
			case p.Tool == workflow.ToolGoReleaser:
				add(goreleaserConfigPaths(p.Dir, p.Config)...)
			case p.Tool != workflow.ToolNpm || p.Dir == "" || strings.Contains(p.Dir, "$"):
			default:
				add(npmFilePath(p.Dir, "package.json"), npmFilePath(p.Dir, ".npmrc"))
			}
		}
	}
	return out
}

// firstFile returns the first of paths present in files.
func firstFile(files map[string][]byte, paths []string) (string, []byte, bool) {
	for _, p := range paths {
		if b, ok := files[p]; ok {
			return p, b, true
		}
	}
	return "", nil, false
}

// npmrcRegistryRe matches registry=URL and @scope:registry=URL lines.
var npmrcRegistryRe = regexp.MustCompile(`(?m)^\s*(@[^:\s]+:)?registry\s*=\s*(\S+)`)

// npmFilePath is the path of a package's file in the directory dir.
func npmFilePath(dir, name string) string {
	if dir == "" {
		return name
	}
	return path.Join(dir, name)
}

// npmTarget works out where npm publish, run in the package directory
// dir ("" for the root), sends the package when the workflow does not say:
// package.json's publishConfig.registry, else the .npmrc registry for the
// package's scope, else the .npmrc default. known is false when neither
// file was given or the directory cannot be told; name is the package's
// name.
func npmTarget(files map[string][]byte, dir string) (host, name string, known bool) {
	if strings.Contains(dir, "$") {
		return "", "", false
	}
	var pkg struct {
		Name          string `json:"name"`
		PublishConfig struct {
			Registry string `json:"registry"`
		} `json:"publishConfig"`
	}
	pj, hasPJ := files[npmFilePath(dir, "package.json")]
	if hasPJ {
		_ = json.Unmarshal(pj, &pkg) // a broken package.json publishes nowhere; npm would refuse it
		name = pkg.Name
		if pkg.PublishConfig.Registry != "" {
			return urlHost(pkg.PublishConfig.Registry), name, true
		}
	}
	rc, hasRC := files[npmFilePath(dir, ".npmrc")]
	if hasRC {
		scope, _, _ := strings.Cut(strings.TrimPrefix(name, "@"), "/")
		def := ""
		for _, m := range npmrcRegistryRe.FindAllStringSubmatch(string(rc), -1) {
			switch {
			case m[1] == "":
				def = urlHost(m[2])
			case strings.HasPrefix(name, "@") && strings.EqualFold(strings.TrimSuffix(strings.TrimPrefix(m[1], "@"), ":"), scope):
				return urlHost(m[2]), name, true
			}
		}
		if def != "" {
			return def, name, true
		}
	}
	if hasPJ || hasRC {
		return "registry.npmjs.org", name, true
	}
	return "", "", false
}

// urlHost returns the lower-case host of a URL or bare host.
func urlHost(u string) string {
	u = strings.TrimSpace(u)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u, _, _ = strings.Cut(u, "/")
	return strings.ToLower(u)
}

// goreleaserImages reads the images GoReleaser pushes from its
// configuration: dockers' image_templates, docker_manifests' name_template
// and kos' repositories. known is false when no configuration was given.
// Template actions ({{ .Env.X }}) are kept as written.
func goreleaserImages(files map[string][]byte, dir, config string) (path string, refs []workflow.ImageRef, known bool) {
	path, src, ok := firstFile(files, goreleaserConfigPaths(dir, config))
	if !ok {
		return "", nil, false
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil || len(root.Content) == 0 {
		return path, nil, true
	}
	doc := root.Content[0]
	add := func(n *yaml.Node) {
		if n != nil && n.Kind == yaml.ScalarNode && n.Value != "" {
			refs = append(refs, workflow.ImageRef{Ref: n.Value, Resolved: n.Value, Line: n.Line, Source: path})
		}
	}
	for _, section := range []string{"dockers", "docker_manifests", "kos", "dockers_v2"} {
		list := mapValue(doc, section)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			add(mapValue(item, "name_template"))
			add(mapValue(item, "repository"))
			for _, key := range []string{"image_templates", "repositories", "images"} {
				if seq := mapValue(item, key); seq != nil && seq.Kind == yaml.SequenceNode {
					for _, t := range seq.Content {
						add(t)
					}
				}
			}
		}
	}
	return path, refs, true
}

// goreleaserConfigPaths are where GoReleaser, run in dir with --config
// config ("" for none), reads its configuration; none when either is an
// expression.
func goreleaserConfigPaths(dir, config string) []string {
	if strings.Contains(dir, "$") || strings.Contains(config, "$") {
		return nil
	}
	if config != "" {
		return []string{workflow.JoinDir(dir, config)}
	}
	out := make([]string, 0, len(goreleaserPaths))
	for _, p := range goreleaserPaths {
		out = append(out, npmFilePath(dir, p))
	}
	return out
}

// mapValue returns the value of key in a YAML mapping, nil when absent.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// jvmBuildNamesGitHub reports whether a Maven or Gradle build file given
// names GitHub's Maven registry (a distributionManagement or repository URL).
func jvmBuildNamesGitHub(files map[string][]byte) bool {
	for _, p := range jvmBuildPaths {
		if strings.Contains(string(files[p]), "maven.pkg.github.com") {
			return true
		}
	}
	return false
}
