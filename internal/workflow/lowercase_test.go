package workflow

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLowercaseImageRef(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
		ref  string
		want string
	}{
		{
			name: "literal name keeps its tag",
			src:  "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker push ghcr.io/MyOrg/App:Latest # push\n",
			line: 6, ref: "ghcr.io/MyOrg/App:Latest",
			want: "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker push ghcr.io/myorg/app:Latest # push\n",
		},
		{
			name: "runner variable in a script",
			src:  "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          docker push ghcr.io/$GITHUB_REPOSITORY:1\n",
			line: 7, ref: "ghcr.io/$GITHUB_REPOSITORY:1",
			want: "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          docker push ghcr.io/${GITHUB_REPOSITORY,,}:1\n",
		},
		{
			name: "context in build-push tags",
			src: "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n\n      # build\n" +
				"      - uses: docker/build-push-action@v6\n        with:\n          tags: ghcr.io/${{ github.repository }}:latest\n",
			line: 11, ref: "ghcr.io/${{ github.repository }}:latest",
			want: "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n\n" +
				"      - name: Lowercase image name\n        shell: bash\n        run: 'echo \"REPOSITORY_LC=${GITHUB_REPOSITORY,,}\" >> \"$GITHUB_ENV\"'\n" +
				"      # build\n      - uses: docker/build-push-action@v6\n        with:\n          tags: ghcr.io/${{ env.REPOSITORY_LC }}:latest\n",
		},
		{
			name: "owner and actor, CRLF, unindented steps",
			src:  "on: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n    steps:\r\n    - run: docker push ghcr.io/${{ github.repository_owner }}/${{ github.actor }}\r\n",
			line: 6, ref: "ghcr.io/${{ github.repository_owner }}/${{ github.actor }}",
			want: "on: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n    steps:\r\n" +
				"    - name: Lowercase image name\r\n      shell: bash\r\n      run: 'echo \"ACTOR_LC=${GITHUB_ACTOR,,}\" >> \"$GITHUB_ENV\"; echo \"REPOSITORY_OWNER_LC=${GITHUB_REPOSITORY_OWNER,,}\" >> \"$GITHUB_ENV\"'\r\n" +
				"    - run: docker push ghcr.io/${{ env.REPOSITORY_OWNER_LC }}/${{ env.ACTOR_LC }}\r\n",
		},
		{
			name: "workflow env entry",
			src: "on: push\nenv:\n  IMAGE_NAME: ${{ github.repository }}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker push ghcr.io/${{ env.IMAGE_NAME }}\n" +
				"  b:\n    runs-on: x\n    env:\n      IMAGE_NAME: acme/b\n    steps:\n      - run: docker push ghcr.io/$IMAGE_NAME\n",
			line: 3, ref: "${{ github.repository }}",
			want: "on: push\nenv:\n  IMAGE_NAME: ${{ github.repository }}\njobs:\n  a:\n    runs-on: x\n    steps:\n" +
				"      - name: Lowercase IMAGE_NAME\n        shell: bash\n        run: 'echo \"IMAGE_NAME=${IMAGE_NAME,,}\" >> \"$GITHUB_ENV\"'\n" +
				"      - run: docker push ghcr.io/${{ env.IMAGE_NAME }}\n" +
				"  b:\n    runs-on: x\n    env:\n      IMAGE_NAME: acme/b\n    steps:\n      - run: docker push ghcr.io/$IMAGE_NAME\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := LowercaseImageRef([]byte(tt.src), tt.line, tt.ref)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(e.Out))
			assert.True(t, e.Changed)
			assert.NotEmpty(t, e.Note)
			assert.NotEmpty(t, e.Diff)
			after, err := Parse(e.Out)
			require.NoError(t, err)
			for _, j := range after.Jobs {
				for _, r := range j.ImageRefs() {
					if r.Source != RefFromEnv {
						assert.False(t, r.UppercaseRisk(), "%s still risks upper case: %s", j.ID, r.Resolved)
					}
				}
			}
		})
	}
}

func TestLowercaseImageRefErrors(t *testing.T) {
	src := []byte("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker push ghcr.io/acme/app\n      - run: docker push ghcr.io/${{ github.event.repository.name }}\n")
	_, err := LowercaseImageRef(src, 6, "ghcr.io/acme/app")
	assert.ErrorIs(t, err, ErrNothingToChange)
	_, err = LowercaseImageRef(src, 6, "ghcr.io/other")
	assert.ErrorContains(t, err, "does not contain")
	_, err = LowercaseImageRef(src, 7, "ghcr.io/${{ github.event.repository.name }}")
	var ue *UnsafeEditError
	assert.ErrorAs(t, err, &ue)
	_, err = LowercaseImageRef([]byte("jobs: ["), 1, "x")
	var pe *ParseError
	assert.ErrorAs(t, err, &pe)
}
