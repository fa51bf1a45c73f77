package workflow

import "go.yaml.in/yaml/v3"

// File is one parsed workflow file.
type File struct {
	// Name is the workflow's name: value, "" when absent.
	Name string
	// Events lists the triggering events from on:, in file order.
	Events []string
	// Permissions is the workflow-level permissions block, nil if absent.
	Permissions *Permissions
	// Jobs are the workflow's jobs in file order.
	Jobs []*Job
	// Env is the workflow-level env: map (nil when absent or an expression).
	Env map[string]Value
	// DefaultWorkingDirectory is defaults.run.working-directory, "" when absent.
	DefaultWorkingDirectory string

	root *yaml.Node // the top-level mapping
}

// Value is a scalar as written in the file.
type Value struct {
	// Str is the scalar's text; multi-line scalars keep their lines and
	// expressions such as ${{ secrets.X }} are kept verbatim.
	Str string
	// Line is the 1-based line where the text starts. For block scalars
	// (| and >) that is the line after the indicator. For values reached
	// through an alias it is the line of the alias.
	Line int
}

// Permissions is one permissions: block (workflow or job level).
type Permissions struct {
	// Line is the line of the permissions: key.
	Line int
	// Shorthand is "read-all" or "write-all" for the string forms, else "".
	Shorthand string
	// Empty is true for permissions: {} (every scope none).
	Empty bool
	// Scopes are the listed scopes, by name.
	Scopes map[string]Scope
	// Unknown lists scope names GitHub does not document, in file order.
	Unknown []string
}

// Scope is one listed scope of a permissions block.
type Scope struct {
	// Level is "read", "write" or "none".
	Level string
	// Line is the line of the scope's entry.
	Line int
}

// Secrets is a reusable-workflow caller's secrets: value.
type Secrets struct {
	// Inherit is true for secrets: inherit.
	Inherit bool
	// Named holds explicitly passed secrets (nil for inherit).
	Named map[string]Value
	// Line is the line of the secrets: key.
	Line int
}

// Job is one entry of jobs:.
type Job struct {
	// ID is the job's key under jobs:.
	ID string
	// Name is the raw name: value (may contain ${{ }}), "" when absent.
	Name string
	// Line is the line of the job's key.
	Line int
	// Permissions is the job-level permissions block, nil if absent.
	Permissions *Permissions
	// Uses is the reusable workflow a caller job calls, "" for normal jobs.
	Uses string
	// UsesLine is the line of the uses: value.
	UsesLine int
	// With holds the with: inputs passed to a reusable workflow.
	With map[string]Value
	// Secrets is the secrets: value of a reusable-workflow caller, nil if absent.
	Secrets *Secrets
	// Steps are the job's steps in order.
	Steps []*Step
	// If is the job's if: condition as written.
	If string
	// Matrix is true when strategy.matrix is present.
	Matrix bool
	// Env is the job-level env: map.
	Env map[string]Value
	// Needs lists the jobs this job depends on.
	Needs []string
	// RunsOn is the runs-on: value when it is a single scalar.
	RunsOn string
	// DefaultWorkingDirectory is the job's defaults.run.working-directory,
	// "" when absent.
	DefaultWorkingDirectory string

	file    *File
	keyNode *yaml.Node
	rawNode *yaml.Node // the job's value as written (may be an alias)
	node    *yaml.Node // the job's mapping (alias resolved)
}

// Step is one entry of a job's steps:.
type Step struct {
	// Index is the step's 0-based position in the job's steps list.
	Index int
	// Name, ID, Uses, Run and If are the step's keys as written.
	Name, ID, Uses, Run, If string
	// Line is the line where the step starts (its first key).
	Line int
	// RunLine is the line where the run: script text starts, 0 without run:.
	RunLine int
	// With holds the action inputs.
	With map[string]Value
	// Env is the step-level env: map.
	Env map[string]Value
	// WorkingDirectory is the step's working-directory: as written, "" when absent.
	WorkingDirectory string

	job *Job
}

// Job returns the job with the ID, or nil.
func (f *File) Job(id string) *Job {
	for _, j := range f.Jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}
