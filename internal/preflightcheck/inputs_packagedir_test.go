package preflightcheck

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPackageDirFiles(t *testing.T) {
	sources := map[string][]byte{
		".github/workflows/npm.yml": []byte(`on: push
jobs:
  web:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
        working-directory: packages/web
  root:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
`),
		".github/workflows/release.yml": []byte(`on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: goreleaser/goreleaser-action@v6
        with:
          workdir: tools/cli
          args: release --clean
`),
		".github/workflows/broken.yml": []byte("jobs: ["),
	}
	assert.Equal(t, []string{
		"packages/web/.npmrc", "packages/web/package.json",
		"tools/cli/.goreleaser.yaml", "tools/cli/.goreleaser.yml", "tools/cli/goreleaser.yaml", "tools/cli/goreleaser.yml",
	}, packageDirFiles(sources))
}
