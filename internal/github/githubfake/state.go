package githubfake

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
)

// Repo describes a repository to create with AddRepo.
type Repo struct {
	Owner string
	Name  string
	// ID defaults to a generated one.
	ID      int64
	Private bool
	// DefaultBranch defaults to "main".
	DefaultBranch string
	// OwnerType is "Organization" or "User"; it defaults to the type of the
	// installation account when the owner is that account, else "User".
	OwnerType string
	Fork      bool
	// InstallationID is the installation that covers this repository.
	InstallationID int64
}

// FullName is "owner/name".
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

// Run describes a workflow run attempt to add with AddRun.
type Run struct {
	ID int64
	// Attempt is the run attempt, from 1; adding the same ID with a higher attempt adds an attempt.
	Attempt    int
	Name       string // workflow name
	Path       string // workflow file, e.g. ".github/workflows/release.yml"
	HeadSHA    string
	HeadBranch string
	Event      string // defaults to "push"
	Status     string // defaults to "completed"
	Conclusion string
	// Actor and TriggeringActor are logins; TriggeringActor defaults to Actor.
	Actor           string
	TriggeringActor string
	// HeadRepoFullName is "owner/name" of the head repository; defaults to the repository itself.
	HeadRepoFullName string
	// PullRequests are numbers of pull requests added with AddPull.
	PullRequests []int
	WorkflowID   int64
	RunNumber    int
	DisplayTitle string
	CreatedAt    time.Time
}

// Step is a step of a job.
type Step struct {
	Name       string
	Number     int64
	Status     string // defaults to "completed"
	Conclusion string
	// Log, when set, is written to the run log archive as "<job>/<n>_<step>.txt".
	Log []byte
}

// Job describes a job of a workflow run attempt to add with AddJob.
type Job struct {
	ID int64
	// RunAttempt defaults to the run's latest attempt.
	RunAttempt int
	Name       string
	Status     string // defaults to "completed"
	Conclusion string
	Steps      []Step
	Labels     []string
	RunnerName string
	// Log is the plain-text job log served through the signed download URL.
	Log []byte
	// LogExpired makes the log endpoints answer 410 like logs past retention.
	LogExpired bool
	// LogMissing makes the log endpoints answer 404.
	LogMissing bool
}

// Pull describes a pull request to add with AddPull.
type Pull struct {
	// Number defaults to the next issue number of the repository.
	Number  int
	Title   string
	Body    string
	HeadSHA string
	HeadRef string
	BaseRef string
	// HeadRepoFullName defaults to the repository itself; another name marks a fork.
	HeadRepoFullName string
	User             string
	State            string // "open" (default) or "closed"
	Draft            bool
	Merged           bool
	Labels           []string
}

// Comment is an issue or pull request comment.
type Comment struct {
	ID        int64
	Issue     int
	Body      string
	User      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Issue is an issue or a pull request seen through the issues API.
type Issue struct {
	Number      int
	Title       string
	Body        string
	State       string
	StateReason string
	Labels      []string
	IsPR        bool
	User        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Annotation is a check run annotation.
type Annotation struct {
	Path            string
	StartLine       int
	EndLine         int
	StartColumn     *int
	EndColumn       *int
	AnnotationLevel string
	Message         string
	Title           string
	RawDetails      string
}

// CheckRunOutput is the output of a check run.
type CheckRunOutput struct {
	Title       string
	Summary     string
	Text        string
	Annotations []Annotation
}

// CheckRunAction is a button requested on a check run.
type CheckRunAction struct {
	Label       string
	Description string
	Identifier  string
}

// CheckRun is a check run created by the app.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	ExternalID  string
	DetailsURL  string
	Output      CheckRunOutput
	Actions     []CheckRunAction
	StartedAt   time.Time
	CompletedAt time.Time
}

// Reaction is a reaction to an issue comment.
type Reaction struct {
	ID        int64
	CommentID int64
	Content   string
	User      string
}

// Request is one request the fake answered.
type Request struct {
	Method string
	Path   string
	Query  string
	Status int
	// Auth is "jwt", "installation", "none" or "other" (unrecognised or expired credentials).
	Auth           string
	InstallationID int64
	Time           time.Time
}

// Rerun is a recorded re-run request.
type Rerun struct {
	RunID int64
	// Kind is "failed-jobs" or "all".
	Kind string
}

type installation struct {
	id          int64
	account     string
	accountType string
	perms       map[string]string
	createdAt   time.Time
}

type installToken struct {
	value   string
	inst    *installation
	perms   map[string]string
	repoIDs map[int64]bool // nil: all repositories of the installation
	expires time.Time
}

type orgState struct {
	login        string
	workflowPerm string
	canApprove   bool
	members      map[string]string // lower login -> role
	memberLogins map[string]string // lower login -> login
}

type commit struct {
	sha     string
	parent  string
	message string
	files   map[string][]byte
	author  string
	date    time.Time
}

type runState struct {
	attempts map[int]*Run
	latest   int
}

type jobState struct {
	Job
	runID int64
	repo  *repoState
}

type issueState struct {
	Issue
	id       int64
	pull     *Pull
	closedAt time.Time
}

type commentState struct {
	Comment
	repo *repoState
}

type checkRunState struct {
	CheckRun
	repo *repoState
	// updatedAt is when the check run was last written; its suite's
	// updated_at is the latest of its check runs'.
	updatedAt time.Time
}

type collaborator struct {
	login      string
	permission string
	roleName   string
}

type repoState struct {
	Repo
	createdAt      time.Time
	commits        map[string]*commit
	branches       map[string]string
	runs           map[int64]*runState
	issues         map[int]*issueState
	nextNumber     int
	labels         map[string]*label
	collaborators  map[string]collaborator
	workflowPerm   string
	canApprove     bool
	workflowLocked bool
	reruns         []Rerun
}

type label struct {
	id    int64
	name  string
	color string
}

type state struct {
	nextID        int64
	installations map[int64]*installation
	tokens        map[string]*installToken
	repos         map[string]*repoState
	orgs          map[string]*orgState
	jobs          map[int64]*jobState
	comments      map[int64]*commentState
	checkRuns     map[int64]*checkRunState
	reviews       reviewStore
	reactions     []Reaction
	deliveries    []*delivery
	redeliveries  []int64
	signed        map[string]*signedBlob
	faults        []*Fault
	requests      []Request
	rateUsed      map[string]int
}

func newState() *state {
	return &state{
		nextID:        1000,
		installations: map[int64]*installation{},
		tokens:        map[string]*installToken{},
		repos:         map[string]*repoState{},
		orgs:          map[string]*orgState{},
		jobs:          map[int64]*jobState{},
		comments:      map[int64]*commentState{},
		checkRuns:     map[int64]*checkRunState{},
		signed:        map[string]*signedBlob{},
		rateUsed:      map[string]int{},
	}
}

// newID returns a fresh ID, skipping IDs that tests chose for comments, check runs and jobs.
func (st *state) newID() int64 {
	for {
		st.nextID++
		_, c := st.comments[st.nextID]
		_, r := st.checkRuns[st.nextID]
		_, j := st.jobs[st.nextID]
		if !c && !r && !j {
			return st.nextID
		}
	}
}

func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

// lookupRepo finds a repository by owner and name, case-insensitively.
func (st *state) lookupRepo(owner, name string) *repoState {
	return st.repos[repoKey(owner, name)]
}

func (st *state) repoByFullName(fullName string) *repoState {
	return st.repos[strings.ToLower(fullName)]
}

// stableID derives a deterministic positive ID from a name, so payloads are reproducible.
func stableID(kind, name string) int64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(kind + ":" + strings.ToLower(name)))
	return int64(h.Sum32()%900000000) + 10000000
}

// blobSHA is git's object ID of a blob with this content.
func blobSHA(content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(content))
	_, _ = h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// treeSHA is a stable digest of a commit's file set.
func treeSHA(files map[string][]byte) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha1.New()
	for _, p := range paths {
		fmt.Fprintf(h, "%s %s\n", p, blobSHA(files[p]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func isSHA(ref string) bool {
	if len(ref) != 40 {
		return false
	}
	_, err := hex.DecodeString(ref)
	return err == nil
}

// newCommit creates a commit on top of parent (which may be empty) with the given files.
func (r *repoState) newCommit(st *state, parent, message, author string, files map[string][]byte, when time.Time) *commit {
	h := sha1.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%d\n%s", parent, treeSHA(files), message, st.newID(), author)
	c := &commit{sha: hex.EncodeToString(h.Sum(nil)), parent: parent, message: message, files: files, author: author, date: when}
	r.commits[c.sha] = c
	return c
}

// resolveRef maps a branch name, "refs/heads/<branch>", "heads/<branch>" or a
// commit SHA (full or an unambiguous prefix of at least 7) to a commit.
func (r *repoState) resolveRef(ref string) *commit {
	if ref == "" {
		ref = r.DefaultBranch
	}
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "refs/"), "heads/")
	if sha, ok := r.branches[ref]; ok {
		return r.commits[sha]
	}
	if c, ok := r.commits[strings.ToLower(ref)]; ok {
		return c
	}
	if len(ref) >= 7 {
		var found *commit
		for sha, c := range r.commits {
			if strings.HasPrefix(sha, strings.ToLower(ref)) {
				if found != nil {
					return nil
				}
				found = c
			}
		}
		return found
	}
	return nil
}

func copyFiles(files map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(files))
	for k, v := range files {
		out[k] = v
	}
	return out
}

func cloneStrings(in []string) []string { return append([]string(nil), in...) }

func permsCopy(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}
