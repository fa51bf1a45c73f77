package workflow

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEffectivePermission(t *testing.T) {
	tests := []struct {
		file, job, scope, def string
		want                  Effective
	}{
		{"build-push-metadata.yml", "build", "packages", "read", Effective{"write", SourceJob, 19}},
		{"job-perms-no-packages.yml", "image", "packages", "write", Effective{"none", SourceJob, 9}},
		{"job-perms-no-packages.yml", "image", "contents", "write", Effective{"read", SourceJob, 10}},
		{"workflow-packages-write.yml", "push", "packages", "read", Effective{"write", SourceWorkflow, 4}},
		{"workflow-packages-write.yml", "push", "issues", "write", Effective{"none", SourceWorkflow, 2}},
		{"read-all.yml", "publish", "packages", "write", Effective{"read", SourceWorkflow, 2}},
		{"write-all.yml", "nightly", "packages", "read", Effective{"write", SourceJob, 7}},
		{"empty-perms.yml", "lint", "contents", "write", Effective{"none", SourceWorkflow, 2}},
		{"goreleaser.yml", "goreleaser", "packages", "write", Effective{"none", SourceWorkflow, 4}},
		{"cr-pat.yml", "deploy", "packages", "read", Effective{"read", SourceDefault, 0}},
		{"cr-pat.yml", "deploy", "packages", "write", Effective{"write", SourceDefault, 0}},
		{"cr-pat.yml", "deploy", "issues", "read", Effective{"none", SourceDefault, 0}},
		{"cr-pat.yml", "deploy", "id-token", "write", Effective{"none", SourceDefault, 0}},
		{"anchors.yml", "b", "packages", "read", Effective{"write", SourceJob, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.job+"/"+tt.scope+"/"+tt.def, func(t *testing.T) {
			f := parseFixture(t, tt.file)
			j := f.Job(tt.job)
			require.NotNil(t, j)
			assert.Equal(t, tt.want, EffectivePermission(f, j, tt.scope, tt.def))
		})
	}
}

func TestJobForRunName(t *testing.T) {
	src := `on: push
jobs:
  build:
    strategy:
      matrix:
        os: [ubuntu-latest]
    runs-on: ${{ matrix.os }}
    steps: [{run: make}]
  image:
    name: Build image
    runs-on: ubuntu-latest
    steps: [{run: make}]
  variant:
    name: Image ${{ matrix.variant }}
    strategy: {matrix: {variant: [a, b]}}
    runs-on: ubuntu-latest
    steps: [{run: make}]
  dyn:
    name: ${{ inputs.title }}
    runs-on: ubuntu-latest
    steps: [{run: make}]
  call:
    uses: ./.github/workflows/build.yml
  call-named:
    name: Release
    uses: acme/wf/.github/workflows/r.yml@v1
`
	f, err := Parse([]byte(src))
	require.NoError(t, err)
	ids := func(js []*Job) []string {
		var out []string
		for _, j := range js {
			out = append(out, j.ID)
		}
		return out
	}
	tests := []struct {
		name string
		want []string
	}{
		{"build", []string{"build"}},
		{"build (ubuntu-latest)", []string{"build"}},
		{"Build image", []string{"image"}},
		{"Build image (x)", []string{"dyn"}},
		{"Image alpine", []string{"variant", "dyn"}},
		{"Image debian (debian)", []string{"variant", "dyn"}},
		{"call / inner-job", []string{"call"}},
		{"call / docker / push (amd64)", []string{"call"}},
		{"Release / publish", []string{"call-named"}},
		{"call-named", []string{"call-named", "dyn"}},
		{"  image  ", []string{"image", "dyn"}},
		{"unrelated", []string{"dyn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ids(f.JobForRunName(tt.name)))
		})
	}
	var nilFile *File
	assert.Nil(t, nilFile.JobForRunName("x"))
}
