package deploy_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

func TestKustomizationListsTheManifests(t *testing.T) {
	var k kustomization
	decodeYAML(t, "kubernetes/kustomization.yaml", &k)
	assert.Equal(t, "Kustomization", k.Kind)

	files, err := filepath.Glob(filepath.Join("kubernetes", "*.yaml"))
	require.NoError(t, err)
	for _, f := range files {
		name := filepath.Base(f)
		switch name {
		case "kustomization.yaml":
		case "secret.example.yaml":
			assert.NotContains(t, k.Resources, name, "applying the kustomization must never overwrite the real Secret with placeholders")
		default:
			assert.Contains(t, k.Resources, name, "kustomization.yaml must list %s", name)
		}
	}
	for _, r := range k.Resources {
		_, err := os.Stat(filepath.Join("kubernetes", r))
		assert.NoError(t, err, "kustomization.yaml lists %s", r)
	}
}

func TestDeploymentServesOnTheConfiguredPort(t *testing.T) {
	d := loadDeployment(t)
	c := d.serverContainer(t)
	http := intOrString{value: "http"}
	assert.Equal(t, config.DefaultPort, c.portNumber(t, http), "container port http")
	assert.Equal(t, parseConfig(t, "ConfigMap config.yml", configMapConfig(t)).Server.Port, c.portNumber(t, http),
		"the container port is the port the configuration listens on")

	var svc service
	kubeObject(t, "service.yaml", "Service", &svc)
	require.Len(t, svc.Spec.Ports, 1)
	assert.Equal(t, config.DefaultPort, svc.Spec.Ports[0].Port, "Service port")
	assert.Equal(t, config.DefaultPort, c.portNumber(t, svc.Spec.Ports[0].TargetPort), "Service targetPort")
	assert.True(t, selects(svc.Spec.Selector, d.Spec.Template.Metadata.Labels), "the Service selects the Deployment's pods")

	assert.Equal(t, strconv.Itoa(config.DefaultPort), d.Spec.Template.Metadata.Annotations["prometheus.io/port"])
}

func TestDeploymentProbesTheHealthEndpoint(t *testing.T) {
	c := loadDeployment(t).serverContainer(t)
	// Readiness and start-up check the database too; liveness only the
	// process, so a database outage takes pods out of the Service without
	// restarting them all.
	probes := map[string]*probe{"startup": c.StartupProbe, "readiness": c.ReadinessProbe, "liveness": c.LivenessProbe}
	paths := map[string]string{"startup": server.HealthPath, "readiness": server.HealthPath, "liveness": server.LivePath}
	for name, p := range probes {
		require.NotNil(t, p, "%s probe", name)
		require.NotNil(t, p.HTTPGet, "%s probe: httpGet", name)
		assert.Equal(t, paths[name], p.HTTPGet.Path, "%s probe path", name)
		assert.Equal(t, config.DefaultPort, c.portNumber(t, p.HTTPGet.Port), "%s probe port", name)
	}
}

func TestDeploymentIsScrapedForMetrics(t *testing.T) {
	annotations := loadDeployment(t).Spec.Template.Metadata.Annotations
	assert.Equal(t, "true", annotations["prometheus.io/scrape"])
	assert.Equal(t, server.MetricsPath, annotations["prometheus.io/path"])
}

func TestDeploymentEnvironmentIsReadByTheCode(t *testing.T) {
	c := loadDeployment(t).serverContainer(t)
	names := map[string]bool{}
	for _, e := range c.Env {
		assert.True(t, knownEnv(e.Name), "%s: nothing in the server reads it", e.Name)
		assert.False(t, names[e.Name], "%s set twice", e.Name)
		names[e.Name] = true
	}
	for _, required := range []string{config.EnvIntegrationID, config.EnvWebhookSecret, config.EnvPostgresURL} {
		assert.True(t, names[required], "the Deployment sets %s", required)
	}
	assert.True(t, names[config.EnvPrivateKey] != names[config.EnvPrivateKeyPath],
		"the Deployment sets exactly one of %s and %s", config.EnvPrivateKey, config.EnvPrivateKeyPath)
}

func TestDeploymentSecretsComeFromTheSecret(t *testing.T) {
	d := loadDeployment(t)
	c := d.serverContainer(t)
	example := loadSecretExample(t)
	keys := secretKeys(example)

	for _, e := range c.Env {
		secretValued := e.Name == config.EnvIntegrationID || e.Name == config.EnvWebhookSecret ||
			e.Name == config.EnvPrivateKey || e.Name == config.EnvPostgresURL
		if !secretValued {
			continue
		}
		require.NotNil(t, e.ValueFrom, "%s must come from the Secret, not a literal", e.Name)
		ref := e.ValueFrom.SecretKeyRef
		require.NotNil(t, ref, "%s: secretKeyRef", e.Name)
		assert.Equal(t, example.Metadata.Name, ref.Name, "%s: the Secret's name", e.Name)
		assert.Contains(t, keys, ref.Key, "%s: secret.example.yaml must have key %q", e.Name, ref.Key)
	}

	keyPath := envValue(c, config.EnvPrivateKeyPath)
	require.NotEmpty(t, keyPath, "%s is a literal path", config.EnvPrivateKeyPath)
	v := mountedVolume(t, d, c, keyPath)
	require.NotNil(t, v.Secret, "%s lies on a Secret volume", keyPath)
	assert.Equal(t, example.Metadata.Name, v.Secret.SecretName)
	var found bool
	for _, item := range v.Secret.Items {
		if item.Path == path.Base(keyPath) {
			assert.Contains(t, keys, item.Key, "secret.example.yaml must have key %q", item.Key)
			found = true
		}
	}
	assert.True(t, found, "the Secret volume projects a key to %s", path.Base(keyPath))
}

func TestDeploymentReadsTheConfigMap(t *testing.T) {
	d := loadDeployment(t)
	c := d.serverContainer(t)
	assert.Empty(t, c.Command, "keep the image's ENTRYPOINT")
	assert.Equal(t, imageCommand(t)[1:], c.Args, "the same command line as the image's CMD")

	configPath := configFlag(t, c.Args)
	v := mountedVolume(t, d, c, configPath)
	require.NotNil(t, v.ConfigMap, "%s lies on a ConfigMap volume", configPath)
	var cm configMap
	kubeObject(t, "configmap.yaml", "ConfigMap", &cm)
	assert.Equal(t, cm.Metadata.Name, v.ConfigMap.Name)
	assert.Contains(t, v.ConfigMap.Items, keyToPath{Key: "config.yml", Path: path.Base(configPath)})
}

func TestDeploymentIsHardened(t *testing.T) {
	d := loadDeployment(t)
	pod := d.Spec.Template.Spec
	c := d.serverContainer(t)

	require.NotNil(t, d.Spec.Replicas)
	assert.GreaterOrEqual(t, *d.Spec.Replicas, 2, "replicas")
	assert.Equal(t, "RollingUpdate", d.Spec.Strategy.Type)

	assert.Equal(t, ptr(true), pod.SecurityContext.RunAsNonRoot, "runAsNonRoot")
	if pod.SecurityContext.RunAsUser != nil {
		assert.NotZero(t, *pod.SecurityContext.RunAsUser, "runAsUser")
	}
	assert.Equal(t, "RuntimeDefault", pod.SecurityContext.SeccompProfile.Type)
	assert.Equal(t, ptr(false), c.SecurityContext.AllowPrivilegeEscalation, "allowPrivilegeEscalation")
	assert.Equal(t, ptr(true), c.SecurityContext.ReadOnlyRootFilesystem, "readOnlyRootFilesystem")
	assert.Equal(t, []string{"ALL"}, c.SecurityContext.Capabilities.Drop)

	for _, resource := range []string{"cpu", "memory"} {
		assert.NotEmpty(t, c.Resources.Requests[resource], "requests.%s", resource)
		assert.NotEmpty(t, c.Resources.Limits[resource], "limits.%s", resource)
	}

	// A read-only root needs writable volumes where the server writes.
	for _, dir := range []string{"/tmp", imageDataDir} {
		v := mountedVolume(t, d, c, dir)
		assert.NotNil(t, v.EmptyDir, "%s is an emptyDir", dir)
	}
}

func TestGoMemoryLimitIsBelowTheContainerLimit(t *testing.T) {
	c := loadDeployment(t).serverContainer(t)
	soft := envValue(c, "GOMEMLIMIT")
	if soft == "" {
		return
	}
	assert.Less(t, byteSize(t, soft, "iB"), byteSize(t, c.Resources.Limits["memory"], "i"),
		"GOMEMLIMIT %s must leave room under the memory limit %s", soft, c.Resources.Limits["memory"])
}

// byteSize reads a size such as 450MiB (Go) or 512Mi (Kubernetes), given the binary suffix's tail.
func byteSize(t *testing.T, s, tail string) int64 {
	t.Helper()
	m := regexp.MustCompile(`^(\d+)([KMG]` + regexp.QuoteMeta(tail) + `)?$`).FindStringSubmatch(s)
	require.NotNil(t, m, "size %q", s)
	n, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	shift := map[string]uint{"": 0, "K": 10, "M": 20, "G": 30}[strings.TrimSuffix(m[2], tail)]
	return n << shift
}

func TestTerminationGraceOutlastsTheShutdown(t *testing.T) {
	grace := loadDeployment(t).Spec.Template.Spec.TerminationGracePeriodSeconds
	require.NotNil(t, grace, "terminationGracePeriodSeconds (Kubernetes' default is 30s)")
	period := time.Duration(*grace) * time.Second
	assert.Greater(t, period, config.DefaultShutdownPeriod)
	cfg := parseConfig(t, "ConfigMap config.yml", configMapConfig(t))
	assert.Greater(t, period, cfg.Server.ShutdownPeriod, "longer than the ConfigMap's server.shutdown_period")
}

func TestDisruptionBudgetCoversTheDeployment(t *testing.T) {
	d := loadDeployment(t)
	labels := d.Spec.Template.Metadata.Labels
	assert.True(t, selects(d.Spec.Selector.MatchLabels, labels), "the Deployment's selector matches its pods")

	var pdb podDisruptionBudget
	kubeObject(t, "pdb.yaml", "PodDisruptionBudget", &pdb)
	assert.Equal(t, "policy/v1", pdb.APIVersion)
	assert.True(t, selects(pdb.Spec.Selector.MatchLabels, labels), "the budget selects the Deployment's pods")
	require.NotNil(t, pdb.Spec.MinAvailable, "minAvailable")
	minAvailable, ok := pdb.Spec.MinAvailable.int()
	require.True(t, ok, "minAvailable is a count")
	assert.Equal(t, 1, minAvailable)
	assert.Less(t, minAvailable, *d.Spec.Replicas, "a budget as large as the Deployment blocks every drain")
}

func TestSecretExampleHoldsPlaceholdersOnly(t *testing.T) {
	s := loadSecretExample(t)
	assert.Equal(t, "Opaque", s.Type)
	assert.Empty(t, s.Data, "placeholders in stringData, readable")
	for key, value := range s.StringData {
		assert.NotEmpty(t, value, "%s: a placeholder", key)
		if block, _ := pem.Decode([]byte(value)); block != nil {
			_, err1 := x509.ParsePKCS1PrivateKey(block.Bytes)
			_, err2 := x509.ParsePKCS8PrivateKey(block.Bytes)
			assert.True(t, err1 != nil && err2 != nil, "%s: a real private key must never be committed", key)
		}
	}
}

// secretKeys lists the keys of a Secret.
func secretKeys(s *secret) []string {
	var keys []string
	for k := range s.StringData {
		keys = append(keys, k)
	}
	for k := range s.Data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// envValue returns a literal environment value of the container.
func envValue(c *container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// mountedVolume returns the volume whose mount holds path (the deepest mount wins).
func mountedVolume(t *testing.T, d *deployment, c *container, p string) *volume {
	t.Helper()
	best := ""
	name := ""
	for _, m := range c.VolumeMounts {
		if (p == m.MountPath || strings.HasPrefix(p, strings.TrimSuffix(m.MountPath, "/")+"/")) && len(m.MountPath) > len(best) {
			best, name = m.MountPath, m.Name
		}
	}
	require.NotEmpty(t, name, "no volume is mounted at %s", p)
	return d.volume(t, name)
}

func ptr[T any](v T) *T { return &v }
