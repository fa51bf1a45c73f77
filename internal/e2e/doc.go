// Package e2e holds ghcr-doctor's end-to-end tests: they start the real HTTP
// server, send it signed webhooks, and check what it posted to a stateful
// fake of GitHub's REST API.
package e2e
