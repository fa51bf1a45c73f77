package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCatalogNeedlesContainAnAnchor guards the prefilter: a needle without a
// scan anchor would never be seen by the scanner.
func TestCatalogNeedlesContainAnAnchor(t *testing.T) {
	for _, rule := range catalog {
		require.NotEmpty(t, rule.needles, rule.name)
		for _, needle := range rule.needles {
			assert.True(t, containsAny(needle, scanAnchors), "rule %q needle %q contains no scan anchor", rule.name, needle)
		}
	}
}

// TestCatalogRules gives every rule an example line and checks that the
// rule decides it, so each catalogue entry is exercised.
func TestCatalogRules(t *testing.T) {
	cases := []struct {
		rule, line string
		kind       Kind
		message    string
	}{
		{"create org package", "denied: installation not allowed to Create organization package", KindCreateDenied, "installation not allowed to Create organization package"},
		{"write org package", "npm ERR! 403 403 Forbidden - PUT https://npm.pkg.github.com/@a%2fb - Permission installation not allowed to Write organization package", KindWriteDenied, "installation not allowed to Write organization package"},
		{"read org package", "npm error 403 403 Forbidden - GET https://npm.pkg.github.com/@a%2fb - Permission installation not allowed to Read organization package", KindReadDenied, "installation not allowed to Read organization package"},
		{"create_package", "denied: permission_denied: create_package", KindCreateDenied, "permission_denied: create_package"},
		{"write_package", "denied: permission_denied: write_package", KindWriteDenied, "permission_denied: write_package"},
		{"read_package", "npm ERR! 403 403 Forbidden - GET https://npm.pkg.github.com/@a%2fb - Permission permission_denied: read_package", KindReadDenied, "permission_denied: read_package"},
		{"token scopes", "denied: permission_denied: The token provided does not match expected scopes.", KindAuthFailed, "permission_denied: The token provided does not match expected scopes"},
		{"installation missing", "denied: permission_denied: The requested installation does not exist.", KindWriteDenied, "permission_denied: The requested installation does not exist"},
		{"owner not found", "denied: not_found: owner not found", KindOwnerNotFound, "not_found: owner not found"},
		{"unauthenticated", "unauthorized: unauthenticated: User cannot be authenticated with the token provided.", KindAuthFailed, "unauthenticated: User cannot be authenticated with the token provided"},
		{"packages service", "unauthorized: Your request could not be authenticated by the GitHub Packages service. Please ensure your access token is valid and has the appropriate scopes configured.", KindAuthFailed, "Your request could not be authenticated by the GitHub Packages service"},
		{"npm credential type", "npm ERR! 401 Unauthorized - GET https://npm.pkg.github.com/@a%2fb - This credential type is not supported for registry. Please use a Personal Access Token or GitHub Actions token instead.", KindAuthFailed, "This credential type is not supported for registry"},
		{"npm realm", `npm ERR! Unable to authenticate, need: Basic realm="GitHub Package Registry"`, KindAuthFailed, `Unable to authenticate, need: Basic realm="GitHub Package Registry"`},
		{"denied: denied", `Error response from daemon: Get "https://ghcr.io/v2/": denied: denied`, KindAuthFailed, "denied: denied"},
		{"empty login", "Error: Username and password required", KindAuthFailed, "Username and password required"},
		{"authentication required", "GET https://ghcr.io/token?scope=repository%3Aa%2Fb%3Apull&service=ghcr.io: UNAUTHORIZED: authentication required", KindAuthFailed, "unauthorized: authentication required"},
		{"anonymous token", "failed to authorize: failed to fetch anonymous token: unexpected status: 403 Forbidden", KindAuthFailed, "failed to fetch anonymous token: 403 Forbidden"},
		{"bearer token", "Error: writing blob: Requesting bearer token: invalid status code from registry 403 (Forbidden)", KindAuthFailed, "requesting a bearer token was refused: 403 Forbidden"},
		{"graphql packages scope", `{"errors":[{"type":"INSUFFICIENT_SCOPES","message":"Your token has not been granted the required scopes to execute this query. The 'createRegistryPackageVersion' field requires one of the following scopes: ['write:packages'], but your token has only been granted the: ['repo'] scopes."}]}`, KindWriteDenied, "the token lacks the write:packages scope (createRegistryPackageVersion)"},
		{"nuget owner mismatch", "error: Source owner 'acme-old' does not match repo owner 'acme'", KindWriteDenied, "Source owner 'acme-old' does not match repo owner 'acme'"},
		{"rubygems authentication required", "ERROR:  Authentication is required for rubygems.pkg.github.com.", KindAuthFailed, "Authentication is required for rubygems.pkg.github.com"},
		{"image without owner", "ERROR: failed to push ghcr.io/widget:latest: unexpected status from HEAD request to https://ghcr.io/v2/widget/blobs/sha256:0a: 400 Bad Request", KindInvalidName, "the image name has no owner namespace (ghcr.io/OWNER/NAME)"},
		{"maven upper-case artifact", "Could not transfer artifact com.acme:Widget:jar:1.0 from/to github (https://maven.pkg.github.com/acme/widget): status code: 422, reason phrase: Unprocessable Entity (422)", KindInvalidName, "422 Unprocessable Entity (artifact ids must be lower case)"},
		{"npm scope mismatch", "npm ERR! 404 Not Found - PUT https://npm.pkg.github.com/@someone-else%2fwidget - Not Found", KindOwnerNotFound, "404 Not Found on publish (the package scope is not the repository owner)"},
		{"docker login failed", "Error: Docker login for 'ghcr.io' failed with exit code 1", KindAuthFailed, "docker login failed"},
		{"daemon denied", "docker: Error response from daemon: denied.", KindReadDenied, "denied"},
		{"reading manifest", "Error: initializing source docker://ghcr.io/a/b:1: reading manifest 1 in ghcr.io/a/b: denied", KindReadDenied, "denied"},
		{"daemon registry refusal", "Error response from daemon: error from registry: unauthorized", KindReadDenied, "unauthorized"},
		{"resource denied by GitHub Packages", "Error response from daemon: pull access denied for ghcr.io/a/b, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", KindReadDenied, "denied: requested access to the resource is denied"},
		{"npm invalid token", "npm error Unable to authenticate, your authentication token seems to be invalid.", KindAuthFailed, "Unable to authenticate, your authentication token seems to be invalid"},
		{"login without a password", "Error: Cannot perform an interactive login from a non TTY device", KindAuthFailed, "docker login got no password (an empty secret)"},
		{"refusal at the end of a GitHub Packages line", `Error: failed to pull image "ghcr.io/a/b:1": denied`, KindReadDenied, "denied"},
		{"name characters", "Error: parsing reference: repository can only contain the characters abcdefghijklmnopqrstuvwxyz0123456789_-./: ghcr.io/A/b", KindInvalidName, "repository name must be lowercase"},
		{"login refused", `Error: logging into "ghcr.io": invalid username/password`, KindAuthFailed, "invalid username/password"},
		{"upper-case GitHub Packages reference", `ERROR: could not parse reference: ghcr.io/Acme/Widget:1`, KindInvalidName, "repository name must be lowercase"},
		{"name invalid", "PUT https://ghcr.io/v2/a/B/manifests/1: NAME_INVALID: invalid repository name", KindInvalidName, "name invalid: the registry refused the repository name"},
		{"registry refused request", `Error response from daemon: Head "https://ghcr.io/v2/a/b/manifests/1": unauthorized`, KindReadDenied, "unauthorized"},
		{"yarn berry authentication", "➤ YN0041: │ @acme/widget@npm:1.0.0: Invalid authentication (as an anonymous user)", KindAuthFailed, "Invalid authentication"},
		{"nuget missing api key", "error: Response status code does not indicate success: 404 (Not Found).", KindAuthFailed, "404 Not Found (no API key was provided)"},
		{"containerd pull status", `failed to resolve reference "ghcr.io/a/b:1": pulling from host ghcr.io failed with status code [manifests 1]: 403 Forbidden`, KindReadDenied, "403 Forbidden"},
		{"pnpm fetch", " ERR_PNPM_FETCH_401  GET https://npm.pkg.github.com/@acme%2Fwidget: Unauthorized - 401", KindAuthFailed, "401 Unauthorized"},
		{"yarn request failed", `error An unexpected error occurred: "https://npm.pkg.github.com/@acme%2fwidget: Request failed \"403 Forbidden\"".`, KindReadDenied, "403 Forbidden"},
		{"rubygems bad response", "ERROR:  While executing gem ... (Gem::RemoteFetcher::FetchError) bad response Unauthorized 401 (https://rubygems.pkg.github.com/acme/api/v1/dependencies)", KindAuthFailed, "401 Unauthorized"},
		{"nuget integration", "warn : Resource not accessible by integration", KindWriteDenied, "Resource not accessible by integration"},
		{"lowercase name", `ERROR: invalid tag "ghcr.io/A/B:1": repository name must be lowercase`, KindInvalidName, "repository name must be lowercase"},
		{"invalid reference", "docker: invalid reference format.", KindInvalidName, "invalid reference format"},
		{"destination repository", "failed to read from destination repository a/b: 401 (Unauthorized)", KindAuthFailed, "401 Unauthorized"},
		{"buildkit status from request", "unexpected status from PUT request to https://ghcr.io/v2/a/b/manifests/1: 403 Forbidden", KindWriteDenied, "403 Forbidden"},
		{"ggcr status code", "GET https://ghcr.io/v2/a/b/manifests/1: unexpected status code 401 Unauthorized", KindAuthFailed, "401 Unauthorized"},
		{"oras status code", `Error: HEAD "https://ghcr.io/v2/a/b/manifests/1": response status code 403: Forbidden`, KindReadDenied, "403 Forbidden"},
		{"npm status", "npm ERR! 403 403 Forbidden - GET https://npm.pkg.github.com/@a%2fb - Forbidden", KindReadDenied, "403 Forbidden"},
		{"gradle status", "> Could not GET 'https://maven.pkg.github.com/a/b/g/x/1/x-1.pom'. Received status code 401 from server: Unauthorized", KindAuthFailed, "401 Unauthorized"},
		{"maven status", "Failed to collect dependencies: Could not transfer artifact g:x:pom:1 from/to github (https://maven.pkg.github.com/a/b): status code: 403, reason phrase: Forbidden (403). Could not resolve dependencies", KindReadDenied, "403 Forbidden"},
		{"nuget status line", "  Forbidden https://nuget.pkg.github.com/a/download/b/index.json 88ms", KindReadDenied, "403 Forbidden"},
		{"nuget response status", "error: Response status code does not indicate success: 403 (Forbidden).", KindWriteDenied, "403 Forbidden"},
		{"docker login status", "Error response from daemon: login attempt to https://docker.pkg.github.com/v2/ failed with status: 401 Unauthorized", KindAuthFailed, "401 Unauthorized"},
		{"buildkit bare status", "ERROR: failed to solve: unexpected status: 403 Forbidden", KindWriteDenied, "403 Forbidden"},
		{"status on a GitHub Packages line", "PUT https://ghcr.io/v2/a/b/manifests/1 -> 403 Forbidden", KindWriteDenied, "403 Forbidden"},
	}
	used := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			m, ok := matchCatalog(tc.line, opUnknown)
			require.True(t, ok)
			assert.Equal(t, tc.rule, m.rule.name)
			assert.Equal(t, tc.kind, m.kind)
			assert.Equal(t, tc.message, m.message)
		})
		used[tc.rule] = true
	}
	for _, rule := range catalog {
		assert.True(t, used[rule.name], "catalogue rule %q has no example", rule.name)
	}
}

func TestCatalogIgnores(t *testing.T) {
	lines := []string{
		"denied: requested access to the resource is denied",
		"toomanyrequests: too many requests, 403 Forbidden later",
		"unexpected status from POST request to https://ghcr.io/v2/a/b/blobs/uploads/: 502 Bad Gateway",
		"unexpected status from POST request to https://ghcr.io/v2/a/b/blobs/uploads/: 403 Forbidden: connection reset by peer",
		"--- FAIL: TestPush: got denied: denied",
		"npm ERR! code E403",
		"remote: Permission to acme/widget.git denied to github-actions[bot].",
	}
	for _, line := range lines {
		assert.Empty(t, scanString(t, line+"\n").Findings, line)
	}
}

func TestInferTool(t *testing.T) {
	rule := &catalogRule{}
	cases := []struct {
		name, text, step, ctxTool, registry, want string
	}{
		{"buildkit step number", "#15 ERROR: denied: x", "Run ./build.sh", "", RegistryGHCR, "buildx"},
		{"podman blob", "Error: writing blob: initiating layer upload to /v2/a/b/blobs/uploads/ in ghcr.io: denied: x", "", "", RegistryGHCR, "podman"},
		{"ggcr", "Error: POST https://ghcr.io/v2/a/b/blobs/uploads/: DENIED: x", "Run ./x", "", RegistryGHCR, "crane"},
		{"ko", "error publishing ko://github.com/a/b: POST https://ghcr.io/v2/a/b/blobs/uploads/: DENIED: x", "", "", RegistryGHCR, "ko"},
		{"helm", `Error: failed to perform "Push" on destination: x`, "Run helm push", "", RegistryGHCR, "helm"},
		{"oras", `Error: failed to perform "Push" on destination: x`, "Run oras push ghcr.io/a/b:1 f", "", RegistryGHCR, "oras"},
		{"goreleaser", "⨯ release failed after 1s error=x", "", "", RegistryGHCR, "goreleaser"},
		{"npm prefix", "npm error 403 x", "", "", RegistryNPM, "npm"},
		{"step login-action", "Error: Username and password required", "Run docker/login-action@v3", "", RegistryGHCR, "docker"},
		{"step gradle", "x", "Run ./gradlew publish", "", RegistryMaven, "gradle"},
		{"step maven", "x", "Run mvn deploy", "", RegistryMaven, "maven"},
		{"context tool", "denied: x", "Run ./push.sh", "docker", RegistryGHCR, "docker"},
		{"registry tool", "x", "Run ./publish.sh", "", RegistryRubyGems, "gem"},
		{"unknown", "denied: x", "Run ./push.sh", "", RegistryGHCR, ToolUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, inferTool(tc.text, rule, tc.step, tc.ctxTool, tc.registry))
		})
	}
}

func TestLocateReference(t *testing.T) {
	cases := []struct {
		name, text string
		want       PackageReference
		found      bool
	}{
		{"buildx push", "#13 ERROR: failed to push ghcr.io/eth-act/ere/ere-base:0.0.12-caa8937: denied: x",
			PackageReference{RegistryGHCR, "eth-act", "ere/ere-base"}, true},
		{"docker bracket", "The push refers to repository [ghcr.io/hyperledger/firefly-signer]",
			PackageReference{RegistryGHCR, "hyperledger", "firefly-signer"}, true},
		{"containers/image path", "initiating layer upload to /v2/tuna-os/flounder-sid/blobs/uploads/ in ghcr.io: denied: x",
			PackageReference{RegistryGHCR, "tuna-os", "flounder-sid"}, true},
		{"buildkit auth", "#14 [auth] danger/danger-js:pull,push token for ghcr.io",
			PackageReference{RegistryGHCR, "danger", "danger-js"}, true},
		{"quoted tag keeps case", `invalid tag "ghcr.io/Owner/Repo:tag": repository name must be lowercase`,
			PackageReference{RegistryGHCR, "Owner", "Repo"}, true},
		{"host only", `Get "https://ghcr.io/v2/": denied: denied`, PackageReference{Registry: RegistryGHCR}, true},
		{"maven artifact id", "Could not transfer artifact com.acme:widget-core:jar:1.4.0 from/to github (https://maven.pkg.github.com/acme/widget): status code: 403",
			PackageReference{RegistryMaven, "acme", "widget-core"}, true},
		{"host inside another name", "pushing to myghcr.io/a/b and ghcr.io.example.com/a/b", PackageReference{}, false},
		{"destination repository", "failed to read from destination repository my_org/my_image: 403 (Forbidden)",
			PackageReference{Owner: "my_org", Package: "my_image"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, found := locateReference(tc.text)
			assert.Equal(t, tc.found, found)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParsePackageReference(t *testing.T) {
	cases := []struct {
		token string
		want  PackageReference
		ok    bool
	}{
		{"ghcr.io/eth-act/ere/ere-base:0.0.12-caa8937", PackageReference{RegistryGHCR, "eth-act", "ere/ere-base"}, true},
		{"ghcr.io/acme/widget@sha256:0123abcd", PackageReference{RegistryGHCR, "acme", "widget"}, true},
		{"ghcr.io/acme/widget:1.0@sha256:0123abcd", PackageReference{RegistryGHCR, "acme", "widget"}, true},
		{"GHCR.IO/Acme/Widget", PackageReference{RegistryGHCR, "Acme", "Widget"}, true},
		{"ghcr.io:443/acme/widget:1", PackageReference{RegistryGHCR, "acme", "widget"}, true},
		{"ghcr.io/acme", PackageReference{RegistryGHCR, "acme", ""}, true},
		{"https://ghcr.io/v2/tuna-os/flounder-sid/blobs/uploads/", PackageReference{RegistryGHCR, "tuna-os", "flounder-sid"}, true},
		{"https://ghcr.io/v2/MY_ORG/MY_REPO/blobs/sha256:4abc", PackageReference{RegistryGHCR, "MY_ORG", "MY_REPO"}, true},
		{"https://ghcr.io/v2/a/manifests/b/manifests/1.0", PackageReference{RegistryGHCR, "a", "manifests/b"}, true},
		{"https://ghcr.io/v2/", PackageReference{Registry: RegistryGHCR}, true},
		{"https://ghcr.io/token?scope=repository%3Aaquasecurity%2Ftrivy-db%3Apush%2Cpull&service=ghcr.io", PackageReference{RegistryGHCR, "aquasecurity", "trivy-db"}, true},
		{"oci://ghcr.io/luzilla/charts", PackageReference{RegistryGHCR, "luzilla", "charts"}, true},
		{"[ghcr.io/boz/kail:v0.17.0-amd64]:", PackageReference{RegistryGHCR, "boz", "kail"}, true},
		{"docker.pkg.github.com/acme/legacy/app:1.0", PackageReference{RegistryDocker, "acme", "legacy/app"}, true},
		{"https://npm.pkg.github.com/@doist%2ftodoist-api-typescript", PackageReference{RegistryNPM, "doist", "todoist-api-typescript"}, true},
		{"https://npm.pkg.github.com/@Doist%2Fsdk", PackageReference{RegistryNPM, "Doist", "sdk"}, true},
		{"https://npm.pkg.github.com/download/@navikt/dp-auth/1.2.3/abc", PackageReference{RegistryNPM, "navikt", "dp-auth"}, true},
		{"https://npm.pkg.github.com/", PackageReference{Registry: RegistryNPM}, true},
		{"https://maven.pkg.github.com/OWNER/REPO", PackageReference{RegistryMaven, "OWNER", "REPO"}, true},
		{"https://maven.pkg.github.com/acme/widget/com/acme/lib/1.0/lib-1.0.jar", PackageReference{RegistryMaven, "acme", "lib"}, true},
		{"https://nuget.pkg.github.com/marketly/", PackageReference{RegistryNuGet, "marketly", ""}, true},
		{"https://nuget.pkg.github.com/acme/index.json", PackageReference{RegistryNuGet, "acme", ""}, true},
		{"https://nuget.pkg.github.com/acme/download/acme.tools/index.json", PackageReference{RegistryNuGet, "acme", "acme.tools"}, true},
		{"https://rubygems.pkg.github.com/openvoxproject...", PackageReference{RegistryRubyGems, "openvoxproject", ""}, true},
		{"ghcr.io/bad owner/x", PackageReference{Registry: RegistryGHCR}, true},
		{"ghcr.io/acme/wid%get", PackageReference{RegistryGHCR, "acme", ""}, true},
		{"docker.io/library/alpine:3", PackageReference{}, false},
		{"npm.registry.example.com/widget", PackageReference{}, false},
		{"", PackageReference{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.token, func(t *testing.T) {
			got, ok := ParsePackageReference(tc.token)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
