// Package orgaudit is the App's organisation audit, for organisations that
// opt in with `audit.enabled: true` in their `.github` repository's
// `.github/ghcr-doctor.yml`: after the App is installed (or given more
// repositories) and then weekly, it audits every repository of the
// installation (internal/audit) and keeps the one "GitHub Packages
// publishing health" issue of the `.github` repository current
// (internal/report). The weekly sweep queues one audit per installation
// and week, so several replicas run it once.
package orgaudit
