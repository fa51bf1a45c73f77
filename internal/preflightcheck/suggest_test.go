package preflightcheck

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

func TestChangeOf(t *testing.T) {
	cases := []struct {
		name string
		src  string
		out  string
		want SuggestedChange
	}{
		{"one line replaced", "a\nb\nc\n", "a\nB\nc\n", SuggestedChange{Line: 2, Lines: []string{"B"}}},
		{"two lines replaced by three", "a\nb\nc\nd\n", "a\nX\nY\nZ\nd\n", SuggestedChange{StartLine: 2, Line: 3, Lines: []string{"X", "Y", "Z"}}},
		{"an insertion repeats the line before", "a\nb\nc\n", "a\nb\nnew\nc\n", SuggestedChange{Line: 2, Lines: []string{"b", "new"}}},
		{"an insertion at the top repeats the line after", "a\nb\n", "new\na\nb\n", SuggestedChange{Line: 1, Lines: []string{"new", "a"}}},
		{"an insertion at the end", "a\nb\n", "a\nb\nnew\n", SuggestedChange{Line: 2, Lines: []string{"b", "new"}}},
		{"carriage returns are not a change", "a\r\nb\r\n", "a\nb\nc\n", SuggestedChange{Line: 2, Lines: []string{"b", "c"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := changeOf([]byte(tc.src), []byte(tc.out))
			require.True(t, ok)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, fileLines([]byte(tc.out)), fileLines(got.Apply([]byte(tc.src))), "applying the change gives the edited file")
		})
	}
	_, ok := changeOf([]byte("a\n"), []byte("a\n"))
	assert.False(t, ok, "no change")
}

// The suggestion is the /ghcr fix editor's edit: applied as GitHub applies
// a suggestion, it gives the editor's output byte for byte.
func TestChangeOfTheFixEditorRoundTrips(t *testing.T) {
	sources := map[string]string{
		"scope map without packages": "name: release\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - run: docker push ghcr.io/acme/app\n",
		"no permissions block":       "name: release\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push ghcr.io/acme/app\n",
		"packages read":              "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions:\n      packages: read # keep\n      contents: read\n    steps:\n      - run: docker push ghcr.io/acme/app\n",
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			edit, err := workflow.AddPackagesWrite([]byte(src), "build")
			require.NoError(t, err)
			require.True(t, edit.Changed)
			c, ok := changeOf([]byte(src), edit.Out)
			require.True(t, ok)
			assert.Equal(t, string(edit.Out), string(c.Apply([]byte(src))))
		})
	}
}

func TestInOneHunk(t *testing.T) {
	patch := "@@ -3,7 +3,6 @@ jobs:\n a\n b\n c\n-d\n e\n f\n g\n@@ -20,2 +19,3 @@\n x\n+y\n z"
	cases := []struct {
		first, last int
		want        bool
	}{
		{3, 3, true}, {3, 8, true}, {8, 9, false}, {2, 3, false}, {19, 21, true}, {12, 12, false}, {21, 22, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, inOneHunk(patch, tc.first, tc.last), "%d..%d", tc.first, tc.last)
	}
	assert.False(t, inOneHunk("", 1, 1), "no patch: nothing can be commented")
}

func TestRelevant(t *testing.T) {
	cases := map[string]bool{
		".github/workflows/release.yml":       true,
		".github/workflows/ci.yaml":           true,
		".github/workflows/README.md":         false,
		".github/workflows/sub/x.yml":         false,
		".github/actions/login/action.yml":    true,
		".github/actions/login/entrypoint.sh": true,
		".github/ghcr-doctor.yml":             false,
		"README.md":                           false,
		"workflows/.github/workflows/x.yml":   false,
	}
	for p, want := range cases {
		assert.Equal(t, want, Relevant(p), p)
	}
}

func TestLocalActionDirs(t *testing.T) {
	src := []byte(`jobs:
  a:
    steps:
      - uses: ./.github/actions/login
      - uses: "./.github/actions/push/"  # quoted, a trailing slash
      - uses: actions/checkout@v4
      - name: x
        uses: ./tools/build
      - uses: ./../outside
  b:
    uses: ./.github/workflows/reusable.yml
`)
	assert.Equal(t, []string{".github/actions/login", ".github/actions/push", "tools/build", "../outside"}, localActionDirs(src), "a reusable workflow is no action")
	files := localActionFiles(map[string][]byte{"w": src})
	assert.Contains(t, files, ".github/actions/login/action.yml")
	assert.Contains(t, files, "tools/build/action.yaml")
	assert.NotContains(t, files, "../outside/action.yml", "never outside the repository")
}
