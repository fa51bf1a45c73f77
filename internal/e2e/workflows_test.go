package e2e

import "github.com/ghcr-doctor/ghcr-doctor/internal/samples"

// The scenarios' workflow files.
const (
	wfJobPermsWithoutPackages = samples.WorkflowJobPermsWithoutPackages
	wfNoPermissions           = samples.WorkflowNoPermissions
	wfSeed                    = samples.WorkflowSeed
	wfPAT                     = samples.WorkflowPAT
	wfUppercase               = samples.WorkflowUppercase
	wfOtherNamespace          = samples.WorkflowOtherNamespace
)

// jobLog builds a job log in GitHub's format.
var jobLog = samples.JobLog

// wfTwoImages builds and pushes two images, ghcr.io/acme/api and
// ghcr.io/acme/web, from one job; testdata/two_packages_refused.log is a
// run of it in which both pushes were refused.
const wfTwoImages = `name: Release
on:
  push:
    branches: [main]
  pull_request:

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
      - name: Build images
        run: |
          docker build -t ghcr.io/acme/api:latest api
          docker build -t ghcr.io/acme/web:latest web
      - name: Push images
        run: |
          for svc in api web; do
            docker push ghcr.io/acme/$svc:latest || failed=1
          done
          exit ${failed:-0}
`
