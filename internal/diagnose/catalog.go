package diagnose

import "regexp"

// hostSource says where a rule may take the registry from.
type hostSource int

const (
	// fromLineOrStep: the line's own reference, else the step's context
	// (the most recent registry the step pushed to, logged in to or named).
	fromLineOrStep hostSource = iota
	// fromLine: only a GitHub Packages host printed on the same line counts.
	// Used for bare HTTP statuses, which every client prints for every registry.
	fromLine
)

// catalogRule is one entry of the error catalogue: a registry or client
// message and what it means. A new error text is one new rule plus one
// fixture line in testdata/logs.
type catalogRule struct {
	// name identifies the rule in tests.
	name string
	// needles: the rule is tried only when the cleaned line contains at
	// least one of them (case-sensitive). Every needle must contain one of
	// scanAnchors, so the fast prefilter never hides a match.
	needles []string
	// pattern, when set, must also match. Its named groups are read:
	// "msg" (the message, else message below), "code" (HTTP status),
	// "method" (HTTP method), "url".
	pattern *regexp.Regexp
	// kind is the fixed kind; when empty the kind follows from the HTTP
	// status and method (see statusKind).
	kind Kind
	// message is the message when pattern has no "msg" group.
	message string
	// tool is the client that prints this shape, or "" to infer it from the
	// line and the step.
	tool   string
	source hostSource
	// registries restricts the rule to these hosts (nil: any GitHub Packages host).
	registries []string
	// fallbackRegistry is used when neither the line nor the step names a host
	// but the message itself is GitHub's.
	fallbackRegistry string
	// statusOnly marks rules that only see an HTTP status: a line that also
	// reads like a rate limit or a transient network failure is ignored.
	statusOnly bool
}

// containerRegistries are the OCI registries of GitHub Packages.
var containerRegistries = []string{RegistryGHCR, RegistryDocker}

// scanAnchors are cheap substrings searched in raw log bytes before any
// other work: a line without one of them can neither be a finding nor change
// the step context, so it is only counted. Every rule needle contains one.
var scanAnchors = []string{
	"##[",
	"ghcr.io",
	"pkg.github.com",
	"denied",
	"DENIED",
	"403",
	"401",
	"authenticat",
	"owner not found",
	"organization package",
	"credential type",
	"lowercase",
	"invalid reference format",
	"Username and password required",
	"Resource not accessible",
	"refers to repository [",
	"Secret source:",
	"Post job cleanup.",
}

// scanAnchorKeys gives each anchor the byte the search looks for with a
// vectorised byte search: a byte that is rare in logs, shared by several
// anchors where possible, so a clean log is read in few fast passes
// (see scan_anchor.go). Key 0 searches for the anchor as a whole instead.
var scanAnchorKeys = map[string]byte{
	"##[":                            '[',
	"refers to repository [":         '[',
	"ghcr.io":                        'g',
	"pkg.github.com":                 'k',
	"organization package":           'k',
	"denied":                         'd',
	"credential type":                'd',
	"invalid reference format":       'd',
	"Username and password required": 'd',
	"DENIED":                         'D',
	"403":                            '4',
	"401":                            '4',
	"authenticat":                    'u',
	"Resource not accessible":        'u',
	"Secret source:":                 'u',
	"Post job cleanup.":              'u',
	"owner not found":                'w',
	"lowercase":                      'w',
}

// catalog is the error catalogue, most specific first: registry messages
// before bare HTTP statuses, so a line carrying both is classified by its
// message. The first matching rule decides the line.
var catalog = []catalogRule{
	// Registry messages (ghcr.io, and the same backend behind npm).
	{name: "create org package", needles: []string{"not allowed to Create organization package"},
		kind: KindCreateDenied, message: "installation not allowed to Create organization package"},
	{name: "write org package", needles: []string{"not allowed to Write organization package"},
		kind: KindWriteDenied, message: "installation not allowed to Write organization package"},
	{name: "read org package", needles: []string{"not allowed to Read organization package"},
		kind: KindReadDenied, message: "installation not allowed to Read organization package"},
	{name: "create_package", needles: []string{"permission_denied: create_package"},
		kind: KindCreateDenied, message: "permission_denied: create_package"},
	{name: "write_package", needles: []string{"permission_denied: write_package"},
		kind: KindWriteDenied, message: "permission_denied: write_package"},
	{name: "read_package", needles: []string{"permission_denied: read_package"},
		kind: KindReadDenied, message: "permission_denied: read_package"},
	{name: "token scopes", needles: []string{"permission_denied: The token provided does not match expected scopes"},
		kind: KindAuthFailed, message: "permission_denied: The token provided does not match expected scopes"},
	{name: "installation missing", needles: []string{"permission_denied: The requested installation does not exist"},
		kind: KindAuthFailed, message: "permission_denied: The requested installation does not exist"},
	{name: "owner not found", needles: []string{"owner not found"},
		pattern: regexp.MustCompile(`(?P<msg>(?:not_found: )?owner not found)`), kind: KindOwnerNotFound},
	{name: "unauthenticated", needles: []string{"User cannot be authenticated with the token provided"},
		kind: KindAuthFailed, message: "unauthenticated: User cannot be authenticated with the token provided"},
	{name: "packages service", needles: []string{"could not be authenticated by the GitHub Packages service"},
		kind: KindAuthFailed, message: "Your request could not be authenticated by the GitHub Packages service"},
	{name: "npm credential type", needles: []string{"This credential type is not supported for registry"},
		kind: KindAuthFailed, message: "This credential type is not supported for registry", tool: "npm",
		registries: []string{RegistryNPM}, fallbackRegistry: RegistryNPM},
	{name: "npm realm", needles: []string{`Unable to authenticate, need: Basic realm="GitHub Package Registry"`},
		kind: KindAuthFailed, message: `Unable to authenticate, need: Basic realm="GitHub Package Registry"`, tool: "npm",
		registries: []string{RegistryNPM}, fallbackRegistry: RegistryNPM},
	{name: "denied: denied", needles: []string{"denied: denied", "DENIED: denied"},
		pattern: regexp.MustCompile(`(?i)(?:^|[^_a-z])denied: denied\b`), kind: KindAuthFailed, message: "denied: denied"},
	{name: "empty login", needles: []string{"Username and password required"},
		kind: KindAuthFailed, message: "Username and password required", tool: "docker", registries: containerRegistries},
	{name: "authentication required", needles: []string{"unauthorized: authentication required", "UNAUTHORIZED: authentication required"},
		kind: KindAuthFailed, message: "unauthorized: authentication required", source: fromLine, registries: containerRegistries},
	{name: "anonymous token", needles: []string{"403"},
		pattern: regexp.MustCompile(`failed to fetch anonymous token: unexpected status(?: from [A-Z]+ request to \S+)?: 403`),
		kind:    KindAuthFailed, message: "failed to fetch anonymous token: 403 Forbidden", tool: "buildx", registries: containerRegistries},
	{name: "nuget integration", needles: []string{"Resource not accessible by integration"},
		kind: KindWriteDenied, message: "Resource not accessible by integration", tool: "nuget", registries: []string{RegistryNuGet}},
	{name: "lowercase name", needles: []string{"must be lowercase"},
		kind: KindInvalidName, message: "repository name must be lowercase", registries: containerRegistries},
	{name: "invalid reference", needles: []string{"invalid reference format"},
		kind: KindInvalidName, message: "invalid reference format", registries: containerRegistries},

	// Client wrappers around a bare HTTP status.
	{name: "destination repository", needles: []string{": 403 (Forbidden)", ": 401 (Unauthorized)"},
		pattern: regexp.MustCompile(`failed to read from destination repository \S+: (?P<code>40[13])`),
		kind:    KindReadDenied, tool: "podman", registries: containerRegistries, statusOnly: true},
	{name: "buildkit status from request", needles: []string{": 403", ": 401"},
		pattern:    regexp.MustCompile(`unexpected status from (?P<method>[A-Z]+) request to (?P<url>\S+): (?P<code>40[13])`),
		tool:       "buildx",
		source:     fromLine,
		statusOnly: true},
	{name: "ggcr status code", needles: []string{"unexpected status code 403", "unexpected status code 401"},
		pattern:    regexp.MustCompile(`\b(?P<method>GET|HEAD|POST|PUT|PATCH|DELETE) (?P<url>https?://\S+): unexpected status code (?P<code>40[13])`),
		tool:       "crane",
		source:     fromLine,
		statusOnly: true},
	{name: "oras status code", needles: []string{"response status code 403", "response status code 401"},
		pattern:    regexp.MustCompile(`(?P<method>[A-Z]+) "(?P<url>[^"]+)": response status code (?P<code>40[13])`),
		tool:       "helm",
		source:     fromLine,
		statusOnly: true},
	{name: "npm status", needles: []string{"403 Forbidden - ", "401 Unauthorized - "},
		pattern:    regexp.MustCompile(`\b(?P<code>40[13]) (?:Forbidden|Unauthorized) - (?P<method>[A-Z]+) (?P<url>https?://\S+)`),
		tool:       "npm",
		source:     fromLine,
		registries: []string{RegistryNPM},
		statusOnly: true},
	{name: "gradle status", needles: []string{"Received status code 403", "Received status code 401"},
		pattern:    regexp.MustCompile(`Could not (?P<method>[A-Z]+) '(?P<url>[^']+)'\. Received status code (?P<code>40[13])`),
		tool:       "gradle",
		source:     fromLine,
		registries: []string{RegistryMaven},
		statusOnly: true},
	{name: "maven status", needles: []string{"403", "401"},
		pattern:    regexp.MustCompile(`(?:status code:? |Return code is: |status code )(?P<code>40[13])\b`),
		tool:       "maven",
		source:     fromLine,
		registries: []string{RegistryMaven},
		statusOnly: true},
	{name: "nuget status line", needles: []string{"pkg.github.com"},
		pattern:    regexp.MustCompile(`^\s*(?P<msg>Forbidden|Unauthorized) (?P<url>https?://nuget\.pkg\.github\.com/\S*)`),
		tool:       "nuget",
		source:     fromLine,
		registries: []string{RegistryNuGet},
		statusOnly: true},
	{name: "nuget response status", needles: []string{"does not indicate success: 403", "does not indicate success: 401"},
		pattern:    regexp.MustCompile(`does not indicate success: (?P<code>40[13])`),
		tool:       "nuget",
		registries: []string{RegistryNuGet},
		statusOnly: true},
	{name: "docker login status", needles: []string{"failed with status: 401", "failed with status: 403"},
		pattern:    regexp.MustCompile(`login attempt to (?P<url>\S+) failed with status: (?P<code>40[13])`),
		kind:       KindAuthFailed,
		tool:       "docker",
		source:     fromLine,
		statusOnly: true},
	{name: "buildkit bare status", needles: []string{"unexpected status: 403", "unexpected status: 401"},
		pattern:    regexp.MustCompile(`unexpected status: (?P<code>40[13])`),
		tool:       "buildx",
		registries: containerRegistries,
		statusOnly: true},
	{name: "status on a GitHub Packages line", needles: []string{"403 Forbidden", "401 Unauthorized"},
		pattern:    regexp.MustCompile(`\b(?P<code>40[13]) (?:Forbidden|Unauthorized)\b`),
		source:     fromLine,
		statusOnly: true},
}

// transientMarkers are (lower-case) texts of rate limits, server errors and
// network failures: a bare 403/401 on such a line is not a permission verdict.
var transientMarkers = []string{
	"toomanyrequests", "too many requests", "internal server error", "bad gateway",
	"service unavailable", "gateway timeout", "blob upload unknown", ": 499", " 499 ",
	"cannot reuse body", "broken pipe", "connection reset",
}
