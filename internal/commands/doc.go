// Package commands carries out the `/ghcr` commands people give ghcr-doctor in
// comments on its diagnoses, and the Fix button of its check runs: it parses
// the commands, authorises each against the commenter's current role,
// builds a fix plan from a fresh diagnosis of the run, applies what the bot
// may apply (a pull request that edits the workflow, a workflow-permission
// setting), and renders a reply that says what was done, what was not and
// why, and what only a person can do.
package commands
