package workflow

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of the editor tests")

// editJob names the job to edit in multi-job fixtures; others use their last job.
var editJob = map[string]string{
	"multiple-jobs":           "image",
	"no-block-workflow-block": "image",
	"anchor-alias":            "image",
}

func TestAddPackagesWriteGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "edit", "*.in.yml"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(inputs), 20)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".in.yml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			require.NoError(t, err)
			before, err := Parse(src)
			require.NoError(t, err)
			jobID := editJob[name]
			if jobID == "" {
				jobID = before.Jobs[len(before.Jobs)-1].ID
			}
			e, err := AddPackagesWrite(src, jobID)
			require.NoError(t, err)
			assert.True(t, e.Changed)
			assert.NotEmpty(t, e.Note)
			assert.NotEmpty(t, e.Diff)

			golden := filepath.Join("testdata", "edit", name+".golden.yml")
			if *update {
				require.NoError(t, os.WriteFile(golden, e.Out, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(e.Out))

			after, err := Parse(e.Out)
			require.NoError(t, err)
			assert.Equal(t, LevelWrite, EffectivePermission(after, after.Job(jobID), "packages", LevelRead).Level)
			assert.Equal(t, SourceJob, EffectivePermission(after, after.Job(jobID), "packages", LevelRead).Source)
			assertOnlyJobChanged(t, src, e.Out, before, after, jobID)
			if bytes.Contains(src, []byte("\r\n")) {
				assert.NotContains(t, strings.ReplaceAll(string(e.Out), "\r\n", ""), "\n", "CRLF file keeps CRLF everywhere")
			}
			_, err = AddPackagesWrite(e.Out, jobID)
			assert.ErrorIs(t, err, ErrAlreadyGranted, "a second run has nothing to do")
		})
	}
}

// assertOnlyJobChanged checks that every changed line lies inside the job.
func assertOnlyJobChanged(t *testing.T, src, out []byte, before, after *File, jobID string) {
	t.Helper()
	bl, al := diffLines(src), diffLines(out)
	first, last := jobSpan(before, jobID, len(bl))
	// Lines before the job are identical, and so are the lines after it.
	require.GreaterOrEqual(t, len(al), len(bl))
	assert.Equal(t, bl[:first-1], al[:first-1])
	tail := len(bl) - last
	assert.Equal(t, bl[last:], al[len(al)-tail:])
}

// jobSpan returns the first and last line of a job.
func jobSpan(f *File, jobID string, total int) (int, int) {
	for i, j := range f.Jobs {
		if j.ID != jobID {
			continue
		}
		if i+1 < len(f.Jobs) {
			return j.Line, f.Jobs[i+1].Line - 1
		}
		return j.Line, total
	}
	return 1, total
}

func TestAddPackagesWriteErrors(t *testing.T) {
	reusable := "on: push\njobs:\n  call:\n    uses: ./.github/workflows/build.yml\n    secrets: inherit\n  remote:\n    uses: acme/shared/.github/workflows/docker.yml@v2\n"
	tests := []struct {
		name, src, job string
		check          func(t *testing.T, err error)
	}{
		{"job not found", "on: push\njobs:\n  a:\n    runs-on: x\n", "b", func(t *testing.T, err error) {
			var e *JobNotFoundError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "b", e.JobID)
		}},
		{"reusable same repo", reusable, "call", func(t *testing.T, err error) {
			var e *ReusableWorkflowError
			require.ErrorAs(t, err, &e)
			assert.True(t, e.SameRepository())
			assert.Equal(t, ".github/workflows/build.yml", e.Path)
			assert.Contains(t, err.Error(), ".github/workflows/build.yml")
		}},
		{"reusable other repo", reusable, "remote", func(t *testing.T, err error) {
			var e *ReusableWorkflowError
			require.ErrorAs(t, err, &e)
			assert.False(t, e.SameRepository())
			assert.Equal(t, "acme/shared", e.Repository)
			assert.Equal(t, ".github/workflows/docker.yml", e.Path)
			assert.Equal(t, "v2", e.Ref)
			assert.Contains(t, err.Error(), "acme/shared")
		}},
		{"write-all job", "on: push\njobs:\n  a:\n    runs-on: x\n    permissions: write-all\n", "a", func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrAlreadyGranted)
		}},
		{"write-all workflow", "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n", "a", func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrAlreadyGranted)
		}},
		{"already write", "on: push\njobs:\n  a:\n    runs-on: x\n    permissions:\n      packages: write\n", "a", func(t *testing.T, err error) {
			assert.ErrorIs(t, err, ErrAlreadyGranted)
		}},
		{"anchored block reused elsewhere", "on: push\njobs:\n  a:\n    runs-on: x\n    permissions: &p\n      contents: read\n  b:\n    runs-on: x\n    permissions: *p\n", "a", func(t *testing.T, err error) {
			var e *UnsafeEditError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 5, e.Line)
		}},
		{"anchored level", "on: push\njobs:\n  a:\n    runs-on: x\n    permissions:\n      packages: &lvl read\n      contents: *lvl\n", "a", func(t *testing.T, err error) {
			var e *UnsafeEditError
			require.ErrorAs(t, err, &e)
		}},
		{"flow job", "on: push\njobs:\n  a: { runs-on: x, steps: [ { run: make } ] }\n", "a", func(t *testing.T, err error) {
			var e *UnsafeEditError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, 3, e.Line)
		}},
		{"aliased job", "on: push\njobs:\n  a: &j\n    runs-on: x\n  b: *j\n", "b", func(t *testing.T, err error) {
			var e *UnsafeEditError
			require.ErrorAs(t, err, &e)
		}},
		{"broken yaml", "on: push\njobs: [\n", "a", func(t *testing.T, err error) {
			var e *ParseError
			require.ErrorAs(t, err, &e)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := AddPackagesWrite([]byte(tt.src), tt.job)
			require.Error(t, err)
			assert.False(t, e.Changed)
			assert.Nil(t, e.Out)
			tt.check(t, err)
		})
	}
}

func TestAddPackagesWriteDiff(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "edit", "packages-read.in.yml"))
	require.NoError(t, err)
	e, err := AddPackagesWrite(src, "push")
	require.NoError(t, err)
	want := `@@ -4,6 +4,6 @@
     runs-on: ubuntu-latest
     permissions:
       contents: read
-      packages: read  # was enough for pulling
+      packages: write  # was enough for pulling
     steps:
       - run: docker push ghcr.io/acme/app
`
	assert.Equal(t, want, e.Diff)
	assert.Equal(t, "--- a/.github/workflows/x.yml\n+++ b/.github/workflows/x.yml\n"+want, e.DiffWithPath(".github/workflows/x.yml"))
	assert.Equal(t, `Job "push" had packages: read; it now has packages: write.`, e.Note)
}

func FuzzAddPackagesWrite(f *testing.F) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "edit", "*.in.yml"))
	for _, in := range inputs {
		if src, err := os.ReadFile(in); err == nil {
			f.Add(src, "build")
		}
	}
	f.Add([]byte("on: push\njobs:\n  a:\n    runs-on: x\n"), "a")
	f.Fuzz(func(t *testing.T, src []byte, jobID string) {
		before, err := Parse(src)
		if err != nil {
			return
		}
		if len(before.Jobs) > 0 && before.Job(jobID) == nil {
			jobID = before.Jobs[len(jobID)%len(before.Jobs)].ID
		}
		e, err := AddPackagesWrite(src, jobID)
		if err != nil {
			return
		}
		after, err := Parse(e.Out)
		if err != nil {
			t.Fatalf("edit returned an unparsable file: %v\n%s", err, e.Out)
		}
		if lv := EffectivePermission(after, after.Job(jobID), "packages", LevelRead).Level; lv != LevelWrite {
			t.Fatalf("packages is %s after the edit", lv)
		}
		if err := verifyPermissionsEdit(src, e.Out, before, jobID); err != nil {
			t.Fatalf("invariant broken: %v", err)
		}
	})
}
