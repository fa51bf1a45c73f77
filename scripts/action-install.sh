#!/usr/bin/env bash
# Installs ghcr-doctor for the Action (action.yml) on a GitHub-hosted or
# self-hosted runner, and writes its path as the step output "bin".
#
# For a release (the version input, else the action's ref, when it is a
# version tag such as v1.2.3) it downloads the release's archive for the
# runner's OS and architecture and its checksums file, and refuses an
# archive whose SHA-256 the checksums file does not list or does not match.
# For any other ref (a branch, a commit, a major-version tag such as v1), a
# release without an archive for this runner, or an OS or architecture
# without a release build, it builds the action's own source with the
# runner's Go (Go 1.21 or newer fetches the toolchain go.mod names).
#
# Environment:
#   GHCR_DOCTOR_VERSION        the version input; empty means the action's ref
#   ACTION_REF                 the action's ref (github.action_ref)
#   ACTION_REPOSITORY          the action's repository (github.action_repository)
#   GITHUB_ACTION_PATH         the action's source, set by the runner
#   GITHUB_SERVER_URL          where releases are downloaded from
#   GHCR_DOCTOR_RELEASES_URL   overrides "$GITHUB_SERVER_URL/$ACTION_REPOSITORY/releases/download"
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT  set by the runner
set -euo pipefail

die() {
  echo "::error title=ghcr-doctor could not be installed::$*"
  exit 1
}

say() { echo "ghcr-doctor: $*"; }

repo=${ACTION_REPOSITORY:-ghcr-doctor/ghcr-doctor}
releases=${GHCR_DOCTOR_RELEASES_URL:-${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download}
version=${GHCR_DOCTOR_VERSION:-${ACTION_REF:-}}
dest=${RUNNER_TEMP:-$(mktemp -d)}/ghcr-doctor
mkdir -p "$dest"

case "${RUNNER_OS:-}" in
  Linux) os=linux ;;
  macOS) os=darwin ;;
  Windows) os=windows ;;
  *) os="" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;;
  ARM64) arch=arm64 ;;
  *) arch="" ;;
esac
ext=""
if [ "$os" = windows ]; then ext=.exe; fi

sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | awk '{print $1}'
  else
    shasum -a 256 "$1" | awk '{print $1}'
  fi
}

# fetch URL FILE prints the HTTP status; it fails only when nothing answered.
fetch() {
  curl -sSL --retry 3 --retry-connrefused -o "$2" -w '%{http_code}' "$1"
}

# install_release installs the release's binary; it returns 2 when the
# release or its archive for this runner does not exist. It runs where
# errexit does not apply (in an ||), so every step checks for itself.
install_release() {
  local ver=${version#v}
  local name="ghcr-doctor_${ver}_${os}_${arch}"
  local archive="$name.tar.gz"
  if [ "$os" = windows ]; then archive="$name.zip"; fi
  local sums="ghcr-doctor_${ver}_checksums.txt"
  local base="$releases/$version"
  local tmp status expected actual
  tmp=$(mktemp -d) || die "making a temporary directory failed"

  status=$(fetch "$base/$sums" "$tmp/$sums") || die "downloading $base/$sums failed"
  case "$status" in
    200) ;;
    404) say "$version has no release checksums file at $base; building from source instead."; return 2 ;;
    *) die "downloading $base/$sums: HTTP $status" ;;
  esac
  status=$(fetch "$base/$archive" "$tmp/$archive") || die "downloading $base/$archive failed"
  case "$status" in
    200) ;;
    404) say "release $version has no $archive; building from source instead."; return 2 ;;
    *) die "downloading $base/$archive: HTTP $status" ;;
  esac

  expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f {print $1; exit}' "$tmp/$sums")
  [ -n "$expected" ] || die "$sums does not list $archive; refusing an archive that cannot be verified"
  actual=$(sha256 "$tmp/$archive") || die "computing the SHA-256 of $archive failed"
  [ "$expected" = "$actual" ] || die "$archive does not match $sums (SHA-256 $actual, expected $expected); refusing it"
  say "verified $archive against $sums (SHA-256 $actual)."

  if [ "$os" = windows ]; then
    if command -v unzip >/dev/null; then
      unzip -q -o "$tmp/$archive" -d "$dest" || die "unpacking $archive failed"
    else
      powershell -NoProfile -Command "Expand-Archive -Force -Path '$tmp/$archive' -DestinationPath '$dest'" || die "unpacking $archive failed"
    fi
  else
    tar -xzf "$tmp/$archive" -C "$dest" || die "unpacking $archive failed"
  fi
  bin="$dest/$name/bot$ext"
  [ -f "$bin" ] || die "$archive holds no $name/bot$ext"
  chmod +x "$bin" || die "making $bin executable failed"
}

build_from_source() {
  local src=${GITHUB_ACTION_PATH:-}
  [ -f "${src:-/nonexistent}/go.mod" ] || die "the action's source is not at GITHUB_ACTION_PATH (${src:-unset})"
  command -v go >/dev/null || die "ref ${version:-(none)} has no release to download and the runner has no Go: add actions/setup-go before this step, or use a release (ghcr-doctor/ghcr-doctor@vX.Y.Z, or the version input)"
  say "building from the action's source with $(go version)."
  bin="$dest/bot$ext"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/bot) || die "building from source failed"
}

bin=""
if [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] && [ -n "$os" ] && [ -n "$arch" ]; then
  rc=0
  install_release || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then exit "$rc"; fi
elif [ -z "$os" ] || [ -z "$arch" ]; then
  say "no release build for ${RUNNER_OS:-this OS} on ${RUNNER_ARCH:-this architecture}; building from source."
else
  say "ref ${version:-(none)} is not a release version (vX.Y.Z); building from source."
fi
if [ -z "$bin" ]; then build_from_source; fi

echo "bin=$bin" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
say "installed $("$bin" --version 2>/dev/null || echo "$bin")."
