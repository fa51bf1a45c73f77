package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// maxWorkflowBytes bounds a file read as a workflow or repository file;
// GitHub refuses workflow files far smaller.
const maxWorkflowBytes = 4 << 20

// localWorkflows are workflow files (and directories of them) on disk.
type localWorkflows struct {
	paths    []string
	settings preflight.Settings
}

func (l localWorkflows) each(yield func(string, preflight.Input, error)) {
	for _, p := range l.paths {
		files, err := workflowFiles(p)
		if err != nil {
			yield(p, preflight.Input{}, err)
			continue
		}
		for _, f := range files {
			in, err := l.input(f)
			yield(f, in, err)
		}
	}
}

// workflowFiles expands a directory to its *.yml and *.yaml files, sorted.
func workflowFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("reading the directory: %w", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yml") || strings.HasSuffix(e.Name(), ".yaml")) {
			out = append(out, filepath.Join(p, e.Name()))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("no *.yml or *.yaml file in the directory")
	}
	return out, nil
}

// input reads one workflow and, when it sits in .github/workflows, the
// repository files the analysis may need.
func (l localWorkflows) input(path string) (preflight.Input, error) {
	src, err := readBounded(path)
	if err != nil {
		return preflight.Input{}, err
	}
	in := preflight.Input{Path: filepath.ToSlash(path), Source: src, Settings: l.settings, Files: map[string][]byte{}}
	dir := filepath.Dir(path)
	if filepath.Base(dir) != "workflows" || filepath.Base(filepath.Dir(dir)) != ".github" {
		return in, nil
	}
	root := filepath.Dir(filepath.Dir(dir))
	in.Settings = withOrigin(in.Settings, root)
	for _, name := range preflight.WantedFiles(src) {
		if b, err := readBounded(filepath.Join(root, filepath.FromSlash(name))); err == nil {
			in.Files[name] = b
		}
	}
	siblings, _ := filepath.Glob(filepath.Join(dir, "*.y*ml"))
	for _, s := range siblings {
		if b, err := readBounded(s); err == nil {
			in.Files[".github/workflows/"+filepath.Base(s)] = b
		}
	}
	return in, nil
}

// readBounded reads a regular file of at most maxWorkflowBytes.
func readBounded(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if st.Size() > maxWorkflowBytes {
		return nil, fmt.Errorf("%d bytes, more than the %d a workflow file may have", st.Size(), maxWorkflowBytes)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading: %w", err)
	}
	return b, nil
}

// withOrigin completes the owner and the repository's name from the
// checkout's origin remote when the command line did not give them (an
// --owner that names another account keeps the name unknown), so that
// ${{ github.repository }} in an image name can be checked offline.
func withOrigin(st preflight.Settings, root string) preflight.Settings {
	if st.Repo != "" {
		return st
	}
	owner, name, ok := originRepository(root)
	if !ok {
		return st
	}
	if st.Owner == "" {
		st.Owner = owner
	}
	if strings.EqualFold(st.Owner, owner) {
		st.Repo = name
	}
	return st
}
