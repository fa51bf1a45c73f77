package demo

import "github.com/ghcr-doctor/ghcr-doctor/internal/samples"

// The scenarios' workflow files.
const (
	wfJobPermsWithoutPackages = samples.WorkflowJobPermsWithoutPackages
	wfNoPermissions           = samples.WorkflowNoPermissions
	wfSeed                    = samples.WorkflowSeed
	wfPAT                     = samples.WorkflowPAT
	wfUppercase               = samples.WorkflowUppercase
)

// wfReleaseOnMain publishes on pushes to main and tags only, under the
// repository's default permissions: the preflight demo's starting point.
const wfReleaseOnMain = `name: Release
on:
  push:
    branches: [main]
    tags: ["v*"]
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
