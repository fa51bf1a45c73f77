package report

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/diagnose"
)

// Marker states.
const (
	StateOpen     = "open"
	StateResolved = "resolved"
)

const markerPrefix = "<!-- ghcr-doctor:v1 "

// Marker is the hidden first line of every body ghcr-doctor writes:
//
//	<!-- ghcr-doctor:v1 key=<16 hex> workflow=<path> package=<display> state=open hash=<16 hex> run=<id> cause=<id> -->
//
// Key is a short hash of the comment's or issue's identity; Hash is a short
// hash of the rendered content without anything run-specific, so the same
// diagnosis always has the same hash.
type Marker struct {
	Key      string
	Workflow string
	Package  string
	State    string
	Hash     string
	Run      int64
	Cause    diagnose.CauseID
	// Annotations is a short hash of a check run's annotations, which GitHub
	// appends on every update, so they are only sent when they change.
	Annotations string
}

// String renders the marker as an HTML comment. Values are escaped so that
// no file or package name can end the comment or add a field.
func (m Marker) String() string {
	var b strings.Builder
	b.WriteString(markerPrefix)
	field := func(k, v string) {
		b.WriteString(k + "=" + escapeMarkerValue(v) + " ")
	}
	field("key", m.Key)
	field("workflow", m.Workflow)
	field("package", m.Package)
	field("state", m.State)
	field("hash", m.Hash)
	field("run", strconv.FormatInt(m.Run, 10))
	if m.Cause != "" {
		field("cause", string(m.Cause))
	}
	if m.Annotations != "" {
		field("annotations", m.Annotations)
	}
	b.WriteString("-->")
	return b.String()
}

// escapeMarkerValue percent-encodes everything but a safe set of characters.
func escapeMarkerValue(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._/~+:-", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

var (
	markerRE = regexp.MustCompile(`<!-- ghcr-doctor:v1 ([^<>]*?)-->`)
	hex16RE  = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// ParseMarker finds the first ghcr-doctor marker in body. It reports false
// when there is none or when it lacks a valid key, state or hash.
func ParseMarker(body string) (Marker, bool) {
	sub := markerRE.FindStringSubmatch(body)
	if sub == nil {
		return Marker{}, false
	}
	var m Marker
	for _, f := range strings.Fields(sub[1]) {
		k, raw, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		v, err := url.PathUnescape(raw)
		if err != nil {
			return Marker{}, false
		}
		switch k {
		case "key":
			m.Key = v
		case "workflow":
			m.Workflow = v
		case "package":
			m.Package = v
		case "state":
			m.State = v
		case "hash":
			m.Hash = v
		case "run":
			m.Run, _ = strconv.ParseInt(v, 10, 64)
		case "cause":
			m.Cause = diagnose.CauseID(v)
		case "annotations":
			m.Annotations = v
		}
	}
	if !hex16RE.MatchString(m.Key) || !hex16RE.MatchString(m.Hash) || (m.State != StateOpen && m.State != StateResolved) {
		return Marker{}, false
	}
	return m, true
}
