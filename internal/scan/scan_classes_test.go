package scan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// seen is what a class test pins down of a finding.
type seen struct {
	Kind     Kind
	Registry string
	From     string
	Owner    string
	Package  string
}

func seenOf(fs []Finding) []seen {
	out := []seen{}
	for _, f := range fs {
		out = append(out, seen{f.Kind, f.Registry, f.RegistryFrom, f.Owner, f.Package})
	}
	return out
}

// classCase is one log excerpt, written for these tests in the shapes
// people paste, and what the scanner must make of it (nil: nothing).
type classCase struct {
	name string
	log  []string
	want []seen
}

func runClassCases(t *testing.T, cases []classCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := scanString(t, strings.Join(tc.log, "\n")+"\n")
			want := tc.want
			if want == nil {
				want = []seen{}
			}
			assert.Equal(t, want, seenOf(res.Findings))
		})
	}
}

// Class 1: wording only GitHub Packages uses names the registry by itself.
func TestScanClassGitHubWording(t *testing.T) {
	runClassCases(t, []classCase{
		{"write_package alone", []string{"Error: buildx failed with: ERROR: denied: permission_denied: write_package"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"read_package alone", []string{"ERROR: denied: permission_denied: read_package"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"write organization package", []string{"#21 ERROR: denied: installation not allowed to Write organization package"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"create organization package", []string{"denied: installation not allowed to Create organization package"},
			[]seen{{KindCreateDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"read organization package", []string{"Error response from daemon: denied: installation not allowed to Read organization package"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"installation does not exist is a write refusal", []string{"ERROR: denied: permission_denied: The requested installation does not exist."},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"unauthenticated token", []string{`"unauthorized: unauthenticated: User cannot be authenticated with the token provided."`},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"raw JSON error body", []string{`StatusCodeError: 401 - {"errors":[{"code":"UNAUTHORIZED","message":"unauthenticated: User cannot be authenticated with the token provided."}]}`},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"packages service from gem", []string{"Pushing gem to https://rubygems.pkg.github.com/acme...", "Your request could not be authenticated by the GitHub Packages service. Please ensure your access token is valid."},
			[]seen{{KindAuthFailed, RegistryRubyGems, RegistryFromStep, "acme", ""}}},
		{"createRegistryPackageVersion scope", []string{"Error: Your token has not been granted the required scopes to execute this query. The 'createRegistryPackageVersion' field requires one of the following scopes: ['write:packages'], but your token has only been granted the: ['repo'] scopes."},
			[]seen{{KindWriteDenied, RegistryDocker, RegistryFromWording, "", ""}}},
		{"owner not found", []string{"denied: not_found: owner not found"},
			[]seen{{KindOwnerNotFound, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"npm wording takes npm's registry", []string{"Run npm publish", "npm error code E403", "npm error 403 Permission permission_denied: write_package"},
			[]seen{{KindWriteDenied, RegistryNPM, RegistryFromWording, "", ""}}},
		// Negatives: the same words elsewhere.
		{"another registry's URL on the line", []string{"npm error 401 Unauthorized - PUT https://npm.example.org/widget - unauthenticated: User cannot be authenticated with the token provided."}, nil},
		{"test output quoting the error", []string{"--- FAIL: TestPush (0.00s)", `    push_test.go:12: got "denied: permission_denied: write_package", want nil`}, nil},
		{"a script that greps for it", []string{`$ grep -q "permission_denied: write_package" build.log`}, nil},
		{"echo in a pasted step", []string{"Run echo 'denied: installation not allowed to Write organization package'", `echo "denied: installation not allowed to Write organization package"`}, nil},
	})
}

// Class 2: the registry and image come from the whole job, nearest first.
func TestScanClassJobContext(t *testing.T) {
	runClassCases(t, []classCase{
		{"login step names the registry", []string{
			"##[group]Run docker/login-action@v3", "with:", "  registry: ghcr.io", "##[endgroup]", "Login Succeeded!",
			"##[group]Run docker/build-push-action@v6", "with:", "  push: true", "##[endgroup]",
			"ERROR: failed to solve: unexpected status: 403 Forbidden"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromJob, "", ""}}},
		{"metadata images in an earlier step", []string{
			"##[group]Run docker/metadata-action@v5", "with:", "  images: ghcr.io/acme/widget", "##[endgroup]",
			"##[group]Run docker/build-push-action@v6", "##[endgroup]",
			"#12 ERROR: unexpected status: 403 Forbidden"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromJob, "acme", "widget"}}},
		{"env REGISTRY in the step header", []string{
			"##[group]Run docker push $REGISTRY/$IMAGE_NAME:latest", "env:", "  REGISTRY: ghcr.io", "  IMAGE_NAME: acme/widget", "##[endgroup]",
			"unexpected status: 403 Forbidden"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "", ""}}},
		{"push refers to repository after the error", []string{
			"#11 ERROR: denied: permission_denied: The requested installation does not exist.",
			"------",
			" > pushing ghcr.io/someone/builder:main with docker:",
			"------"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "someone", "builder"}}},
		{"goreleaser push refers to repository", []string{
			"   ⨯ release failed error=failed to push: The push refers to repository [ghcr.io/acme/tool]",
			"a247e2708871: Preparing",
			"denied: installation not allowed to Create organization package"},
			[]seen{{KindCreateDenied, RegistryGHCR, RegistryFromStep, "acme", "tool"}}},
		{"a loop of pushes: each refusal belongs to the push before it", []string{
			"The push refers to repository [ghcr.io/acme/api]", "3f1e0a4c2b9d: Preparing", "denied: permission_denied: write_package",
			"The push refers to repository [ghcr.io/acme/web]", "9c2d7e41b0aa: Preparing", "denied: permission_denied: write_package"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "acme", "api"}, {KindWriteDenied, RegistryGHCR, RegistryFromStep, "acme", "web"}}},
		{"a push to Docker Hub after a refused ghcr push", []string{
			"The push refers to repository [ghcr.io/acme/api]", "unexpected status: 403 Forbidden",
			"The push refers to repository [docker.io/acme/api]", "a8f0f4a3d1f4: Pushed"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "acme", "api"}}},
		// Negatives: the nearest registry is someone else's.
		{"Docker Hub named nearer than ghcr", []string{
			"##[group]Run docker/login-action@v3", "with:", "  registry: ghcr.io", "##[endgroup]",
			"##[group]Run docker push acme/widget:1.0", "##[endgroup]",
			"The push refers to repository [docker.io/acme/widget]",
			"unexpected status: 403 Forbidden"}, nil},
		{"ECR named after the error", []string{
			"ERROR: failed to solve: unexpected status: 403 Forbidden",
			" > pushing 123456789012.dkr.ecr.us-east-1.amazonaws.com/widget:1 with docker:"}, nil},
		{"another registry's image on the error line", []string{"ERROR: failed to solve: failed to push registry.example.com:5000/team/app:1: unexpected status: 403 Forbidden"}, nil},
		{"bare Docker Hub name in a command", []string{"[command]/usr/bin/docker push acme/widget", "unexpected status: 403 Forbidden"}, nil},
	})
}

// Class 3: pulls and runs are findings too.
func TestScanClassPulls(t *testing.T) {
	runClassCases(t, []classCase{
		{"Head manifest unauthorized", []string{`Error response from daemon: Head "https://ghcr.io/v2/acme/private/manifests/1.2": unauthorized`},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "private"}}},
		{"Head manifest denied without quotes", []string{`Error response from daemon: Head https://ghcr.io/v2/acme/private/manifests/1.2: denied`},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "private"}}},
		{"daemon denied after docker pull", []string{"$ docker pull ghcr.io/acme/private:latest", "Error response from daemon: denied"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromStep, "acme", "private"}}},
		{"daemon denied after docker run", []string{
			`C:\Users\dev>docker run --rm -p 8080:80 ghcr.io/acme/app:latest`,
			"Unable to find image 'ghcr.io/acme/app:latest' locally",
			"docker: Error response from daemon: denied."},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromStep, "acme", "app"}}},
		{"bare daemon denied", []string{"Error response from daemon: denied"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"bare daemon unauthorized after docker run", []string{"$ docker run --rm ghcr.io/acme/private:2", "docker: Error response from daemon: unauthorized."},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromStep, "acme", "private"}}},
		{"compose pulling", []string{"Pulling api (ghcr.io/acme/api:2)...", `ERROR: Head "https://ghcr.io/v2/acme/api/manifests/2": unauthorized`},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "api"}}},
		{"crane GET denied", []string{"Error: GET https://ghcr.io/v2/acme/base/manifests/3: DENIED: denied"},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromLine, "acme", "base"}}},
		{"skopeo reading manifest", []string{"FATA[0000] Error: initializing source docker://ghcr.io/acme/base:3: reading manifest 3 in ghcr.io/acme/base: denied"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "base"}}},
		{"helm pull token", []string{"$ helm pull oci://ghcr.io/acme/charts/app --version 1.0.0", "Error: failed to authorize: failed to fetch anonymous token: unexpected status: 403 Forbidden"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromStep, "acme", "charts/app"}}},
		{"job container in Initialize containers", []string{
			"##[group]Starting job container", "/usr/bin/docker pull ghcr.io/acme/ci-image:1", "Error response from daemon: denied",
			"Warning: Docker pull failed with exit code 1, back off 3.2 seconds before retry."},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromStep, "acme", "ci-image"}}},
		{"kubelet resolve reference", []string{`Failed to pull image "ghcr.io/acme/web:2": rpc error: code = Unknown desc = failed to pull and unpack image "ghcr.io/acme/web:2": failed to resolve reference "ghcr.io/acme/web:2": pulling from host ghcr.io failed with status code [manifests 2]: 403 Forbidden`},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "web"}}},
		{"token refused while pulling is a read refusal", []string{`failed to resolve reference "ghcr.io/acme/web:2": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fweb%3Apull&service=ghcr.io: 403 Forbidden`},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "web"}}},
		{"any client's pull refused at the end of the line", []string{`Error: failed to pull image "ghcr.io/acme/app:1": unauthorized`},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "app"}}},
		// Negatives: pulls that fail for other reasons.
		{"another registry's pull refused", []string{`Error: failed to pull image "registry.example.com/acme/app:1": denied`}, nil},
		{"manifest unknown", []string{"$ docker pull ghcr.io/acme/app:nope", "Error response from daemon: manifest unknown"}, nil},
		{"ghcr 5xx", []string{"/usr/bin/docker pull ghcr.io/acme/app:1", "Error response from daemon: received unexpected HTTP status: 500 Internal Server Error"}, nil},
		{"ghcr token timeout", []string{`Error response from daemon: Head "https://ghcr.io/v2/acme/app/manifests/1": Get "https://ghcr.io/token?scope=repository%3Aacme%2Fapp%3Apull&service=ghcr.io": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`}, nil},
		{"Docker Hub pull access denied", []string{"docker: Error response from daemon: pull access denied for acme/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied."}, nil},
		{"Docker Hub rate limit", []string{"Error response from daemon: toomanyrequests: You have reached your pull rate limit."}, nil},
		{"Docker Hub pull unauthorized", []string{"$ docker pull acme/private:2", "Error response from daemon: unauthorized"}, nil},
		{"ECR no basic auth", []string{`Error response from daemon: Head "https://123.dkr.ecr.us-east-1.amazonaws.com/v2/app/manifests/1": no basic auth credentials`}, nil},
	})
}

// Class 4: a step header that is never closed does not hide the output.
func TestScanClassUnclosedHeader(t *testing.T) {
	runClassCases(t, []classCase{
		{"trimmed log keeps the output", []string{
			"2024-03-01T10:00:00.0000000Z ##[group]Run npm publish",
			"2024-03-01T10:00:00.1000000Z \x1b[36;1mnpm publish\x1b[0m",
			"[...]",
			"2024-03-01T10:00:01.0000000Z npm error 403 403 Forbidden - PUT https://npm.pkg.github.com/@acme%2fwidget - Permission permission_denied: write_package"},
			[]seen{{KindWriteDenied, RegistryNPM, RegistryFromLine, "acme", "widget"}}},
		{"script echo in cyan stays silent", []string{
			"2024-03-01T10:00:00.0000000Z ##[group]Run if grep -q denied build.log; then",
			"2024-03-01T10:00:00.1000000Z \x1b[36;1mecho 'ERROR: denied: permission_denied: write_package' >&2\x1b[0m",
			"2024-03-01T10:00:00.2000000Z \x1b[36;1mdocker push ghcr.io/acme/widget:1 || echo denied: installation not allowed to Write organization package\x1b[0m",
			"2024-03-01T10:00:00.3000000Z shell: /usr/bin/bash -e {0}"}, nil},
		{"inputs stay silent", []string{
			"##[group]Run ./scripts/check.sh",
			"env:",
			"  EXPECTED_ERROR: denied: permission_denied: write_package"}, nil},
	})
}

// Class 5: every client's shapes.
func TestScanClassClients(t *testing.T) {
	runClassCases(t, []classCase{
		{"pnpm 401", []string{" ERR_PNPM_FETCH_401  GET https://npm.pkg.github.com/@acme%2Fwidget: Unauthorized - 401"},
			[]seen{{KindAuthFailed, RegistryNPM, RegistryFromLine, "acme", "widget"}}},
		{"pnpm 403", []string{" ERR_PNPM_FETCH_403  GET https://npm.pkg.github.com/@acme%2Fwidget: Forbidden - 403"},
			[]seen{{KindReadDenied, RegistryNPM, RegistryFromLine, "acme", "widget"}}},
		{"yarn classic", []string{`error An unexpected error occurred: "https://npm.pkg.github.com/@acme%2fwidget: Request failed \"401 Unauthorized\"".`},
			[]seen{{KindAuthFailed, RegistryNPM, RegistryFromLine, "acme", "widget"}}},
		{"npm 404 on publish", []string{"npm error 404 Not Found - PUT https://npm.pkg.github.com/@acme-old%2fwidget - Not Found"},
			[]seen{{KindOwnerNotFound, RegistryNPM, RegistryFromLine, "acme-old", "widget"}}},
		{"helm older wording", []string{"Error: unexpected status code 403: denied: permission_denied: write_package", "Pushing to ghcr.io/acme/charts"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "acme", "charts"}}},
		{"rubygems bad response", []string{"ERROR:  While executing gem ... (Gem::RemoteFetcher::FetchError)", "    bad response Unauthorized 401 (https://rubygems.pkg.github.com/acme/api/v1/dependencies?gems=widget)"},
			[]seen{{KindAuthFailed, RegistryRubyGems, RegistryFromLine, "acme", ""}}},
		{"rubygems authentication required", []string{"ERROR:  Authentication is required for rubygems.pkg.github.com."},
			[]seen{{KindAuthFailed, RegistryRubyGems, RegistryFromLine, "", ""}}},
		{"maven not authorized", []string{"[ERROR] Failed to deploy artifacts: Could not transfer artifact com.acme:widget:jar:1.0 from/to github (https://maven.pkg.github.com/acme/widget): Not authorized , ReasonPhrase: Unauthorized."},
			[]seen{{KindAuthFailed, RegistryMaven, RegistryFromLine, "acme", "widget"}}},
		{"maven 422 is an upper-case artifact id", []string{"[ERROR] Failed to deploy artifacts: Could not transfer artifact com.acme:Widget:jar:1.0 from/to github (https://maven.pkg.github.com/acme/widget): Transfer failed for https://maven.pkg.github.com/acme/widget/com/acme/Widget/1.0/Widget-1.0.jar 422 Unprocessable Entity"},
			[]seen{{KindInvalidName, RegistryMaven, RegistryFromLine, "acme", "Widget"}}},
		{"nuget owner mismatch", []string{"Run dotnet nuget push pkg.nupkg --source https://nuget.pkg.github.com/acme/index.json", "error: Source owner 'acme-old' does not match repo owner 'acme'"},
			[]seen{{KindWriteDenied, RegistryNuGet, RegistryFromStep, "acme", ""}}},
		{"nuget 404 after no API key", []string{
			"Pushing Widget.1.0.0.nupkg to 'https://nuget.pkg.github.com/acme'...",
			"warn : No API Key was provided and no API Key could be found for 'https://nuget.pkg.github.com/acme'. To save an API Key for a source use the 'setApiKey' command.",
			"error: Response status code does not indicate success: 404 (Not Found)."},
			[]seen{{KindAuthFailed, RegistryNuGet, RegistryFromStep, "acme", ""}}},
		{"nuget packages service warning", []string{"Run dotnet restore", "warn : Your request could not be authenticated by the GitHub Packages service. Please ensure your access token is valid and has the appropriate scopes configured."},
			[]seen{{KindAuthFailed, RegistryNuGet, RegistryFromWording, "", ""}}},
		{"error wrapped over two lines", []string{"buildx failed with: ERROR: failed to solve: denied: installation not allowed to Write organization", "package"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"image name without owner", []string{"buildx failed with: ERROR: failed to solve: failed to push ghcr.io/widget:latest: ", "unexpected status from HEAD request to https://ghcr.io/v2/widget/blobs/sha256:0a1b: 400 Bad Request"},
			[]seen{{KindInvalidName, RegistryGHCR, RegistryFromLine, "widget", ""}}},
		{"lowercase without host", []string{"ERROR: invalid reference format: repository name (Acme/Widget) must be lowercase"},
			[]seen{{KindInvalidName, RegistryGHCR, RegistryFromWording, "", ""}}},
		{"podman bearer token while pushing", []string{"$ podman push ghcr.io/acme/ee:1", "Copying blob 5d81d317fafa done", "Error: writing blob: Requesting bearer token: invalid status code from registry 403 (Forbidden)"},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromStep, "acme", "ee"}}},
		{"podman reuse blob is a write", []string{"Error: trying to reuse blob sha256:0a at destination: failed to read from destination repository acme/ee: 403 (Forbidden)"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromWording, "acme", "ee"}}},
		{"HEAD blob while pushing is a write", []string{"ERROR: failed to push ghcr.io/acme/gw:1: unexpected status from HEAD request to https://ghcr.io/v2/acme/gw/blobs/sha256:0a: 403 Forbidden"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromLine, "acme", "gw"}}},
		{"docker login retries", []string{
			"/usr/bin/docker --config /home/runner/work/_temp/.docker_x login ghcr.io -u dev --password-stdin",
			"Warning: Docker login for 'ghcr.io' failed with exit code 1, back off 2.1 seconds before retry.",
			"Error: Docker login for 'ghcr.io' failed with exit code 1"},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromLine, "", ""}}},
		{"GitHub Packages answering like Docker Hub", []string{"Error response from daemon: pull access denied for ghcr.io/acme/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "app"}}},
		{"npm token invalid, registry named just after", []string{"npm error code E401", "npm error Unable to authenticate, your authentication token seems to be invalid.", "npm error To correct this please try logging in again with:", "npm error   npm login --registry=https://npm.pkg.github.com"},
			[]seen{{KindAuthFailed, RegistryNPM, RegistryFromStep, "", ""}}},
		{"login with an empty secret", []string{"Run echo \"$CR_PAT\" | docker login ghcr.io -u acme --password-stdin", "Error: Cannot perform an interactive login from a non TTY device"},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromStep, "", ""}}},
		{"ko repository characters", []string{"2024/03/01 10:00:00 error: KO_DOCKER_REPO: repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: ghcr.io/Acme/Widget"},
			[]seen{{KindInvalidName, RegistryGHCR, RegistryFromLine, "Acme", "Widget"}}},
		{"podman login refused", []string{`Error: logging into "ghcr.io": invalid username/password`},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromLine, "", ""}}},
		// Negatives for these rules.
		{"GitHub API refusal in a later step", []string{
			"##[group]Run actions/setup-dotnet@v4", "with:", "  source-url: https://nuget.pkg.github.com/acme/index.json", "##[endgroup]",
			"##[group]Run actions/github-script@v7", "##[endgroup]",
			"RequestError [HttpError]: Resource not accessible by integration"}, nil},
		{"podman login to another registry", []string{`Error: logging into "quay.io": invalid username/password`}, nil},
		{"public npm token invalid", []string{"npm error code E401", "npm error Unable to authenticate, your authentication token seems to be invalid.", "npm error   npm login --registry=https://npm.example.org"}, nil},
		{"empty login to Docker Hub", []string{"$ docker login -u acme --password-stdin", "Error: Cannot perform an interactive login from a non TTY device"}, nil},
		{"GitHub Packages Maven 409", []string{"> Could not PUT 'https://maven.pkg.github.com/acme/widget/com/acme/widget/1.0/widget-1.0.jar'. Received status code 409 from server: Conflict"}, nil},
		{"GitHub Packages Maven 400", []string{"Could not transfer artifact com.acme:widget:jar:1.0 from/to github (https://maven.pkg.github.com/acme/widget): status code: 400, reason phrase: Bad Request (400)"}, nil},
		{"nuget.org 403", []string{"Pushing Widget.1.0.0.nupkg to 'https://www.nuget.org/api/v2/package'...", "error: Response status code does not indicate success: 403 (The specified API key is invalid)."}, nil},
		{"nuget 404 without the API key note", []string{"Pushing Widget.1.0.0.nupkg to 'https://nuget.pkg.github.com/acme'...", "error: Response status code does not indicate success: 404 (Not Found)."}, nil},
		{"public npm 404 on publish", []string{"npm error 404 Not Found - PUT https://npm.example.org/widget - Not found"}, nil},
		{"login timeout", []string{"Logging into ghcr.io...", `Error: Error response from daemon: Get "https://ghcr.io/v2/": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`, "Error: Docker login for 'ghcr.io' failed with exit code 1"}, nil},
		{"git push 403", []string{"remote: Permission to acme/widget.git denied to github-actions[bot].", "fatal: unable to access 'https://github.com/acme/widget/': The requested URL returned error: 403"}, nil},
		{"gh CLI 403", []string{"HTTP 403: Resource not accessible by integration (https://api.github.com/repos/acme/widget/issues)"}, nil},
		{"ghcr closed pipe", []string{"buildx failed with: ERROR: failed to solve: failed to push ghcr.io/acme/widget:latest: failed to copy: io: read/write on closed pipe"}, nil},
		{"GitLab registry denied", []string{"$ docker push registry.gitlab.com/acme/widget:1", "denied: access forbidden"}, nil},
		{"Quay unauthorized", []string{"Error: writing blob: initiating layer upload to /v2/acme/widget/blobs/uploads/ in quay.io: unauthorized: access to the requested resource is not authorized"}, nil},
	})
}

// Class 7: what people paste, not only raw Actions logs.
func TestScanClassPastedLogs(t *testing.T) {
	runClassCases(t, []classCase{
		{"markdown quote", []string{"> ERROR: failed to push ghcr.io/acme/widget:1: denied: permission_denied: write_package"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromLine, "acme", "widget"}}},
		{"code fence glued to the text", []string{"```% docker pull ghcr.io/acme/private", "Error response from daemon: denied", "```"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromStep, "acme", "private"}}},
		{"PowerShell prompt", []string{`PS C:\src> docker push ghcr.io/acme/widget:1`, "denied: installation not allowed to Write organization package"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "acme", "widget"}}},
		{"web view copy with glued line numbers", []string{"1Run docker/build-push-action@v5", "12#9 ERROR: unexpected status: 403 Forbidden", "  tags: ghcr.io/acme/widget:1"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "acme", "widget"}}},
		{"step-log link markup", []string{"  /usr/bin/docker pull ghcr.io/acme/act:v[2](https://github.com/acme/widget/actions/runs/1/job/2#step:2:3).0", "  Error response from daemon: denied"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromStep, "acme", "act"}}},
		{"Azure Pipelines", []string{
			"##[section]Starting: Push image", "[command]/usr/bin/docker push ghcr.io/acme/widget:7",
			"The push refers to repository [ghcr.io/acme/widget]", "denied: permission_denied: write_package",
			"##[error]denied: permission_denied: write_package", "##[section]Finishing: Push image"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromStep, "acme", "widget"}}},
		{"GitLab CI", []string{
			"section_start:1700000000:step_script\r\x1b[0KExecuting \"step_script\" stage of the job script",
			"$ docker push ghcr.io/acme/widget:7", "The push refers to repository [ghcr.io/acme/widget]",
			"unauthorized: unauthenticated: User cannot be authenticated with the token provided.",
			"section_end:1700000001:step_script\r\x1b[0K"},
			[]seen{{KindAuthFailed, RegistryGHCR, RegistryFromStep, "acme", "widget"}}},
		{"gh run view --log", []string{"build\tPush\t2024-03-01T10:00:01.0000000Z ERROR: failed to push ghcr.io/acme/widget:1: denied: permission_denied: write_package"},
			[]seen{{KindWriteDenied, RegistryGHCR, RegistryFromLine, "acme", "widget"}}},
		{"annotated session output", []string{"podman pull ghcr.io/acme/private:1", "# → Error: reading manifest 1 in ghcr.io/acme/private: denied"},
			[]seen{{KindReadDenied, RegistryGHCR, RegistryFromLine, "acme", "private"}}},
		// Negatives: pasted look-alikes.
		{"Azure Pipelines to Docker Hub", []string{
			"##[section]Starting: Push services", "[command]/usr/bin/docker push acme/web", "The push refers to repository [docker.io/acme/web]",
			"denied: requested access to the resource is denied", "##[error]denied: requested access to the resource is denied"}, nil},
		{"quoted command only", []string{"> $ docker push ghcr.io/acme/widget:1 # fails with denied: permission_denied: write_package"}, nil},
	})
}

// Class 8: GitHub Enterprise Server and GHE.com registries.
func TestScanClassEnterpriseHosts(t *testing.T) {
	line := "ERROR: failed to push containers.ghe.example.com/acme/widget:1: unexpected status from POST request to https://containers.ghe.example.com/v2/acme/widget/blobs/uploads/: 403 Forbidden\n"

	res := scanString(t, line)
	assert.Empty(t, res.Findings, "an unknown host is not GitHub Packages")

	hosts, err := NewRegistryHosts("https://ghe.example.com/")
	assert.NoError(t, err)
	got, err := Scanner{Hosts: hosts}.Scan(strings.NewReader(line))
	assert.NoError(t, err)
	assert.Equal(t, []seen{{KindWriteDenied, "containers.ghe.example.com", RegistryFromLine, "acme", "widget"}}, seenOf(got.Findings))

	got, err = Scanner{Hosts: hosts}.Scan(strings.NewReader("npm error 403 403 Forbidden - PUT https://npm.ghe.example.com/@acme%2fwidget - Forbidden\n"))
	assert.NoError(t, err)
	assert.Equal(t, []seen{{KindWriteDenied, "npm.ghe.example.com", RegistryFromLine, "acme", "widget"}}, seenOf(got.Findings))

	got, err = Scanner{Hosts: hosts}.Scan(strings.NewReader("denied: permission_denied: write_package\n"))
	assert.NoError(t, err)
	assert.Equal(t, []seen{{KindWriteDenied, "containers.ghe.example.com", RegistryFromWording, "", ""}}, seenOf(got.Findings),
		"the wording names the enterprise registry")

	tenant := scanString(t, "#9 ERROR: failed to push containers.octo.ghe.com/acme/widget:1: denied: installation not allowed to Write organization package\n")
	assert.Equal(t, []seen{{KindWriteDenied, "containers.octo.ghe.com", RegistryFromLine, "acme", "widget"}}, seenOf(tenant.Findings))

	for _, bad := range []string{"", "not a host", "https://", "ghe"} {
		_, err := NewRegistryHosts(bad)
		assert.Error(t, err, bad)
	}
	one, err := NewRegistryHosts("containers.ghe.example.com")
	assert.NoError(t, err)
	assert.True(t, one.isRegistry("containers.ghe.example.com"))
	assert.False(t, one.isRegistry("npm.ghe.example.com"), "one registry host adds that registry only")
}
