package workflow

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type refSummary struct {
	Ref, Resolved, Source string
	Line                  int
	Upper                 bool
}

func summarizeRefs(rs []ImageRef) []refSummary {
	out := make([]refSummary, 0, len(rs))
	for _, r := range rs {
		out = append(out, refSummary{r.Ref, r.Resolved, r.Source, r.Line, r.UppercaseRisk()})
	}
	return out
}

func TestImageRefsFixtures(t *testing.T) {
	tests := []struct {
		file, job string
		want      []refSummary
	}{
		{"build-push-metadata.yml", "build", []refSummary{
			{"${{ github.repository }}", "${{ github.repository }}", RefFromEnv, 12, true},
			{"${{ env.REGISTRY }}/${{ env.IMAGE_NAME }}", "ghcr.io/${{ github.repository }}", RefFromMetadata, 38, false},
			{"${{ steps.meta.outputs.tags }}", "${{ steps.meta.outputs.tags }}", RefFromBuildPush, 45, false},
		}},
		{"job-perms-no-packages.yml", "image", []refSummary{
			{"ghcr.io/${{ github.repository }}:latest", "ghcr.io/${{ github.repository }}:latest", RefFromBuildPush, 23, true},
			{"ghcr.io/${{ github.repository }}:${{ github.ref_name }}", "ghcr.io/${{ github.repository }}:${{ github.ref_name }}", RefFromBuildPush, 24, true},
		}},
		{"workflow-packages-write.yml", "push", []refSummary{
			{"ghcr.io/acme/widget:${{ github.sha }}", "ghcr.io/acme/widget:${{ github.sha }}", RefFromRun, 12, false},
			{"ghcr.io/acme/widget:${{ github.sha }}", "ghcr.io/acme/widget:${{ github.sha }}", RefFromRun, 13, false},
		}},
		{"podman-buildah.yml", "build", []refSummary{
			{"ghcr.io/${{ github.repository_owner }}", "ghcr.io/${{ github.repository_owner }}", RefFromEnv, 3, true},
			{"myapp:latest", "myapp:latest", RefFromRun, 19, false},
			{"ghcr.io/acme/myapp:latest", "ghcr.io/acme/myapp:latest", RefFromRun, 21, false},
		}},
		{"helm-chart.yml", "chart", []refSummary{
			{"oci://ghcr.io/${{ github.repository_owner }}/charts", "oci://ghcr.io/${{ github.repository_owner }}/charts", RefFromRun, 15, true},
		}},
		{"goreleaser.yml", "goreleaser", []refSummary{
			{"ghcr.io/${{ github.repository }}", "ghcr.io/${{ github.repository }}", RefFromEnv, 10, true},
		}},
		{"cr-pat.yml", "deploy", []refSummary{
			{"ghcr.io/MyOrg/App:latest", "ghcr.io/MyOrg/App:latest", RefFromRun, 10, true},
			{"ghcr.io/MyOrg/App:latest", "ghcr.io/MyOrg/App:latest", RefFromRun, 11, true},
		}},
		{"crlf.yml", "build", []refSummary{{"ghcr.io/acme/crlf:1", "ghcr.io/acme/crlf:1", RefFromRun, 10, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			j := parseFixture(t, tt.file).Job(tt.job)
			require.NotNil(t, j)
			assert.Equal(t, tt.want, summarizeRefs(j.ImageRefs()))
		})
	}
}

func TestImageRefsScripts(t *testing.T) {
	src := `on: push
env:
  IMAGE: ghcr.io/${{ github.repository }}
jobs:
  a:
    runs-on: x
    steps:
      - run: |
          docker buildx build --platform linux/amd64 -t "$IMAGE:1" --tag=ghcr.io/acme/b:2 -tghcr.io/acme/c .
          docker image push ghcr.io/acme/d
          podman push localimg docker://ghcr.io/acme/e
          crane copy ghcr.io/acme/src ghcr.io/acme/dst
          skopeo copy docker://a/b docker://ghcr.io/acme/f
          oras push ghcr.io/acme/g:1 file.txt
          docker buildx imagetools create -t ghcr.io/acme/h:multi ghcr.io/acme/h:amd64
      - name: lowercase
        run: echo "IMAGE=${IMAGE,,}" >> "$GITHUB_ENV"
      - uses: docker/build-push-action@v6
        with:
          tags: ${{ env.IMAGE }}:latest, ghcr.io/acme/i:${{ github.sha }}
      - run: |
          NAME=$(echo "${{ github.repository }}" | tr '[:upper:]' '[:lower:]')
          docker push ghcr.io/$NAME:x
          docker push ghcr.io/${GITHUB_REPOSITORY}:y
`
	f, err := Parse([]byte(src))
	require.NoError(t, err)
	want := []refSummary{
		{"ghcr.io/${{ github.repository }}", "ghcr.io/${{ github.repository }}", RefFromEnv, 3, true},
		{"$IMAGE:1", "ghcr.io/${{ github.repository }}:1", RefFromRun, 9, true},
		{"ghcr.io/acme/b:2", "ghcr.io/acme/b:2", RefFromRun, 9, false},
		{"ghcr.io/acme/c", "ghcr.io/acme/c", RefFromRun, 9, false},
		{"ghcr.io/acme/d", "ghcr.io/acme/d", RefFromRun, 10, false},
		{"docker://ghcr.io/acme/e", "docker://ghcr.io/acme/e", RefFromRun, 11, false},
		{"ghcr.io/acme/dst", "ghcr.io/acme/dst", RefFromRun, 12, false},
		{"ghcr.io/acme/f", "ghcr.io/acme/f", RefFromRun, 13, false},
		{"ghcr.io/acme/g:1", "ghcr.io/acme/g:1", RefFromRun, 14, false},
		{"ghcr.io/acme/h:multi", "ghcr.io/acme/h:multi", RefFromRun, 15, false},
		{"${{ env.IMAGE }}:latest", "${{ env.IMAGE }}:latest", RefFromBuildPush, 20, false},
		{"ghcr.io/acme/i:${{ github.sha }}", "ghcr.io/acme/i:${{ github.sha }}", RefFromBuildPush, 20, false},
		{"ghcr.io/$NAME:x", "ghcr.io/$NAME:x", RefFromRun, 23, false},
		{"ghcr.io/${GITHUB_REPOSITORY}:y", "ghcr.io/${GITHUB_REPOSITORY}:y", RefFromRun, 24, true},
	}
	assert.Equal(t, want, summarizeRefs(f.Jobs[0].ImageRefs()))
}

func TestExpandsToUpper(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{
		{"ghcr.io/${{ github.repository }}:latest", true},
		{"ghcr.io/${{ github.repository_owner }}/app", true},
		{"ghcr.io/${{github.actor}}/app", true},
		{"ghcr.io/${{ github.event.repository.name }}", true},
		{"ghcr.io/$GITHUB_REPOSITORY", true},
		{"ghcr.io/${GITHUB_REPOSITORY_OWNER}/x", true},
		{"ghcr.io/${GITHUB_REPOSITORY,,}", false},
		{"ghcr.io/$(echo $GITHUB_REPOSITORY | tr '[:upper:]' '[:lower:]')", false},
		{"ghcr.io/$(echo ${{ github.repository }} | tr A-Z a-z)", false},
		{"ghcr.io/acme/app:Latest", false},
		{"GHCR.IO/acme/app", false},
		{"localhost:5000/acme/app:V1", false},
		{"ghcr.io/Acme/app", true},
		{"Acme/app", true},
		{"ghcr.io/acme/app@sha256:ABC", false},
		{"ghcr.io/${{ env.IMAGE }}", false},
		{"ghcr.io/${{ steps.meta.outputs.tags }}", false},
		{"ghcr.io/${{ github.sha }}:x", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			assert.Equal(t, tt.want, ExpandsToUpper(tt.ref))
		})
	}
}
