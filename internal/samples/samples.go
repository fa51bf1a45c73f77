// Package samples holds realistic GitHub Actions workflow files and a
// builder of job logs in GitHub's format, shared by the demo and the
// end-to-end tests.
package samples

import (
	"fmt"
	"strings"
	"time"
)

const WorkflowJobPermsWithoutPackages = `name: Release
on:
  push:
    branches: [main]
  pull_request:

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/app:latest
`

const WorkflowNoPermissions = `name: Release
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/app:latest
`

// WorkflowSeed already grants packages: write; the push still fails (the seed case).
const WorkflowSeed = `name: Release
on:
  push:
    branches: [main]

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/app:latest
`

const WorkflowPAT = `name: Release
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Log in
        run: echo "${{ secrets.CR_PAT }}" | docker login ghcr.io -u acme-bot --password-stdin
      - run: docker push ghcr.io/acme/app:latest
`

const WorkflowUppercase = `name: Release
on: push
permissions:
  contents: read
  packages: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - run: docker build -t ghcr.io/${{ github.repository }}:latest .
`

const WorkflowOtherNamespace = `name: Release
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      packages: write
    steps:
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: ${{ github.actor }}
          password: ${{ secrets.GITHUB_TOKEN }}
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/other-org/app:latest
`

// JobLog builds a job log in GitHub's format: byte order mark,
// timestamps, the "Set up job" section with the token's permissions, then
// the steps; a step's header group echoes its inputs and its output
// follows the group.
func JobLog(tokenPerms []string, step string, output ...string) string {
	var b strings.Builder
	ts := time.Date(2026, 5, 12, 15, 27, 0, 0, time.UTC)
	n := 0
	line := func(s string) {
		n++
		fmt.Fprintf(&b, "%s %s\n", ts.Add(time.Duration(n)*time.Millisecond).Format("2006-01-02T15:04:05.0000000Z"), s)
	}
	b.WriteString("\ufeff")
	line("##[group]Operating System")
	line("Ubuntu 24.04")
	line("##[endgroup]")
	if tokenPerms != nil {
		line("##[group]GITHUB_TOKEN Permissions")
		for _, p := range tokenPerms {
			line(p)
		}
		line("##[endgroup]")
	}
	line("Secret source: Actions")
	line("##[group]Run actions/checkout@v4")
	line("Syncing repository: acme/app")
	line("##[endgroup]")
	line("##[group]Run " + step)
	line("with:")
	line("  context: .")
	line("##[endgroup]")
	for _, l := range output {
		line(l)
	}
	line("##[group]Post job cleanup.")
	line("##[endgroup]")
	return b.String()
}
