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
//	<!-- ghcr-doctor:v1 key=<16 hex> workflow=<path> state=open hash=<16 hex> run=<id> cause=<id> packages=<display>=<cause>,… -->
//
// Key is a short hash of the comment's or issue's identity; Hash is a short
// hash of the rendered content without anything run-specific, so the same
// diagnosis always has the same hash.
type Marker struct {
	Key      string
	Workflow string
	// Package is the one package of a report written by an earlier version,
	// which kept a report per package; its key includes the package.
	Package string
	State   string
	Hash    string
	Run     int64
	// Cause is the cause of the first package.
	Cause diagnose.CauseID
	// Packages are the packages the report lists, each with its cause.
	Packages []PackageCause
	// Omitted counts the refused packages the report leaves out.
	Omitted int
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
	if m.Package != "" {
		field("package", m.Package)
	}
	field("state", m.State)
	field("hash", m.Hash)
	field("run", strconv.FormatInt(m.Run, 10))
	if m.Cause != "" {
		field("cause", string(m.Cause))
	}
	if len(m.Packages) > 0 {
		items := make([]string, len(m.Packages))
		for i, pc := range m.Packages {
			items[i] = escapeMarkerValue(pc.Package) + "=" + escapeMarkerValue(string(pc.Cause))
		}
		b.WriteString("packages=" + strings.Join(items, ",") + " ")
	}
	if m.Omitted > 0 {
		field("omitted", strconv.Itoa(m.Omitted))
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
		if k == "packages" {
			pcs, ok := parsePackageCauses(raw)
			if !ok {
				return Marker{}, false
			}
			m.Packages = pcs
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
		case "omitted":
			m.Omitted, _ = strconv.Atoi(v)
		case "annotations":
			m.Annotations = v
		}
	}
	if !hex16RE.MatchString(m.Key) || !hex16RE.MatchString(m.Hash) || (m.State != StateOpen && m.State != StateResolved) {
		return Marker{}, false
	}
	return m, true
}

// PackageCause is a package a report lists, with its most likely cause.
type PackageCause struct {
	Package string
	Cause   diagnose.CauseID
}

// parsePackageCauses reads "display=cause,display=cause": the values are
// escaped, so a literal "," or "=" only ever separates them.
func parsePackageCauses(raw string) ([]PackageCause, bool) {
	var out []PackageCause
	for _, item := range strings.Split(raw, ",") {
		rawPkg, rawCause, _ := strings.Cut(item, "=")
		pkg, err := url.PathUnescape(rawPkg)
		if err != nil {
			return nil, false
		}
		cause, err := url.PathUnescape(rawCause)
		if err != nil {
			return nil, false
		}
		out = append(out, PackageCause{Package: pkg, Cause: diagnose.CauseID(cause)})
	}
	return out, true
}
