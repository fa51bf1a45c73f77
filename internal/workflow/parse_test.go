package workflow

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseFixture(t *testing.T, name string) *File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "parse", name))
	require.NoError(t, err)
	f, err := Parse(src)
	require.NoError(t, err, name)
	return f
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, f *File)
	}{
		{"build-push-metadata.yml", func(t *testing.T, f *File) {
			assert.Equal(t, "Docker", f.Name)
			assert.Equal(t, []string{"push", "pull_request"}, f.Events)
			assert.Nil(t, f.Permissions)
			assert.Equal(t, Value{Str: "ghcr.io", Line: 11}, f.Env["REGISTRY"])
			j := f.Job("build")
			require.NotNil(t, j)
			assert.Equal(t, 15, j.Line)
			assert.Equal(t, "ubuntu-latest", j.RunsOn)
			require.NotNil(t, j.Permissions)
			assert.Equal(t, 17, j.Permissions.Line)
			assert.Equal(t, Scope{Level: "write", Line: 19}, j.Permissions.Scopes["packages"])
			assert.Equal(t, Scope{Level: "write", Line: 20}, j.Permissions.Scopes["id-token"])
			require.Len(t, j.Steps, 4)
			login := j.Steps[1]
			assert.Equal(t, 26, login.Line)
			assert.Equal(t, "github.event_name != 'pull_request'", login.If)
			assert.Equal(t, Value{Str: "${{ env.REGISTRY }}", Line: 30}, login.With["registry"])
			assert.Equal(t, "meta", j.Steps[2].ID)
		}},
		{"job-perms-no-packages.yml", func(t *testing.T, f *File) {
			j := f.Job("image")
			assert.Equal(t, "Build image", j.Name)
			assert.Equal(t, Scope{Level: "read", Line: 10}, j.Permissions.Scopes["contents"])
			assert.Equal(t, "none", j.Permissions.Level("packages"))
			assert.Equal(t, "write", j.Permissions.Level("pull-requests"))
			assert.Equal(t, Value{Str: "ghcr.io/${{ github.repository }}:latest\nghcr.io/${{ github.repository }}:${{ github.ref_name }}\n", Line: 23}, j.Steps[2].With["tags"])
		}},
		{"workflow-packages-write.yml", func(t *testing.T, f *File) {
			require.NotNil(t, f.Permissions)
			assert.Equal(t, 2, f.Permissions.Line)
			assert.Equal(t, "write", f.Permissions.Level("packages"))
			j := f.Jobs[0]
			assert.Nil(t, j.Permissions)
			assert.Equal(t, 11, j.Steps[1].RunLine, "block scalar text starts after the | line")
		}},
		{"read-all.yml", func(t *testing.T, f *File) {
			assert.Equal(t, []string{"push", "workflow_dispatch"}, f.Events)
			assert.Equal(t, ReadAll, f.Permissions.Shorthand)
			assert.Equal(t, "read", f.Permissions.Level("packages"))
			assert.Equal(t, "none", f.Permissions.Level("id-token"))
		}},
		{"write-all.yml", func(t *testing.T, f *File) {
			assert.Equal(t, []string{"schedule"}, f.Events)
			p := f.Job("nightly").Permissions
			assert.Equal(t, WriteAll, p.Shorthand)
			assert.Equal(t, 7, p.Line)
			assert.Equal(t, "write", p.Level("packages"))
		}},
		{"empty-perms.yml", func(t *testing.T, f *File) {
			assert.True(t, f.Permissions.Empty)
			assert.Equal(t, "none", f.Permissions.Level("contents"))
		}},
		{"flow-perms.yml", func(t *testing.T, f *File) {
			assert.Equal(t, []string{"push"}, f.Events, "quoted 'on' key")
			j := f.Job("docker")
			assert.Equal(t, Scope{Level: "write", Line: 3}, j.Permissions.Scopes["packages"])
			require.Len(t, j.Steps, 2)
			assert.Equal(t, "docker push ghcr.io/acme/x", j.Steps[1].Run)
		}},
		{"reusable-caller.yml", func(t *testing.T, f *File) {
			require.Len(t, f.Jobs, 3)
			assert.Equal(t, []string{"test", "call-build", "call-remote"}, []string{f.Jobs[0].ID, f.Jobs[1].ID, f.Jobs[2].ID})
			c := f.Job("call-build")
			assert.Equal(t, "./.github/workflows/build.yml", c.Uses)
			assert.Equal(t, 13, c.UsesLine)
			assert.Equal(t, []string{"test"}, c.Needs)
			assert.Equal(t, &Secrets{Inherit: true, Line: 17}, c.Secrets)
			assert.Equal(t, Value{Str: "ghcr.io/acme/api", Line: 15}, c.With["image"])
			r := f.Job("call-remote")
			assert.Equal(t, []string{"test", "call-build"}, r.Needs)
			assert.Equal(t, Value{Str: "${{ secrets.CR_PAT }}", Line: 22}, r.Secrets.Named["token"])
		}},
		{"matrix.yml", func(t *testing.T, f *File) {
			assert.True(t, f.Job("build").Matrix)
			assert.Equal(t, "${{ matrix.os }}", f.Job("build").RunsOn)
			assert.Equal(t, "Image ${{ matrix.variant }}", f.Job("image").Name)
		}},
		{"podman-buildah.yml", func(t *testing.T, f *File) {
			assert.Equal(t, Value{Str: "ghcr.io/${{ github.repository_owner }}", Line: 3}, f.Env["IMAGE_REGISTRY"])
			assert.Equal(t, Value{Str: "${{ secrets.GITHUB_TOKEN }}", Line: 23}, f.Jobs[0].Steps[2].Env["TOKEN"])
		}},
		{"helm-chart.yml", func(t *testing.T, f *File) {
			assert.Equal(t, 13, f.Jobs[0].Steps[1].RunLine)
		}},
		{"npm-publish.yml", func(t *testing.T, f *File) {
			assert.Equal(t, Value{Str: "https://npm.pkg.github.com/", Line: 15}, f.Jobs[0].Steps[1].With["registry-url"])
		}},
		{"maven-deploy.yml", func(t *testing.T, f *File) {
			s := f.Jobs[0].Steps[1]
			assert.Equal(t, 13, s.Line)
			assert.Equal(t, Value{Str: "17", Line: 16}, s.With["java-version"])
		}},
		{"goreleaser.yml", func(t *testing.T, f *File) {
			assert.Equal(t, "write", f.Permissions.Level("contents"))
			assert.Equal(t, Value{Str: "ghcr.io/${{ github.repository }}", Line: 10}, f.Jobs[0].Env["KO_DOCKER_REPO"])
		}},
		{"cr-pat.yml", func(t *testing.T, f *File) {
			assert.Equal(t, 7, f.Jobs[0].Steps[0].RunLine, "plain scalar run on the key's line")
		}},
		{"app-token.yml", func(t *testing.T, f *File) {
			assert.Equal(t, "app-token", f.Jobs[0].Steps[0].ID)
		}},
		{"crlf.yml", func(t *testing.T, f *File) {
			j := f.Jobs[0]
			assert.Equal(t, Scope{Level: "read", Line: 7}, j.Permissions.Scopes["packages"])
			assert.Equal(t, "docker push ghcr.io/acme/crlf:1\n", j.Steps[0].Run)
			assert.Equal(t, 10, j.Steps[0].RunLine)
		}},
		{"anchors.yml", func(t *testing.T, f *File) {
			a, b := f.Job("a"), f.Job("b")
			assert.Equal(t, 5, a.Permissions.Line)
			assert.Equal(t, 17, b.Permissions.Line, "the alias site")
			assert.Equal(t, "write", b.Permissions.Level("packages"))
			assert.Equal(t, 7, b.Permissions.Scopes["packages"].Line, "scopes keep the anchored lines")
			require.Len(t, b.Steps, 2)
			assert.Equal(t, 19, b.Steps[0].Line)
			assert.Equal(t, "docker/login-action@v3", b.Steps[0].Uses)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tt.check(t, parseFixture(t, tt.file))
		})
	}
}

func TestParseAcceptsBOMAndUnknownScopes(t *testing.T) {
	src := "\xef\xbb\xbfon: push\npermissions:\n  packages: write\n  metadata: read\njobs:\n  a:\n    runs-on: x\n"
	f, err := Parse([]byte(src))
	require.NoError(t, err)
	assert.Equal(t, []string{"metadata"}, f.Permissions.Unknown)
	assert.Equal(t, "write", f.Permissions.Level("packages"))
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
		msg  string
	}{
		{"empty", "", 1, "empty"},
		{"comment only", "# nothing\n", 1, "empty"},
		{"not a mapping", "- a\n- b\n", 1, "must be a mapping"},
		{"no jobs", "on: push\nname: x\n", 1, "no jobs: key"},
		{"jobs is a list", "on: push\njobs:\n  - a\n", 2, "jobs: must be a mapping"},
		{"jobs empty", "on: push\njobs: {}\n", 2, "has no jobs"},
		{"job is a string", "on: push\njobs:\n  a: b\n", 3, `job "a" must be a mapping`},
		{"steps not a list", "on: push\njobs:\n  a:\n    steps: x\n", 4, "must be a list"},
		{"step not a map", "on: push\njobs:\n  a:\n    steps:\n      - run\n", 5, "must be a mapping"},
		{"tab indentation", "on: push\njobs:\n\ta: {}\n", 3, "invalid YAML"},
		{"unclosed flow", "on: push\njobs:\n  a: {steps: [\n", 3, "invalid YAML"},
		{"mapping in scalar", "on: push\njobs:\n  a: b: c\n", 3, "invalid YAML"},
		{"mapping on line 1", "on: a: b\n", 1, "invalid YAML"},
		{"unknown alias", "on: push\njobs:\n  a:\n    steps: *nope\n", 4, "unknown anchor"},
		{"bad permissions string", "on: push\npermissions: read\njobs:\n  a: {}\n", 2, `"read" is not read-all`},
		{"bad level", "on: push\njobs:\n  a:\n    permissions:\n      packages: admin\n", 5, `level "admin"`},
		{"permissions null", "on: push\njobs:\n  a:\n    permissions:\n", 4, "has no value"},
		{"permissions list", "on: push\njobs:\n  a:\n    permissions: [packages]\n", 4, "must be read-all"},
		{"duplicate job", "on: push\njobs:\n  a: {}\n  a: {}\n", 4, `key "a" twice`},
		{"duplicate scope", "on: push\njobs:\n  a:\n    permissions:\n      packages: read\n      packages: write\n", 6, "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.src))
			require.Error(t, err)
			assert.Nil(t, f)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.line, pe.Line, err.Error())
			assert.Contains(t, pe.Msg, tt.msg)
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "parse", "*.yml"))
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("&a [*a]"))
	f.Add([]byte("on: push\njobs:\n  a: &j\n    steps: [*j]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		wf, err := Parse(src)
		if err != nil {
			var pe *ParseError
			if !assert.ErrorAs(t, err, &pe) || pe.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, j := range wf.Jobs {
			_ = j.Logins()
			for _, r := range j.ImageRefs() {
				_ = r.UppercaseRisk()
			}
			_ = wf.JobForRunName(j.ID)
			_ = EffectivePermission(wf, j, "packages", "read")
		}
	})
}
