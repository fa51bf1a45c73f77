// Package deploy holds ghcr-doctor's deployment files. The GitHub App
// manifest is embedded from app-manifest.json, so `bot register` posts
// exactly the file that the documentation describes.
package deploy

import _ "embed"

//go:embed app-manifest.json
var appManifest []byte

// AppManifest returns a copy of the GitHub App manifest (app-manifest.json).
func AppManifest() []byte { return append([]byte(nil), appManifest...) }
