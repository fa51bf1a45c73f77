package audit

import (
	"bytes"
	"context"
)

// toolFiles are the repository files the analysis reads for a tool,
// wanted when a workflow mentions one of the tool's words.
var toolFiles = []struct {
	words [][]byte
	files []string
}{
	{words: [][]byte{[]byte("npm"), []byte("yarn"), []byte("pnpm"), []byte("setup-node")}, files: []string{"package.json", ".npmrc"}},
	{words: [][]byte{[]byte("goreleaser")}, files: []string{".goreleaser.yaml", ".goreleaser.yml", "goreleaser.yaml", "goreleaser.yml"}},
	{words: [][]byte{[]byte("mvn"), []byte("maven"), []byte("gradle")}, files: []string{"pom.xml", "build.gradle", "build.gradle.kts"}},
}

// wantedFiles are the root files the workflows may need, by their tools.
func wantedFiles(workflows map[string][]byte) map[string]bool {
	want := map[string]bool{}
	for _, src := range workflows {
		lower := bytes.ToLower(src)
		for _, t := range toolFiles {
			for _, word := range t.words {
				if bytes.Contains(lower, word) {
					for _, f := range t.files {
						want[f] = true
					}
					break
				}
			}
		}
	}
	return want
}

// extraFiles are the files the analysis may read besides the workflow:
// the repository's other workflows (a job may call one of them), and the
// root files the workflows' tools need, read after one listing of the
// repository's root at head, only those that exist. A file that cannot be
// read is left out, which the analysis takes as unknown.
func (w *walk) extraFiles(ctx context.Context, r Repository, head string, workflows map[string][]byte) map[string][]byte {
	want := wantedFiles(workflows)
	files := map[string][]byte{}
	for p, src := range workflows {
		files[p] = src
	}
	if len(want) == 0 {
		return files
	}
	root, err := w.src.ListDirectory(ctx, r.Owner, r.Name, "", head)
	if err != nil {
		return files
	}
	for _, e := range root {
		if e.Type != "file" || !want[e.Name] {
			continue
		}
		if data, err := w.src.GetFile(ctx, r.Owner, r.Name, e.Name, head); err == nil {
			files[e.Name] = data
		}
	}
	return files
}
