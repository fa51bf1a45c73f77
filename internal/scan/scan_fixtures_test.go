package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want is the part of a Finding the fixture tests pin down.
type want struct {
	Kind     Kind
	Registry string
	Owner    string
	Package  string
	Tool     string
	Step     string
	Line     int
	Message  string
}

func scanFixture(t *testing.T, name string) *ScanResult {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "logs", name))
	require.NoError(t, err)
	defer f.Close()
	res, err := ScanLog(f)
	require.NoError(t, err)
	return res
}

func summarise(fs []Finding) []want {
	out := make([]want, 0, len(fs))
	for _, f := range fs {
		out = append(out, want{f.Kind, f.Registry, f.Owner, f.Package, f.Tool, f.Step, f.Line, f.Message})
	}
	return out
}

const (
	stepBPA6 = "Run docker/build-push-action@v6"
	stepBPA2 = "Run docker/build-push-action@v2"
)

func TestScanLogFixtures(t *testing.T) {
	cases := []struct {
		file string
		want []want
	}{
		{"buildx_write_org_package.txt", []want{
			{KindWriteDenied, RegistryGHCR, "eth-act", "ere/ere-base", "buildx", stepBPA6, 85, "installation not allowed to Write organization package"},
		}},
		{"buildx_old_write_package.txt", []want{
			{KindWriteDenied, RegistryGHCR, "danger", "danger-js", "buildx", stepBPA2, 56, "permission_denied: write_package"},
		}},
		{"buildx_403_post.txt", []want{
			{KindWriteDenied, RegistryGHCR, "ruby", "ruby.wasm/builder/wasm32-unknown-wasip1", "buildx", "Run docker/build-push-action@v5", 72, "403 Forbidden"},
		}},
		{"buildx_head_and_cache_403.txt", []want{
			// A HEAD of a blob while pushing checks whether to upload it: a write refusal.
			{KindWriteDenied, RegistryGHCR, "MY_ORG", "MY_REPO", "buildx", "Run docker/build-push-action@v4", 54, "403 Forbidden"},
			{KindWriteDenied, RegistryGHCR, "mrlvsb", "kelvin-ci-cache", "buildx", stepBPA6, 68, "403 Forbidden"},
		}},
		{"buildx_anonymous_and_bare_403.txt", []want{
			{KindAuthFailed, RegistryGHCR, "acme", "widget", "buildx", stepBPA2, 53, "failed to fetch anonymous token: 403 Forbidden"},
			{KindWriteDenied, RegistryGHCR, "acme", "api", "buildx", "Run docker buildx build --push -t ghcr.io/acme/api:1.0 .", 63, "403 Forbidden"},
		}},
		{"docker_push_write_org_package.txt", []want{
			{KindWriteDenied, RegistryGHCR, "hyperledger", "firefly-signer", "docker", "Run docker push ghcr.io/hyperledger/firefly-signer:v1.1.14", 62, "installation not allowed to Write organization package"},
		}},
		{"docker_login_denied.txt", []want{
			{KindAuthFailed, RegistryGHCR, "", "", "docker", "Run docker/login-action@v3", 51, "denied: denied"},
			{KindAuthFailed, RegistryGHCR, "", "", "docker", "Run docker/login-action@v3", 58, "Username and password required"},
		}},
		{"podman_write_and_create.txt", []want{
			{KindWriteDenied, RegistryGHCR, "tuna-os", "flounder-sid", "podman", "Run podman push ghcr.io/tuna-os/flounder-sid:latest", 52, "permission_denied: write_package"},
			{KindCreateDenied, RegistryGHCR, "freeipa", "ipa-tuura", "podman", "Run redhat-actions/push-to-registry@v2", 63, "installation not allowed to Create organization package"},
		}},
		{"podman_read_destination.txt", []want{
			// "trying to reuse blob … at destination" is part of a push.
			{KindWriteDenied, RegistryGHCR, "my_org", "my_image", "podman", "Run redhat-actions/push-to-registry@v2", 52, "403 Forbidden"},
		}},
		{"crane_ko_cosign_flux.txt", []want{
			{KindWriteDenied, RegistryGHCR, "pytorch", "ci-image", "crane", "Run crane copy docker.io/library/ubuntu:24.04 ghcr.io/pytorch/ci-image:ubuntu-24.04", 50, "installation not allowed to Write organization package"},
			{KindWriteDenied, RegistryGHCR, "runmedev", "runme", "ko", "Run ko build --bare ./cmd/runme", 60, "permission_denied: write_package"},
			{KindAuthFailed, RegistryGHCR, "aquasecurity", "trivy-db", "crane", "Run cosign sign --yes ghcr.io/aquasecurity/trivy-db:2", 68, "denied: denied"},
			// A refused HEAD while pushing: the push is what was refused.
			{KindWriteDenied, RegistryGHCR, "stefanprodan", "manifests/podinfo", "crane", "Run flux push artifact oci://ghcr.io/stefanprodan/manifests/podinfo:1.0.0 --path=./kustomize --source=x --revision=y", 77, "403 Forbidden"},
		}},
		{"helm_oras_push.txt", []want{
			{KindWriteDenied, RegistryGHCR, "luzilla", "charts/dnsbl-exporter", "helm", "Run helm push dnsbl-exporter-0.7.0.tgz oci://ghcr.io/luzilla/charts", 49, "permission_denied: write_package"},
			{KindWriteDenied, RegistryGHCR, "luzilla", "sbom", "oras", "Run oras push ghcr.io/luzilla/sbom:0.7.0 sbom.json", 57, "installation not allowed to Write organization package"},
		}},
		{"goreleaser_create_and_owner.txt", []want{
			{KindCreateDenied, RegistryGHCR, "boz", "kail", "goreleaser", "Run goreleaser/goreleaser-action@v6", 51, "installation not allowed to Create organization package"},
			{KindOwnerNotFound, RegistryGHCR, "helium-diy", "lightweight-dashboard", "goreleaser", "Run goreleaser/goreleaser-action@v5", 57, "not_found: owner not found"},
		}},
		{"npm_publish_and_install.txt", []want{
			{KindWriteDenied, RegistryNPM, "doist", "todoist-api-typescript", "npm", "Run npm publish", 52, "permission_denied: write_package"},
			{KindWriteDenied, RegistryNPM, "weaveworks", "weave-gitops-main", "npm", "Run npm publish --workspace ui", 64, "installation not allowed to Write organization package"},
			{KindOwnerNotFound, RegistryNPM, "provenanceio", "provenance", "npm", "Run npm publish", 72, "not_found: owner not found"},
			{KindAuthFailed, RegistryNPM, "myorg", "pkg", "npm", "Run npm ci", 80, "This credential type is not supported for registry"},
			{KindAuthFailed, RegistryNPM, "navikt", "dp-auth", "npm", "Run npm install", 88, "unauthenticated: User cannot be authenticated with the token provided"},
		}},
		{"maven_gradle_publish.txt", []want{
			{KindWriteDenied, RegistryMaven, "acme", "widget-core", "maven", "Run mvn -B deploy", 53, "403 Forbidden"},
			{KindAuthFailed, RegistryMaven, "acme", "widget-api", "maven", "Run mvn -B deploy -pl api", 60, "401 Unauthorized"},
			{KindWriteDenied, RegistryMaven, "enefce", "sampleAndroidLib", "gradle", "Run ./gradlew publish", 74, "403 Forbidden"},
		}},
		{"nuget_push.txt", []want{
			{KindWriteDenied, RegistryNuGet, "marketly", "", "nuget", `Run dotnet nuget push "bin/Release/*.nupkg" --source github --api-key ${{ secrets.GITHUB_TOKEN }}`, 51, "Resource not accessible by integration"},
			{KindAuthFailed, RegistryNuGet, "acme", "", "nuget", `Run dotnet nuget push "*.nupkg" --source https://nuget.pkg.github.com/acme/index.json`, 63, "401 Unauthorized"},
		}},
		{"gem_push.txt", []want{
			{KindAuthFailed, RegistryRubyGems, "openvoxproject", "", "gem", "Run gem push --key github --host https://rubygems.pkg.github.com/openvoxproject pkg/openvox-8.11.0.gem", 50, "Your request could not be authenticated by the GitHub Packages service"},
		}},
		{"docker_legacy_and_pat.txt", []want{
			{KindAuthFailed, RegistryDocker, "", "", "docker", "Run docker login docker.pkg.github.com -u acme -p ***", 50, "401 Unauthorized"},
			{KindAuthFailed, RegistryDocker, "acme", "legacy/app", "docker", "Run docker push docker.pkg.github.com/acme/legacy/app:1.0", 60, "unauthenticated: User cannot be authenticated with the token provided"},
			{KindAuthFailed, RegistryGHCR, "acme", "legacy", "docker", "Run docker push ghcr.io/acme/legacy:1.0", 69, "permission_denied: The token provided does not match expected scopes"},
		}},
		{"read_denied_and_invalid_name.txt", []want{
			{KindReadDenied, RegistryGHCR, "acme", "base", "buildx", stepBPA6, 53, "installation not allowed to Read organization package"},
			{KindInvalidName, RegistryGHCR, "Acme", "Widget", "buildx", stepBPA6, 64, "repository name must be lowercase"},
			{KindInvalidName, RegistryGHCR, "Acme", "Widget", "docker", "Run docker build -t ghcr.io/${{ github.repository }}:latest .", 72, "repository name must be lowercase"},
			{KindReadDenied, RegistryGHCR, "acme", "private-base", "docker", "Run docker pull ghcr.io/acme/private-base:2", 81, "permission_denied: read_package"},
		}},
		{"same_error_two_steps.txt", []want{
			{KindWriteDenied, RegistryGHCR, "acme", "widget", "docker", "Run docker push ghcr.io/acme/widget:amd64", 51, "permission_denied: write_package"},
			{KindWriteDenied, RegistryGHCR, "acme", "widget", "docker", "Run docker push ghcr.io/acme/widget:arm64", 61, "permission_denied: write_package"},
		}},
		// Look-alikes: other registries, rate limits, server errors,
		// transient failures and test output are never findings.
		{"negative_dockerhub.txt", nil},
		{"negative_ecr.txt", nil},
		{"negative_gcr.txt", nil},
		{"negative_acr.txt", nil},
		{"negative_quay.txt", nil},
		{"negative_public_npm.txt", nil},
		{"negative_rate_limit_and_5xx.txt", nil},
		{"negative_transient.txt", nil},
		{"negative_test_failures.txt", nil},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.file] = true
		t.Run(tc.file, func(t *testing.T) {
			res := scanFixture(t, tc.file)
			if tc.want == nil {
				tc.want = []want{}
			}
			assert.Equal(t, tc.want, summarise(res.Findings))
			for _, f := range res.Findings {
				assert.GreaterOrEqual(t, f.Line, 1)
				assert.LessOrEqual(t, f.Line, res.Lines)
				assert.NotContains(t, f.Text, "2026-01-11T", "timestamp must be stripped")
			}
		})
	}
	files, err := filepath.Glob(filepath.Join("testdata", "logs", "*.txt"))
	require.NoError(t, err)
	for _, f := range files {
		assert.True(t, covered[filepath.Base(f)], "fixture %s has no test case", filepath.Base(f))
	}
}

func TestScanLogReadsSetUpJob(t *testing.T) {
	res := scanFixture(t, "buildx_write_org_package.txt")
	assert.Equal(t, TokenPermissions{
		"actions":           "read",
		"artifact-metadata": "write",
		"contents":          "read",
		"id-token":          "write",
		"metadata":          "read",
		"packages":          "read",
		"pull-requests":     "write",
	}, res.TokenPermissions)
	assert.Equal(t, "Actions", res.SecretSource)
	assert.Equal(t, 96, res.Lines)

	res = scanFixture(t, "docker_login_denied.txt")
	assert.Equal(t, "None", res.SecretSource)
}

func TestScanLogFindingText(t *testing.T) {
	res := scanFixture(t, "buildx_write_org_package.txt")
	require.Len(t, res.Findings, 1)
	assert.Equal(t, "#13 ERROR: failed to push ghcr.io/eth-act/ere/ere-base:0.0.12-caa8937: denied: installation not allowed to Write organization package", res.Findings[0].Text)
	assert.Empty(t, res.Findings[0].File, "the caller names the file")
}
