package workflow

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPublishes(t *testing.T) {
	type pub struct {
		Tool, Host string
		Line       int
		Refs       []string // resolved
		Credential CredentialKind
	}
	tests := []struct {
		name  string
		steps string
		env   string
		want  []pub
	}{
		{"build-push with push true", `
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/a:1,acme/a:1`, "",
			[]pub{{ToolBuildPush, "ghcr.io", 11, []string{"ghcr.io/acme/a:1"}, CredentialGitHubToken}, {ToolBuildPush, "docker.io", 11, []string{"acme/a:1"}, ""}}},
		{"build-push without push builds only", `
      - uses: docker/build-push-action@v6
        with:
          tags: ghcr.io/acme/a:1`, "", nil},
		{"metadata-action tags are lower-cased images", `
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: ghcr.io/${{ github.repository }}
      - uses: docker/build-push-action@v6
        with:
          push: ${{ github.event_name != 'pull_request' }}
          tags: ${{ steps.meta.outputs.tags }}`, "",
			[]pub{{ToolBuildPush, "ghcr.io", 11, []string{"ghcr.io/${{ github.repository }}"}, ""}}},
		{"docker push, not build or pull", `
      - run: |
          docker pull ghcr.io/acme/base:1
          docker build -t ghcr.io/acme/a:1 .
          docker push ghcr.io/acme/a:1`, "",
			[]pub{{ToolDocker, "ghcr.io", 10, []string{"ghcr.io/acme/a:1"}, ""}}},
		{"env resolved", `
      - run: docker push $IMAGE:latest`, "IMAGE: ghcr.io/acme/x",
			[]pub{{ToolDocker, "ghcr.io", 8, []string{"ghcr.io/acme/x:latest"}, ""}}},
		{"lower-cased in the script keeps its host", `
      - run: |
          IMAGE=ghcr.io/${GITHUB_REPOSITORY,,}
          docker push $IMAGE:1`, "",
			[]pub{{ToolDocker, "ghcr.io", 9, []string{"ghcr.io/${GITHUB_REPOSITORY,,}:1"}, ""}}},
		{"helm, oras, crane", `
      - run: |
          helm push c.tgz oci://ghcr.io/acme/charts
          oras push ghcr.io/acme/art:1 f.txt
          crane push img.tar ghcr.io/acme/img:1`, "",
			[]pub{{ToolHelm, "ghcr.io", 8, []string{"oci://ghcr.io/acme/charts"}, ""}, {ToolOras, "ghcr.io", 9, []string{"ghcr.io/acme/art:1"}, ""}, {ToolCrane, "ghcr.io", 10, []string{"ghcr.io/acme/img:1"}, ""}}},
		{"npm publish takes setup-node's registry", `
      - uses: actions/setup-node@v4
        with:
          registry-url: https://npm.pkg.github.com
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: ${{ secrets.GITHUB_TOKEN }}`, "",
			[]pub{{ToolNpm, "npm.pkg.github.com", 10, nil, CredentialGitHubToken}}},
		{"npm publish --dry-run publishes nothing", `
      - run: npm publish --dry-run`, "", nil},
		{"gradle publish with GITHUB_TOKEN", `
      - run: ./gradlew publish
        env:
          TOKEN: ${{ secrets.GITHUB_TOKEN }}`, "",
			[]pub{{ToolGradle, "maven.pkg.github.com", 7, nil, CredentialGitHubToken}}},
		{"mvn deploy to Maven Central is not GitHub's", `
      - run: mvn deploy
        env:
          OSSRH_TOKEN: ${{ secrets.OSSRH_TOKEN }}`, "",
			[]pub{{ToolMaven, "", 7, nil, CredentialSecret}}},
		{"nuget and gem", `
      - run: dotnet nuget push x.nupkg --source https://nuget.pkg.github.com/acme/index.json --api-key ${{ secrets.GITHUB_TOKEN }}
      - run: gem push x.gem --host https://rubygems.pkg.github.com/acme
        env:
          GEM_HOST_API_KEY: Bearer ${{ secrets.GITHUB_TOKEN }}`, "",
			[]pub{{ToolNuGet, "nuget.pkg.github.com", 7, []string{"https://nuget.pkg.github.com/acme/index.json"}, CredentialGitHubToken}, {ToolGem, "rubygems.pkg.github.com", 8, []string{"https://rubygems.pkg.github.com/acme"}, CredentialGitHubToken}}},
		{"goreleaser release, not snapshot", `
      - uses: goreleaser/goreleaser-action@v6
        with:
          args: release --clean
      - run: goreleaser release --snapshot`, "",
			[]pub{{ToolGoReleaser, "", 7, nil, ""}}},
		{"attestation pushed to the registry", `
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: actions/attest-build-provenance@v2
        with:
          subject-name: ghcr.io/acme/app
          subject-digest: ${{ steps.push.outputs.digest }}
          push-to-registry: true`, "",
			[]pub{{ToolAttest, "ghcr.io", 13, []string{"ghcr.io/acme/app"}, CredentialGitHubToken}}},
		{"attestation kept in the attestations API", `
      - uses: actions/attest-build-provenance@v2
        with:
          subject-name: ghcr.io/acme/app
          subject-digest: ${{ steps.push.outputs.digest }}`, "",
			nil},
		{"attestation of files", `
      - uses: actions/attest@v4
        with:
          subject-path: dist/app
          push-to-registry: true`, "",
			nil},
		{"bake pushing through an output override", `
      - uses: docker/bake-action@v6
        with:
          files: docker-bake.hcl
          set: |
            *.output=type=image,push-by-digest=true,push=true`, "",
			[]pub{{ToolBake, "", 7, nil, ""}}},
		{"bake loading into the local store", `
      - uses: docker/bake-action@v6
        with:
          set: |
            *.output=type=docker`, "",
			nil},
		{"ko inside a command substitution", `
      - env:
          KO_DOCKER_REPO: ghcr.io/acme
        run: |
          img=$(ko build --bare ./cmd/app)
          echo "built $(date)"`, "",
			[]pub{{ToolKo, "ghcr.io", 10, []string{"ghcr.io/acme"}, ""}}},
		{"skopeo copy into the local daemon", `
      - run: skopeo copy "oci:image:$TAG" "docker-daemon:$NAME"`, "",
			nil},
		{"skopeo copy to a registry", `
      - run: skopeo copy --dest-creds "u:$T" docker-archive:img.tar docker://ghcr.io/acme/app:1`, "",
			[]pub{{ToolSkopeo, "ghcr.io", 7, []string{"ghcr.io/acme/app:1"}, ""}}},
		{"registry from an expression is not known", `
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ${{ inputs.registry }}/acme/a:1`, "",
			[]pub{{ToolBuildPush, "", 7, []string{"${{ inputs.registry }}/acme/a:1"}, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n"
			if tt.env != "" {
				src += "    env:\n      " + tt.env + "\n"
			} else {
				src += "    env: {}\n"
			}
			src += "    steps:" + tt.steps + "\n"
			f, err := Parse([]byte(src))
			require.NoError(t, err, src)
			var got []pub
			for _, p := range f.Jobs[0].Publishes() {
				g := pub{Tool: p.Tool, Host: p.Host, Line: p.Line}
				for _, r := range p.Refs {
					g.Refs = append(g.Refs, r.Resolved)
				}
				if p.Login != nil {
					g.Credential = p.Login.Credential
				}
				got = append(got, g)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRefHost(t *testing.T) {
	tests := []struct{ ref, host string }{
		{"ghcr.io/acme/app:1", "ghcr.io"},
		{"GHCR.IO/acme/app", "ghcr.io"},
		{"acme/app:1", "docker.io"},
		{"${{ github.repository }}:latest", "docker.io"},
		{"${{ github.repository_owner }}/app", "docker.io"},
		{"${GITHUB_REPOSITORY,,}", "docker.io"},
		{"ghcr.io/${{ github.repository }}", "ghcr.io"},
		{"${{ env.REGISTRY }}/acme/app", ""},
		{"$REGISTRY/acme/app", ""},
		{"localhost:5000/app", "localhost:5000"},
		{"oci://ghcr.io/acme/charts", "ghcr.io"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			assert.Equal(t, tt.host, RefHost(tt.ref))
		})
	}
}

func TestNamePartAndOpaqueParts(t *testing.T) {
	tests := []struct {
		ref, name string
		opaque    []string
	}{
		{"ghcr.io/acme/app:1.0", "acme/app", nil},
		{"ghcr.io/acme/app@sha256:abc", "acme/app", nil},
		{"ghcr.io/acme/${{ matrix.image }}:${{ github.sha }}", "acme/${{ matrix.image }}", []string{"${{ matrix.image }}"}},
		{"ghcr.io/${{ github.repository }}:latest", "${{ github.repository }}", nil},
		{"ghcr.io/${GITHUB_REPOSITORY,,}:1", "${GITHUB_REPOSITORY,,}", nil},
		{"ghcr.io/acme/$NAME:1", "acme/$NAME", []string{"$NAME"}},
		{"ghcr.io/{{ .Env.OWNER }}/tool:{{ .Version }}", "{{ .Env.OWNER }}/tool", []string{"{{ .Env.OWNER }}"}},
		{"oci://ghcr.io/acme/charts", "acme/charts", nil},
		{"ghcr.io/acme/app:$(echo $TAG | sed 's/^v*//')", "acme/app", nil},
		{"ghcr.io/acme/app:${VERSION:-dev}", "acme/app", nil},
		{"ghcr.io/${OWNER,,}/app:${TAG//./-}", "${OWNER,,}/app", nil},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			assert.Equal(t, tt.name, NamePart(tt.ref))
			assert.Equal(t, tt.opaque, OpaqueNameParts(tt.ref))
		})
	}
}

func TestPublishDir(t *testing.T) {
	tests := []struct {
		name, defaults, step string
		want                 string
	}{
		{"root", "", "      - run: npm publish", ""},
		{"step working-directory", "", "      - working-directory: ./packages/client/\n        run: npm publish", "packages/client"},
		{"job default", "    defaults:\n      run:\n        working-directory: web\n", "      - run: npm publish", "web"},
		{"cd in the script", "", "      - run: cd packages/a && npm publish --access public", "packages/a"},
		{"cd relative to the working directory", "", "      - working-directory: packages\n        run: cd a; npm publish", "packages/a"},
		{"folder argument", "", "      - run: npm publish --tag next dist/pkg", "dist/pkg"},
		{"workspace path", "", "      - run: npm publish -w packages/b", "packages/b"},
		{"workspace by name", "", "      - run: npm publish --workspace @acme/b", "$@acme/b"},
		{"every workspace", "", "      - run: pnpm -r publish", "$workspaces"},
		{"tarball", "", "      - run: npm publish ./acme-1.0.0.tgz", "$./acme-1.0.0.tgz"},
		{"cd to a variable", "", "      - run: cd $PKG && npm publish", "$$PKG"},
		{"cd out of the repository stays inside", "", "      - run: cd ../../x && npm publish", "x"},
		{"workspace root", "", "      - working-directory: ${{ github.workspace }}/site\n        run: npm publish", "site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n" + tt.defaults + "    steps:\n" + tt.step + "\n"
			f, err := Parse([]byte(src))
			require.NoError(t, err, src)
			ps := f.Jobs[0].Publishes()
			require.Len(t, ps, 1, src)
			assert.Equal(t, tt.want, ps[0].Dir)
		})
	}
}

func TestNpmPublishCommand(t *testing.T) {
	tests := []struct {
		cmd  string
		want bool
	}{
		{"npm publish", true},
		{"npm publish --access public", true},
		{"yarn npm publish", true},
		{"yarn publish --non-interactive", true},
		{"pnpm -r publish --no-git-checks", true},
		{"pnpm --filter @acme/web publish", true},
		{"npm run publish", false},
		{"npm run build", false},
		{"pnpm install", false},
		{"npm", false},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			assert.Equal(t, tt.want, npmPublishCommand(strings.Fields(tt.cmd)))
		})
	}
}

func TestGoreleaserPublishes(t *testing.T) {
	tests := []struct {
		args string
		want bool
	}{
		{"release --clean", true},
		{"--clean", true},
		{"release --clean --snapshot", false},
		{"release --clean --split", false},
		{"release --skip=publish,sign", false},
		{"release --skip=validate", true},
		{"continue --merge", true},
		{"continue", false},
		{"publish --merge", true},
		{"build --single-target", false},
		{"check", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			assert.Equal(t, tt.want, goreleaserPublishes(strings.Fields(tt.args)))
		})
	}
}
