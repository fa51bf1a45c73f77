package workflow

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// defaultWorkingDirectory reads defaults.run.working-directory of a
// workflow or a job, "" when absent.
func defaultWorkingDirectory(defaults *yaml.Node) string {
	run := childNode(resolve(defaults), "run")
	return strings.TrimSpace(scalarString(childNode(run, "working-directory")))
}

// childNode returns the value of key in a mapping, alias resolved, nil
// when absent.
func childNode(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := resolve(m.Content[i]); k != nil && k.Value == key {
			return resolve(m.Content[i+1])
		}
	}
	return nil
}

// Dir is the directory the step's run: script starts in, relative to the
// repository root ("" for the root): its working-directory, else the job's
// defaults, else the workflow's. A directory from an expression is kept as
// written (it contains "${{"); actions ignore it, so Dir is "" for them.
func (s *Step) Dir() string {
	if s.Run == "" {
		return ""
	}
	dir := s.WorkingDirectory
	if dir == "" && s.job != nil {
		dir = s.job.DefaultWorkingDirectory
		if dir == "" && s.job.file != nil {
			dir = s.job.file.DefaultWorkingDirectory
		}
	}
	return cleanDir(dir)
}

// cleanDir makes a working directory a clean relative path: "" for the
// repository root. Paths from ${{ github.workspace }} or $GITHUB_WORKSPACE
// are taken from the root.
func cleanDir(dir string) string {
	dir = strings.TrimSpace(dir)
	for _, root := range []string{"${{ github.workspace }}", "${GITHUB_WORKSPACE}", "$GITHUB_WORKSPACE"} {
		dir = strings.TrimPrefix(dir, root)
	}
	if dir == "" || strings.Contains(dir, "$") {
		return dir
	}
	dir = path.Clean("/" + dir)[1:]
	return dir
}

// JoinDir resolves a directory named in a script (cd DIR, npm publish DIR)
// against the directory the script is in; "" for the root. A directory
// that is absolute, leaves the repository or holds a variable is returned
// with a "$" so that it reads as unknown.
func JoinDir(base, dir string) string {
	dir = strings.TrimSpace(dir)
	switch {
	case strings.Contains(base, "$") || strings.Contains(dir, "$") || strings.HasPrefix(dir, "~"):
		return "$" + dir
	case strings.HasPrefix(dir, "/"):
		return "$" + dir
	}
	joined := path.Clean(path.Join("/", base, dir))
	return strings.TrimPrefix(joined, "/")
}
