package workflow

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loginSummary is the part of a Login a table compares.
type loginSummary struct {
	Step       int
	Registry   string
	User, Pass string
	PassLine   int
	Credential CredentialKind
	Secret     string
	Line       int
}

func summarizeLogins(ls []Login) []loginSummary {
	out := make([]loginSummary, 0, len(ls))
	for _, l := range ls {
		out = append(out, loginSummary{l.Step.Index, l.Registry, l.Username.Str, l.Password.Str, l.Password.Line, l.Credential, l.SecretName, l.Line})
	}
	return out
}

func TestLoginsFixtures(t *testing.T) {
	tests := []struct {
		file, job string
		want      []loginSummary
	}{
		{"build-push-metadata.yml", "build", []loginSummary{{1, "ghcr.io", "${{ github.actor }}", "${{ secrets.GITHUB_TOKEN }}", 32, CredentialGitHubToken, "", 26}}},
		{"job-perms-no-packages.yml", "image", []loginSummary{{1, "ghcr.io", "${{ github.repository_owner }}", "${{ github.token }}", 18, CredentialGitHubToken, "", 14}}},
		{"workflow-packages-write.yml", "push", []loginSummary{{1, "ghcr.io", "${{ github.actor }}", "${{ secrets.GITHUB_TOKEN }}", 11, CredentialGitHubToken, "", 11}}},
		{"podman-buildah.yml", "build", []loginSummary{
			{1, "ghcr.io", "${{ github.actor }}", "${{ secrets.GITHUB_TOKEN }}", 16, CredentialGitHubToken, "", 11},
			{2, "ghcr.io", "$GITHUB_ACTOR", "$TOKEN", 20, CredentialGitHubToken, "", 20},
		}},
		{"helm-chart.yml", "chart", []loginSummary{{1, "ghcr.io", "${{ github.actor }}", "${{ secrets.GITHUB_TOKEN }}", 14, CredentialGitHubToken, "", 14}}},
		{"npm-publish.yml", "publish-gpr", []loginSummary{{3, "npm.pkg.github.com", "", "${{secrets.GITHUB_TOKEN}}", 19, CredentialGitHubToken, "", 17}}},
		{"maven-deploy.yml", "build", []loginSummary{{2, "maven.pkg.github.com", "", "${{ github.token }}", 23, CredentialGitHubToken, "", 20}}},
		{"cr-pat.yml", "deploy", []loginSummary{{0, "ghcr.io", "USERNAME", "${{ secrets.CR_PAT }}", 7, CredentialSecret, "CR_PAT", 7}}},
		{"app-token.yml", "push", []loginSummary{
			{1, "ghcr.io", "x-access-token", "${{ steps.app-token.outputs.token }}", 15, CredentialAppToken, "", 11},
			{2, "ghcr.io", "x", "${{ env.TOKEN }}", 19, CredentialAppToken, "", 19},
		}},
		{"anchors.yml", "b", []loginSummary{{0, "ghcr.io", "${{ github.actor }}", "${{ secrets.GITHUB_TOKEN }}", 14, CredentialGitHubToken, "", 19}}},
		{"goreleaser.yml", "goreleaser", []loginSummary{{1, "ghcr.io", "${{ github.repository_owner }}", "${{ secrets.GITHUB_TOKEN }}", 17, CredentialGitHubToken, "", 13}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			j := parseFixture(t, tt.file).Job(tt.job)
			require.NotNil(t, j)
			assert.Equal(t, tt.want, summarizeLogins(j.Logins()))
		})
	}
}

func TestLoginsScripts(t *testing.T) {
	tests := []struct {
		name   string
		env    string // step env lines, indented by 8
		run    string // one script line
		want   loginSummary
		noneOK bool
	}{
		{name: "docker -p flag", run: `docker login ghcr.io -u me -p ${{ secrets.GHCR_TOKEN }}`,
			want: loginSummary{Registry: "ghcr.io", User: "me", Pass: "${{ secrets.GHCR_TOKEN }}", Credential: CredentialSecret, Secret: "GHCR_TOKEN"}},
		{name: "docker hub default", run: `docker login --username me --password-stdin <<< "${{ secrets.DOCKERHUB }}"`,
			want: loginSummary{Registry: "", User: "me", Pass: "${{ secrets.DOCKERHUB }}", Credential: CredentialSecret, Secret: "DOCKERHUB"}},
		{name: "podman --password=", run: `podman login --username=me --password=${{ github.token }} ghcr.io`,
			want: loginSummary{Registry: "ghcr.io", User: "me", Pass: "${{ github.token }}", Credential: CredentialGitHubToken}},
		{name: "oras via env", env: "GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}", run: `echo "$GH_TOKEN" | oras login ghcr.io -u bot --password-stdin`,
			want: loginSummary{Registry: "ghcr.io", User: "bot", Pass: "$GH_TOKEN", Credential: CredentialGitHubToken}},
		{name: "crane auth", run: `crane auth login ghcr.io -u bot -p "${{ secrets.PACKAGES_PAT }}"`,
			want: loginSummary{Registry: "ghcr.io", User: "bot", Pass: "${{ secrets.PACKAGES_PAT }}", Credential: CredentialSecret, Secret: "PACKAGES_PAT"}},
		{name: "ko built in the job", run: `echo "${{ github.token }}" | ./ko login ghcr.io --username "${{ github.actor }}" --password-stdin`,
			want: loginSummary{Registry: "ghcr.io", User: "${{ github.actor }}", Pass: "${{ github.token }}", Credential: CredentialGitHubToken}},
		{name: "sudo and path", run: `sudo /usr/bin/docker login https://ghcr.io/v2/ -u x -p ''`,
			want: loginSummary{Registry: "ghcr.io", User: "x", Pass: "", Credential: CredentialEmpty}},
		{name: "stdin from file", run: `cat token.txt | docker login ghcr.io -u x --password-stdin`,
			want: loginSummary{Registry: "ghcr.io", User: "x", Pass: "cat token.txt", Credential: CredentialUnknown}},
		{name: "fallback expression", run: `docker login ghcr.io -u x -p ${{ secrets.CR_PAT || secrets.GITHUB_TOKEN }}`,
			want: loginSummary{Registry: "ghcr.io", User: "x", Pass: "${{ secrets.CR_PAT || secrets.GITHUB_TOKEN }}", Credential: CredentialSecret, Secret: "CR_PAT"}},
		{name: "npmrc token", run: `echo "//npm.pkg.github.com/:_authToken=${{ secrets.NPM_GPR }}" >> ~/.npmrc`,
			want: loginSummary{Registry: "npm.pkg.github.com", Pass: "${{ secrets.NPM_GPR }}", Credential: CredentialSecret, Secret: "NPM_GPR"}},
		{name: "dotnet nuget push", run: `dotnet nuget push "bin/Release/*.nupkg" --api-key ${{ secrets.GITHUB_TOKEN }} --source "https://nuget.pkg.github.com/acme/index.json"`,
			want: loginSummary{Registry: "nuget.pkg.github.com", Pass: "${{ secrets.GITHUB_TOKEN }}", Credential: CredentialGitHubToken}},
		{name: "dotnet add source", run: `dotnet nuget add source --username acme --password ${{ secrets.NUGET_PAT }} --store-password-in-clear-text --name github "https://nuget.pkg.github.com/acme/index.json"`,
			want: loginSummary{Registry: "nuget.pkg.github.com", User: "acme", Pass: "${{ secrets.NUGET_PAT }}", Credential: CredentialSecret, Secret: "NUGET_PAT"}},
		{name: "gem push", env: "GEM_HOST_API_KEY: \"Bearer ${{ secrets.GITHUB_TOKEN }}\"", run: `gem push --KEY github --host https://rubygems.pkg.github.com/${OWNER} *.gem`,
			want: loginSummary{Registry: "rubygems.pkg.github.com", Pass: "Bearer ${{ secrets.GITHUB_TOKEN }}", Credential: CredentialGitHubToken}},
		{name: "inputs are unknown", run: `docker login ghcr.io -u x -p ${{ inputs.token }}`,
			want: loginSummary{Registry: "ghcr.io", User: "x", Pass: "${{ inputs.token }}", Credential: CredentialUnknown}},
		{name: "no login", run: `docker build .`, noneOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: " + quoteYAML(tt.run) + "\n"
			if tt.env != "" {
				src += "        env:\n          " + tt.env + "\n"
			}
			f, err := Parse([]byte(src))
			require.NoError(t, err, src)
			got := summarizeLogins(f.Jobs[0].Logins())
			if tt.noneOK {
				assert.Empty(t, got)
				return
			}
			tt.want.Line, tt.want.PassLine = 6, 6
			if tt.name == "gem push" {
				tt.want.PassLine = 8
			}
			require.Len(t, got, 1, src)
			assert.Equal(t, tt.want, got[0])
		})
	}
}

// quoteYAML single-quotes a string for a flow scalar.
func quoteYAML(s string) string {
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += "''"
			continue
		}
		out += string(r)
	}
	return out + "'"
}
