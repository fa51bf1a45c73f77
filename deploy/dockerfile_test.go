package deploy_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/version"
)

const (
	// binaryPath is where the image keeps the server.
	binaryPath = "/usr/local/bin/bot"
	// imageDataDir is the queue's data directory inside the image.
	imageDataDir = "/var/lib/ghcr-doctor"
)

func loadDockerfile(t *testing.T) *dockerfile {
	t.Helper()
	return parseDockerfile(t, string(readFile(t, "Dockerfile")))
}

// imageCommand is the image's ENTRYPOINT followed by its CMD.
func imageCommand(t *testing.T) []string {
	t.Helper()
	final := loadDockerfile(t).final()
	entry := execForm(t, "ENTRYPOINT", final.last("ENTRYPOINT"))
	return append(entry, execForm(t, "CMD", final.last("CMD"))...)
}

// configFlag returns the value of --config in a serve command line.
func configFlag(t *testing.T, args []string) string {
	t.Helper()
	for i, a := range args {
		if a == "--config" && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, "--config="); ok {
			return v
		}
	}
	t.Fatalf("no --config in %q", args)
	return ""
}

func TestDockerfileFinalStageIsDistrolessNonRoot(t *testing.T) {
	final := loadDockerfile(t).final()

	assert.True(t, strings.HasPrefix(final.image, "gcr.io/distroless/static-debian12:"),
		"final image %q: distroless static (CA certificates, no shell)", final.image)
	assert.True(t, strings.HasSuffix(final.image, ":nonroot"), "final image %q: the nonroot variant", final.image)

	user := final.last("USER")
	require.NotEmpty(t, user, "the final stage must set USER")
	for _, part := range strings.Split(user, ":") {
		id, err := strconv.Atoi(part)
		require.NoError(t, err, "USER %q must be numeric so runAsNonRoot can verify it", user)
		assert.NotZero(t, id, "USER %q must not be root", user)
	}
}

func TestDockerfileExposesTheServerPort(t *testing.T) {
	final := loadDockerfile(t).final()
	assert.Equal(t, []string{strconv.Itoa(config.DefaultPort)}, final.all("EXPOSE"))
}

func TestDockerfileBuildsAStaticVersionedBinary(t *testing.T) {
	df := loadDockerfile(t)
	build := df.stage("build")
	require.NotNil(t, build, "a stage named build")
	assert.Regexp(t, `^golang:1\.\d+-bookworm$`, build.image)
	assert.Equal(t, "$BUILDPLATFORM", build.platform, "compile on the build platform, cross-compile to the target")
	assertGoVersionAtLeastGoMod(t, strings.TrimSuffix(strings.TrimPrefix(build.image, "golang:"), "-bookworm"))
	assert.Equal(t, "0", build.env()["CGO_ENABLED"], "a static binary for a libc-less image")

	var goBuild string
	for _, run := range build.all("RUN") {
		if strings.Contains(run, "go build") {
			goBuild = run
		}
	}
	require.NotEmpty(t, goBuild, "the build stage runs go build")
	assert.Contains(t, goBuild, "-trimpath")
	assert.Contains(t, goBuild, "--mount=type=cache,target=/go/pkg/mod", "module cache kept between builds")
	assert.True(t, strings.HasSuffix(goBuild, " ./cmd/bot"), "builds the entry point ./cmd/bot: %s", goBuild)
	versionVar := modulePath(t) + "/internal/version.Version"
	assert.Contains(t, goBuild, "-X "+versionVar+"=${VERSION}", "stamps %s", versionVar)
	assert.Equal(t, "dev", version.Version, "the unstamped default the ldflags replace")

	out := regexp.MustCompile(`-o (\S+)`).FindStringSubmatch(goBuild)
	require.Len(t, out, 2, "go build -o PATH")
	var copied bool
	for _, c := range df.final().copies(t) {
		if c.from == "build" && len(c.srcs) == 1 && c.srcs[0] == out[1] {
			assert.Equal(t, binaryPath, c.dest)
			copied = true
		}
	}
	assert.True(t, copied, "the final stage copies %s from the build stage", out[1])
}

// assertGoVersionAtLeastGoMod checks the builder's Go release can build go.mod's go directive.
func assertGoVersionAtLeastGoMod(t *testing.T, image string) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindStringSubmatch(string(readFile(t, repoRoot+"/go.mod")))
	require.Len(t, m, 3, "go.mod's go directive")
	img := regexp.MustCompile(`^(\d+)\.(\d+)$`).FindStringSubmatch(image)
	require.Len(t, img, 3, "golang image version %q", image)
	mod := [2]int{atoi(t, m[1]), atoi(t, m[2])}
	have := [2]int{atoi(t, img[1]), atoi(t, img[2])}
	assert.False(t, have[0] < mod[0] || (have[0] == mod[0] && have[1] < mod[1]),
		"golang:%s is older than go.mod's go %s.%s", image, m[1], m[2])
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func TestDockerfileRunsServeWithTheBakedInConfig(t *testing.T) {
	final := loadDockerfile(t).final()
	cmd := imageCommand(t)
	require.GreaterOrEqual(t, len(cmd), 2)
	assert.Equal(t, binaryPath, cmd[0])
	assert.Equal(t, "serve", cmd[1])

	configPath := configFlag(t, cmd)
	var baked bool
	for _, c := range final.copies(t) {
		if c.from == "" && c.dest == configPath {
			assert.Equal(t, []string{"deploy/config.yml"}, c.srcs)
			baked = true
		}
	}
	assert.True(t, baked, "the final stage copies deploy/config.yml to %s", configPath)
}

func TestDockerfileDataVolumeIsWritable(t *testing.T) {
	final := loadDockerfile(t).final()
	assert.Equal(t, imageDataDir, final.env()[config.EnvDataDir])
	assert.Equal(t, `["`+imageDataDir+`"]`, final.last("VOLUME"))

	user := final.last("USER")
	var owned bool
	for _, c := range final.copies(t) {
		if c.dest == imageDataDir {
			assert.Equal(t, user, c.chown, "the data directory belongs to the user the server runs as")
			owned = true
		}
	}
	assert.True(t, owned, "the final stage creates %s (distroless has no shell to mkdir)", imageDataDir)
}

func TestDockerfileLabelsPointAtTheSource(t *testing.T) {
	labels := loadDockerfile(t).final().pairs("LABEL")
	assert.Equal(t, "https://"+modulePath(t), labels["org.opencontainers.image.source"])
	assert.Equal(t, "${VERSION}", labels["org.opencontainers.image.version"])
	assert.NotEmpty(t, labels["org.opencontainers.image.title"])
}
