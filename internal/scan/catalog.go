package scan

import "regexp"

// hostSource says where a rule may take the registry from.
type hostSource int

const (
	// fromLineOrContext: the line's own reference, else the nearest
	// registry the job named (this step's, a line just after the error,
	// an earlier step's).
	fromLineOrContext hostSource = iota
	// fromLine: only a GitHub Packages host printed on the same line counts.
	// Used for bare HTTP statuses, which every client prints for every registry.
	fromLine
)

// wording says what the words of a rule's message tell about the registry.
type wording int

const (
	// anyRegistry: every registry prints it; the host must come from the
	// line or the job, and another registry named nearer wins.
	anyRegistry wording = iota
	// githubOnly: only GitHub Packages prints it, so with no GitHub
	// Packages host in sight the registry is inferred from the wording, and
	// another registry named nearby does not make it someone else's.
	githubOnly
	// githubWhenAlone: other registries add a message to this status
	// (Docker Hub "denied: requested access…", ECR "denied: User: arn…"),
	// GitHub Packages sends it bare; in a job that names no registry at
	// all it is inferred to be GitHub Packages'.
	githubWhenAlone
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
	// pullKind, pushKind and loginKind, when set, replace kind while the
	// job is pulling, pushing or logging in (a refused token request is a
	// read refusal when pulling).
	pullKind, pushKind, loginKind Kind
	// message is the message when pattern has no "msg" group.
	message string
	// method is the HTTP method when pattern has no "method" group.
	method string
	// tool is the client that prints this shape, or "" to infer it from the
	// line and the step.
	tool    string
	source  hostSource
	wording wording
	// families restricts the rule to these kinds of registry (nil: any).
	families []family
	// fallbackRegistry is used when the wording decides the registry but
	// neither the line nor the job names one; "" picks the registry of the
	// client that printed it (ghcr.io for container clients).
	fallbackRegistry string
	// statusOnly marks rules that only see an HTTP status: a line that also
	// reads like a rate limit or a transient network failure is ignored.
	statusOnly bool
	// afterNote: the rule holds only after the step printed this note.
	afterNote stepNote
	// sameStep: only a registry named in the same step counts, not one of
	// an earlier step.
	sameStep bool
	// notAfterTransient: the rule says only that something failed; after a
	// timeout or server error in the same step it is that failure's echo.
	notAfterTransient bool
}

// scanAnchors are cheap substrings searched in raw log bytes before any
// other work: a line without one of them can neither be a finding nor change
// the job's context, so it is only counted. Every rule needle contains one;
// the others find context lines (other registries, command lines).
var scanAnchors = []string{
	"##[",
	"[command]",
	"ghcr.io",
	"pkg.github.com",
	"ghe.com",
	"denied",
	"DENIED",
	"403",
	"401",
	"404",
	"422",
	"400 Bad Request",
	"authenticat",
	"unauthorized",
	"Unauthorized",
	"UNAUTHORIZED",
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
	"Docker login for",
	"createRegistryPackageVersion",
	"No API Key was provided",
	"does not match repo owner",
	"YN0041",
	"non TTY device",
	"username/password",
	"abcdefghijklmnopqrstuvwxyz",
	"NAME_INVALID",
	"name invalid",
	"docker pull ",
	"docker push ",
	"docker run ",
	"ERR_PNPM_FETCH_40",
	"amazonaws.com",
	"azurecr.io",
	"quay.io",
}

// pastedLogAnchors find step boundaries of logs that are not raw runner
// logs: the web view's "Run …" titles and GitLab's sections. They are
// dropped once the log shows a ##[group] marker.
var pastedLogAnchors = []string{"Run ", "section_"}

// scanAnchorKeys gives each anchor the byte the search looks for with a
// vectorised byte search: a byte that is rare in logs, shared by several
// anchors where possible, so a clean log is read in few fast passes
// (see scan_anchor.go). Key 0 searches for the anchor as a whole instead.
var scanAnchorKeys = map[string]byte{
	"##[":                            '[',
	"refers to repository [":         '[',
	"[command]":                      '[',
	"ghcr.io":                        'g',
	"ghe.com":                        'g',
	"pkg.github.com":                 'k',
	"organization package":           'k',
	"denied":                         'd',
	"credential type":                'd',
	"invalid reference format":       'd',
	"Username and password required": 'd',
	"DENIED":                         'D',
	"Docker login for":               'D',
	"403":                            '4',
	"401":                            '4',
	"404":                            '4',
	"422":                            '4',
	"400 Bad Request":                '4',
	"authenticat":                    'u',
	"unauthorized":                   'u',
	"Resource not accessible":        'u',
	"Secret source:":                 'u',
	"Post job cleanup.":              'u',
	"Unauthorized":                   'u',
	"UNAUTHORIZED":                   'D',
	"owner not found":                'w',
	"lowercase":                      'w',
	"does not match repo owner":      'w',
	"createRegistryPackageVersion":   'k',
	"No API Key was provided":        'w',
	"YN0041":                         '4',
	"non TTY device":                 'd',
	"username/password":              'w',
	"abcdefghijklmnopqrstuvwxyz":     'w',
	"NAME_INVALID":                   'D',
	"docker pull ":                   'k',
	"docker push ":                   'k',
	"docker run ":                    'k',
	"name invalid":                   'd',
	"ERR_PNPM_FETCH_40":              '4',
	"amazonaws.com":                  'w',
	"azurecr.io":                     'u',
	"quay.io":                        'u',
	"Run ":                           'R',
	"section_":                       '_',
}

// Messages the decision table tells apart within one kind.
const (
	NpmScopeMismatchMessage = "404 Not Found on publish (the package scope is not the repository owner)"
	lowercaseMessage        = "repository name must be lowercase"
	MavenUppercaseMessage   = "422 Unprocessable Entity (artifact ids must be lower case)"
	NoOwnerMessage          = "the image name has no owner namespace (ghcr.io/OWNER/NAME)"
)

// reStatusVerb is a pulled or pushed reference refused with a bare word:
// `Head "https://ghcr.io/v2/o/p/manifests/1": unauthorized`,
// `GET https://ghcr.io/v2/o/p/blobs/…: DENIED`.
var reStatusVerb = regexp.MustCompile(`(?i:\b(?P<method>HEAD|GET|POST|PUT|PATCH)) "?(?P<url>https?://[^"\s]+?)"?: (?P<word>unauthorized|denied|UNAUTHORIZED|DENIED)(?:\.|:|$|\s)`)

// catalog is the error catalogue, most specific first: registry messages
// before bare HTTP statuses, so a line carrying both is classified by its
// message. The first matching rule decides the line.
var catalog = []catalogRule{
	// Registry messages only GitHub Packages sends (ghcr.io, and the same
	// backend behind npm, Maven, NuGet and RubyGems).
	{name: "create org package", needles: []string{"not allowed to Create organization package"},
		kind: KindCreateDenied, message: "installation not allowed to Create organization package", wording: githubOnly},
	{name: "write org package", needles: []string{"not allowed to Write organization package"},
		kind: KindWriteDenied, message: "installation not allowed to Write organization package", wording: githubOnly},
	{name: "read org package", needles: []string{"not allowed to Read organization package"},
		kind: KindReadDenied, message: "installation not allowed to Read organization package", wording: githubOnly},
	{name: "create_package", needles: []string{"permission_denied: create_package"},
		kind: KindCreateDenied, message: "permission_denied: create_package", wording: githubOnly},
	{name: "write_package", needles: []string{"permission_denied: write_package"},
		kind: KindWriteDenied, message: "permission_denied: write_package", wording: githubOnly},
	{name: "read_package", needles: []string{"permission_denied: read_package"},
		kind: KindReadDenied, message: "permission_denied: read_package", wording: githubOnly},
	{name: "token scopes", needles: []string{"permission_denied: The token provided does not match expected scopes"},
		kind: KindAuthFailed, message: "permission_denied: The token provided does not match expected scopes", wording: githubOnly},
	// The token is valid but cannot act on that namespace (an org's
	// GITHUB_TOKEN pushing to a user's): a write refusal.
	{name: "installation missing", needles: []string{"permission_denied: The requested installation does not exist"},
		kind: KindWriteDenied, pullKind: KindReadDenied, message: "permission_denied: The requested installation does not exist", wording: githubOnly},
	{name: "owner not found", needles: []string{"owner not found"},
		pattern: regexp.MustCompile(`(?P<msg>(?:not_found: )?owner not found)`), kind: KindOwnerNotFound, wording: githubOnly},
	{name: "unauthenticated", needles: []string{"User cannot be authenticated with the token provided"},
		kind: KindAuthFailed, message: "unauthenticated: User cannot be authenticated with the token provided", wording: githubOnly},
	{name: "packages service", needles: []string{"could not be authenticated by the GitHub Packages service"},
		kind: KindAuthFailed, message: "Your request could not be authenticated by the GitHub Packages service", wording: githubOnly},
	{name: "graphql packages scope", needles: []string{"createRegistryPackageVersion"},
		pattern: regexp.MustCompile(`createRegistryPackageVersion'? field requires (?:one of )?(?:the following )?scopes?:? \[?'?write:packages`),
		kind:    KindWriteDenied, message: "the token lacks the write:packages scope (createRegistryPackageVersion)", wording: githubOnly,
		fallbackRegistry: RegistryDocker},
	{name: "npm credential type", needles: []string{"This credential type is not supported for registry"},
		kind: KindAuthFailed, message: "This credential type is not supported for registry", tool: "npm",
		families: []family{familyNPM}, fallbackRegistry: RegistryNPM, wording: githubOnly},
	{name: "npm realm", needles: []string{`Unable to authenticate, need: Basic realm="GitHub Package Registry"`},
		kind: KindAuthFailed, message: `Unable to authenticate, need: Basic realm="GitHub Package Registry"`, tool: "npm",
		families: []family{familyNPM}, fallbackRegistry: RegistryNPM, wording: githubOnly},
	{name: "nuget owner mismatch", needles: []string{"does not match repo owner"},
		pattern: regexp.MustCompile(`(?P<msg>Source owner '[^']*' does not match repo owner '[^']*')`),
		kind:    KindWriteDenied, tool: "nuget", families: []family{familyNuGet}, fallbackRegistry: RegistryNuGet, wording: githubOnly},
	{name: "rubygems authentication required", needles: []string{"Authentication is required for rubygems.pkg.github.com"},
		kind: KindAuthFailed, message: "Authentication is required for rubygems.pkg.github.com", tool: "gem"},
	{name: "denied: denied", needles: []string{"denied: denied", "DENIED: denied"},
		pattern: regexp.MustCompile(`(?i)(?:^|[^_a-z])denied: denied\b`), kind: KindAuthFailed, message: "denied: denied",
		source: fromLineOrContext, wording: anyRegistry},
	{name: "empty login", needles: []string{"Username and password required"},
		kind: KindAuthFailed, message: "Username and password required", tool: "docker", families: containerFamilies},
	{name: "authentication required", needles: []string{"unauthorized: authentication required", "UNAUTHORIZED: authentication required"},
		kind: KindAuthFailed, pullKind: KindReadDenied, message: "unauthorized: authentication required", source: fromLine, families: containerFamilies},
	{name: "anonymous token", needles: []string{"403", "401"},
		pattern: regexp.MustCompile(`failed to fetch anonymous token: unexpected status(?: from [A-Z]+ request to \S+)?: (?P<code>40[13])`),
		kind:    KindAuthFailed, pullKind: KindReadDenied, message: "failed to fetch anonymous token", tool: "buildx",
		families: containerFamilies, wording: githubWhenAlone, statusOnly: true},
	{name: "bearer token", needles: []string{"registry 403", "registry 401"},
		pattern: regexp.MustCompile(`[Rr]equesting bearer token: invalid status code from registry (?P<code>40[13])`),
		kind:    KindAuthFailed, pullKind: KindReadDenied, message: "requesting a bearer token was refused", tool: "podman",
		families: containerFamilies, wording: githubWhenAlone, statusOnly: true},
	// The GitHub API says the same to actions/github-script: only a NuGet
	// step's own registry counts.
	{name: "nuget integration", needles: []string{"Resource not accessible by integration"},
		kind: KindWriteDenied, message: "Resource not accessible by integration", tool: "nuget", families: []family{familyNuGet},
		sameStep: true},
	{name: "lowercase name", needles: []string{"must be lowercase"},
		kind: KindInvalidName, message: lowercaseMessage, families: containerFamilies, wording: githubWhenAlone},
	{name: "name characters", needles: []string{"abcdefghijklmnopqrstuvwxyz"},
		pattern: regexp.MustCompile(`can only contain the characters`),
		kind:    KindInvalidName, message: lowercaseMessage, families: containerFamilies, wording: githubWhenAlone},
	{name: "invalid reference", needles: []string{"invalid reference format"},
		kind: KindInvalidName, message: "invalid reference format", families: containerFamilies},
	{name: "image without owner", needles: []string{"failed to push ghcr.io/", "failed to push docker.pkg.github.com/"},
		pattern: regexp.MustCompile(`failed to push (?:ghcr\.io|docker\.pkg\.github\.com)/[A-Za-z0-9._\-]+(?::[A-Za-z0-9._\-]+)?(?::|\s|$)`),
		kind:    KindInvalidName, message: NoOwnerMessage, source: fromLine, families: containerFamilies},
	{name: "maven upper-case artifact", needles: []string{"422"},
		pattern: regexp.MustCompile(`\b422\b.{0,40}Unprocessable Entity|Unprocessable Entity \(422\)|status code:? 422\b`),
		kind:    KindInvalidName, message: MavenUppercaseMessage, tool: "maven", source: fromLine,
		families: []family{familyMaven}},
	{name: "npm scope mismatch", needles: []string{"404 Not Found - PUT"},
		pattern: regexp.MustCompile(`404 Not Found - PUT (?P<url>https?://\S+)`),
		kind:    KindOwnerNotFound, message: NpmScopeMismatchMessage, tool: "npm", source: fromLine,
		families: []family{familyNPM}},
	{name: "docker login failed", needles: []string{"Docker login for"},
		pattern: regexp.MustCompile(`Docker login for '(?P<url>[^']+)' failed with exit code`),
		kind:    KindAuthFailed, message: "docker login failed", tool: "docker", source: fromLine,
		families: containerFamilies, notAfterTransient: true},
	{name: "daemon denied", needles: []string{"daemon: denied", "daemon: unauthorized"},
		pattern: regexp.MustCompile(`Error response from daemon: (?P<msg>denied|unauthorized)\.?\s*$`),
		kind:    KindReadDenied, loginKind: KindAuthFailed, tool: "docker",
		families: containerFamilies, wording: githubWhenAlone},
	{name: "reading manifest", needles: []string{": denied", ": unauthorized", ": DENIED", ": UNAUTHORIZED"},
		pattern: regexp.MustCompile(`reading manifest \S+ in (?P<url>\S+): (?P<word>denied|unauthorized|DENIED|UNAUTHORIZED)(?:\.|:|$|\s)`),
		method:  "GET", tool: "podman", source: fromLine, families: containerFamilies},
	{name: "daemon registry refusal", needles: []string{"error from registry: unauthorized", "error from registry: denied"},
		pattern: regexp.MustCompile(`error from registry: (?P<word>unauthorized|denied)\.?\s*$`),
		method:  "GET", tool: "docker", families: containerFamilies, wording: githubWhenAlone},
	{name: "resource denied by GitHub Packages", needles: []string{"requested access to the resource is denied"},
		kind: KindReadDenied, pushKind: KindWriteDenied, message: "denied: requested access to the resource is denied",
		source: fromLine, families: containerFamilies},
	{name: "npm invalid token", needles: []string{"your authentication token seems to be invalid"},
		kind: KindAuthFailed, message: "Unable to authenticate, your authentication token seems to be invalid", tool: "npm",
		families: []family{familyNPM}},
	{name: "login without a password", needles: []string{"Cannot perform an interactive login from a non TTY device"},
		kind: KindAuthFailed, message: "docker login got no password (an empty secret)", tool: "docker", families: containerFamilies},
	{name: "login refused", needles: []string{"invalid username/password"},
		pattern: regexp.MustCompile(`(?i)logging in(?:to)? "?(?P<url>[^"\s:]+)"?: invalid username/password`),
		kind:    KindAuthFailed, message: "invalid username/password", tool: "podman", source: fromLine, families: containerFamilies},
	{name: "registry refused request", needles: []string{": unauthorized", ": denied", ": UNAUTHORIZED", ": DENIED"},
		pattern: reStatusVerb, source: fromLine, families: containerFamilies},
	{name: "refusal at the end of a GitHub Packages line", needles: []string{": denied", ": unauthorized", ": DENIED", ": UNAUTHORIZED", ": authentication required"},
		pattern: regexp.MustCompile(`: (?P<word>denied|unauthorized|DENIED|UNAUTHORIZED|authentication required)\.?\s*$`),
		source:  fromLine, families: containerFamilies},
	{name: "name invalid", needles: []string{"NAME_INVALID", "name invalid: "},
		kind: KindInvalidName, message: "name invalid: the registry refused the repository name", source: fromLine, families: containerFamilies},
	{name: "yarn berry authentication", needles: []string{"YN0041"},
		pattern: regexp.MustCompile(`YN0041.*Invalid authentication`),
		kind:    KindAuthFailed, message: "Invalid authentication", tool: "npm", families: []family{familyNPM}},
	{name: "nuget missing api key", needles: []string{"404"},
		pattern: regexp.MustCompile(`does not indicate success: 404 \(Not Found\)`),
		kind:    KindAuthFailed, message: "404 Not Found (no API key was provided)", tool: "nuget",
		families: []family{familyNuGet}, afterNote: noteNoAPIKey},

	// Client wrappers around a bare HTTP status.
	{name: "destination repository", needles: []string{": 403 (Forbidden)", ": 401 (Unauthorized)"},
		pattern: regexp.MustCompile(`failed to read from destination repository \S+: (?P<code>40[13])`),
		tool:    "podman", families: containerFamilies, wording: githubWhenAlone, statusOnly: true},
	{name: "buildkit status from request", needles: []string{": 403", ": 401"},
		pattern:    regexp.MustCompile(`unexpected status from (?P<method>[A-Z]+) request to (?P<url>\S+): (?P<code>40[13])`),
		tool:       "buildx",
		source:     fromLine,
		statusOnly: true},
	{name: "containerd pull status", needles: []string{"]: 403", "]: 401"},
		pattern:    regexp.MustCompile(`pulling from host (?P<url>\S+) failed with status code \[manifests [^\]]*\]: (?P<code>40[13])`),
		kind:       KindReadDenied,
		tool:       "containerd",
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
		families:   []family{familyNPM},
		statusOnly: true},
	{name: "pnpm fetch", needles: []string{"ERR_PNPM_FETCH_40"},
		pattern:    regexp.MustCompile(`ERR_PNPM_FETCH_(?P<code>40[13])\s+(?P<method>[A-Z]+) (?P<url>https?://\S+?):?(?:\s|$)`),
		tool:       "pnpm",
		source:     fromLine,
		families:   []family{familyNPM},
		statusOnly: true},
	{name: "yarn request failed", needles: []string{"403 Forbidden", "401 Unauthorized"},
		pattern:    regexp.MustCompile(`"(?P<url>https?://[^"]+?):? Request failed \\?"(?P<code>40[13]) `),
		method:     "GET",
		tool:       "yarn",
		source:     fromLine,
		families:   []family{familyNPM},
		statusOnly: true},
	{name: "gradle status", needles: []string{"Received status code 403", "Received status code 401"},
		pattern:    regexp.MustCompile(`Could not (?P<method>[A-Z]+) '(?P<url>[^']+)'\. Received status code (?P<code>40[13])`),
		tool:       "gradle",
		source:     fromLine,
		families:   []family{familyMaven},
		statusOnly: true},
	{name: "maven status", needles: []string{"403", "401", "ReasonPhrase: Unauthorized", "ReasonPhrase:Unauthorized"},
		pattern:    regexp.MustCompile(`(?:status code:? |Return code is: |status code )(?P<code>40[13])\b|Not authorized\s*, ReasonPhrase:\s*(?P<msg>Unauthorized)`),
		tool:       "maven",
		source:     fromLine,
		families:   []family{familyMaven},
		statusOnly: true},
	{name: "rubygems bad response", needles: []string{"Unauthorized 401", "Forbidden 403"},
		pattern:    regexp.MustCompile(`bad response (?:Unauthorized|Forbidden) (?P<code>40[13]) \((?P<url>https?://[^)\s]+)`),
		tool:       "gem",
		source:     fromLine,
		families:   []family{familyRubyGems},
		statusOnly: true},
	{name: "nuget status line", needles: []string{"pkg.github.com"},
		pattern:    regexp.MustCompile(`^\s*(?P<msg>Forbidden|Unauthorized) (?P<url>https?://nuget\.\S*)`),
		tool:       "nuget",
		source:     fromLine,
		families:   []family{familyNuGet},
		statusOnly: true},
	{name: "nuget response status", needles: []string{"does not indicate success: 403", "does not indicate success: 401"},
		pattern:    regexp.MustCompile(`does not indicate success: (?P<code>40[13])`),
		tool:       "nuget",
		families:   []family{familyNuGet},
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
		families:   []family{familyContainer},
		wording:    githubWhenAlone,
		statusOnly: true},
	{name: "status on a GitHub Packages line", needles: []string{"403 Forbidden", "401 Unauthorized"},
		pattern:    regexp.MustCompile(`\b(?P<code>40[13]) (?:Forbidden|Unauthorized)\b`),
		source:     fromLine,
		statusOnly: true},
	// Last: a mixed-case name on an error line that nothing above explains
	// (all-capitals segments are placeholders people paste, MY_ORG/REPO).
	{name: "upper-case GitHub Packages reference", needles: []string{"ghcr.io/", "docker.pkg.github.com/"},
		pattern: regexp.MustCompile(`(?:[Ee]rror|[Ii]nvalid|[Ff]ailed|[Cc]ould not|[Cc]annot)\b.*?\b(?:ghcr\.io|docker\.pkg\.github\.com)/(?:[A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*(?:[a-z][A-Za-z0-9._-]*[A-Z]|[A-Z][A-Za-z0-9._-]*[a-z])`),
		kind:    KindInvalidName, message: lowercaseMessage, source: fromLine, families: containerFamilies},
}

// transientMarkers are (lower-case) texts of rate limits, server errors and
// network failures: a bare 403/401 on such a line is not a permission verdict.
var transientMarkers = []string{
	"toomanyrequests", "too many requests", "internal server error", "bad gateway",
	"service unavailable", "gateway timeout", "blob upload unknown", ": 499", " 499 ",
	"cannot reuse body", "broken pipe", "connection reset", "timeout", "timed out",
	"deadline exceeded", "no such host", "tls handshake", ": eof", "unexpected eof",
}
