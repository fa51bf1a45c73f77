package diagnose

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzScanLog(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "logs", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("\xef\xbb\xbf##[group]Run x\n##[group]GITHUB_TOKEN Permissions\nPackages: write\n"))
	f.Add([]byte("\x1b[31mdenied: denied\x1b\n\r\n\x00ghcr.io/\xff/\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Scanner{MaxLineBytes: 256}.Scan(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if want := bytes.Count(data, []byte{'\n'}); res.Lines != want && res.Lines != want+1 {
			t.Fatalf("Lines = %d for %d newlines", res.Lines, want)
		}
		for _, finding := range res.Findings {
			if finding.Line < 1 || finding.Line > res.Lines {
				t.Fatalf("finding line %d outside 1..%d", finding.Line, res.Lines)
			}
			if !isGitHubPackagesHost(finding.Registry) {
				t.Fatalf("finding registry %q is not GitHub Packages", finding.Registry)
			}
			if finding.Kind == "" || finding.Tool == "" || finding.Message == "" {
				t.Fatalf("incomplete finding %+v", finding)
			}
		}
	})
}

func FuzzParsePackageReference(f *testing.F) {
	for _, seed := range []string{
		"ghcr.io/eth-act/ere/ere-base:0.0.12-caa8937",
		"https://ghcr.io/v2/a/b/blobs/uploads/",
		"https://ghcr.io/token?scope=repository%3Aa%2Fb%3Apush%2Cpull&service=ghcr.io",
		"https://npm.pkg.github.com/@doist%2ftodoist-api-typescript",
		"https://maven.pkg.github.com/o/r/g/a/1/a-1.jar",
		"https://nuget.pkg.github.com/o/download/p/index.json",
		"rubygems.pkg.github.com/o...",
		"docker.pkg.github.com/o/r/i@sha256:00",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		ref, ok := ParsePackageReference(token)
		if !ok {
			if ref != (PackageReference{}) {
				t.Fatalf("not ok but %+v", ref)
			}
			return
		}
		if !isGitHubPackagesHost(ref.Registry) {
			t.Fatalf("registry %q", ref.Registry)
		}
		if ref.Owner == "" && ref.Package != "" {
			t.Fatalf("package %q without owner", ref.Package)
		}
		if ref.Owner != "" && !isValidNameSegment(ref.Owner) {
			t.Fatalf("owner %q", ref.Owner)
		}
		if !isValidPackagePath(ref.Package) || strings.ContainsAny(ref.Package, ":@ ") {
			t.Fatalf("package %q", ref.Package)
		}
	})
}
