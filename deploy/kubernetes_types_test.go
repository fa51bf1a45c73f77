package deploy_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// The subset of Kubernetes objects the tests read.

type objectMeta struct {
	Name        string            `yaml:"name"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type typeMeta struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   objectMeta `yaml:"metadata"`
}

type labelSelector struct {
	MatchLabels map[string]string `yaml:"matchLabels"`
}

type deployment struct {
	typeMeta `yaml:",inline"`
	Spec     struct {
		Replicas *int          `yaml:"replicas"`
		Selector labelSelector `yaml:"selector"`
		Strategy struct {
			Type string `yaml:"type"`
		} `yaml:"strategy"`
		Template struct {
			Metadata objectMeta `yaml:"metadata"`
			Spec     podSpec    `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type podSpec struct {
	TerminationGracePeriodSeconds *int `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               struct {
		RunAsNonRoot   *bool `yaml:"runAsNonRoot"`
		RunAsUser      *int  `yaml:"runAsUser"`
		SeccompProfile struct {
			Type string `yaml:"type"`
		} `yaml:"seccompProfile"`
	} `yaml:"securityContext"`
	Containers []container `yaml:"containers"`
	Volumes    []volume    `yaml:"volumes"`
}

type container struct {
	Name    string   `yaml:"name"`
	Image   string   `yaml:"image"`
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
	Ports   []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env       []envVar `yaml:"env"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	StartupProbe    *probe `yaml:"startupProbe"`
	ReadinessProbe  *probe `yaml:"readinessProbe"`
	LivenessProbe   *probe `yaml:"livenessProbe"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool `yaml:"readOnlyRootFilesystem"`
		Privileged               *bool `yaml:"privileged"`
		Capabilities             struct {
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
	} `yaml:"securityContext"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"volumeMounts"`
}

type envVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		SecretKeyRef *struct {
			Name string `yaml:"name"`
			Key  string `yaml:"key"`
		} `yaml:"secretKeyRef"`
	} `yaml:"valueFrom"`
}

type probe struct {
	HTTPGet *struct {
		Path string      `yaml:"path"`
		Port intOrString `yaml:"port"`
	} `yaml:"httpGet"`
}

type keyToPath struct {
	Key  string `yaml:"key"`
	Path string `yaml:"path"`
}

type volume struct {
	Name      string `yaml:"name"`
	ConfigMap *struct {
		Name  string      `yaml:"name"`
		Items []keyToPath `yaml:"items"`
	} `yaml:"configMap"`
	Secret *struct {
		SecretName string      `yaml:"secretName"`
		Items      []keyToPath `yaml:"items"`
	} `yaml:"secret"`
	EmptyDir *struct{} `yaml:"emptyDir"`
}

type service struct {
	typeMeta `yaml:",inline"`
	Spec     struct {
		Selector map[string]string `yaml:"selector"`
		Ports    []struct {
			Name       string      `yaml:"name"`
			Port       int         `yaml:"port"`
			TargetPort intOrString `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}

type podDisruptionBudget struct {
	typeMeta `yaml:",inline"`
	Spec     struct {
		MinAvailable   *intOrString  `yaml:"minAvailable"`
		MaxUnavailable *intOrString  `yaml:"maxUnavailable"`
		Selector       labelSelector `yaml:"selector"`
	} `yaml:"spec"`
}

type configMap struct {
	typeMeta `yaml:",inline"`
	Data     map[string]string `yaml:"data"`
}

type secret struct {
	typeMeta   `yaml:",inline"`
	Type       string            `yaml:"type"`
	StringData map[string]string `yaml:"stringData"`
	Data       map[string]string `yaml:"data"`
}

type kustomization struct {
	typeMeta  `yaml:",inline"`
	Resources []string `yaml:"resources"`
}

// intOrString is a port given by number or by name.
type intOrString struct{ value string }

func (v *intOrString) UnmarshalYAML(n *yaml.Node) error {
	v.value = n.Value
	return nil
}

// int returns the number, or false for a name.
func (v intOrString) int() (int, bool) {
	n, err := strconv.Atoi(v.value)
	return n, err == nil
}

// kubeObjects decodes every object of a manifest file, keyed by kind.
func kubeObjects(t *testing.T, file string) map[string][]*yaml.Node {
	t.Helper()
	out := map[string][]*yaml.Node{}
	for _, doc := range yamlDocuments(t, "kubernetes/"+file) {
		var meta typeMeta
		require.NoError(t, doc.Decode(&meta), "%s", file)
		require.NotEmpty(t, meta.Kind, "%s: a document without kind", file)
		require.NotEmpty(t, meta.APIVersion, "%s: %s without apiVersion", file, meta.Kind)
		out[meta.Kind] = append(out[meta.Kind], doc)
	}
	return out
}

// kubeObject decodes the one object of the given kind in file into v.
func kubeObject(t *testing.T, file, kind string, v any) {
	t.Helper()
	docs := kubeObjects(t, file)[kind]
	require.Len(t, docs, 1, "%s: one %s", file, kind)
	require.NoError(t, docs[0].Decode(v), "decoding the %s in %s", kind, file)
}

func loadDeployment(t *testing.T) *deployment {
	t.Helper()
	var d deployment
	kubeObject(t, "deployment.yaml", "Deployment", &d)
	return &d
}

// serverContainer is the Deployment's ghcr-doctor container.
func (d *deployment) serverContainer(t *testing.T) *container {
	t.Helper()
	for i := range d.Spec.Template.Spec.Containers {
		if c := &d.Spec.Template.Spec.Containers[i]; c.Name == "ghcr-doctor" {
			return c
		}
	}
	t.Fatal("the Deployment has no container named ghcr-doctor")
	return nil
}

// volume returns the pod volume called name.
func (d *deployment) volume(t *testing.T, name string) *volume {
	t.Helper()
	for i := range d.Spec.Template.Spec.Volumes {
		if v := &d.Spec.Template.Spec.Volumes[i]; v.Name == name {
			return v
		}
	}
	t.Fatalf("the Deployment has no volume %q", name)
	return nil
}

// portNumber resolves a probe's or Service's port against the container's ports.
func (c *container) portNumber(t *testing.T, port intOrString) int {
	t.Helper()
	if n, ok := port.int(); ok {
		return n
	}
	for _, p := range c.Ports {
		if p.Name == port.value {
			return p.ContainerPort
		}
	}
	t.Fatalf("container %s has no port named %q", c.Name, port.value)
	return 0
}

func loadSecretExample(t *testing.T) *secret {
	t.Helper()
	var s secret
	kubeObject(t, "secret.example.yaml", "Secret", &s)
	return &s
}

// configMapConfig is the config.yml the ConfigMap carries.
func configMapConfig(t *testing.T) []byte {
	t.Helper()
	var cm configMap
	kubeObject(t, "configmap.yaml", "ConfigMap", &cm)
	data, ok := cm.Data["config.yml"]
	require.True(t, ok, "the ConfigMap has a config.yml key")
	return []byte(data)
}

// selects reports whether every label of the selector is on the pod.
func selects(selector, podLabels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if podLabels[k] != v {
			return false
		}
	}
	return true
}
