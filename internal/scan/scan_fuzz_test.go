package scan

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
	f.Add([]byte("> ```$ docker pull ghcr.io/a/b\n# → Error response from daemon: denied\nfailed to push ghcr.io/x: \nunexpected status: 403 Forbidden\n"))
	f.Add([]byte("section_start:1:step\r\x1b[0K\n##[section]Starting: x\n[command]/usr/bin/docker push a/b\nRun x\n12#3 ERROR: denied: denied\n"))
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
			switch finding.RegistryFrom {
			case RegistryFromLine, RegistryFromStep, RegistryFromJob, RegistryFromWording:
			default:
				t.Fatalf("finding registry source %q", finding.RegistryFrom)
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

func FuzzUnpasteLine(f *testing.F) {
	for _, seed := range []string{
		"> ```console $ docker push ghcr.io/a/b",
		"PS C:\\src> docker pull x",
		"12Run docker/login-action@v3",
		"[ghcr.io/a](http://ghcr.io/a) [2](https://github.com/a/b/actions/runs/1#step:2:3)",
		"section_start:1700000000:build[collapsed=true]\r\x1b[0Kx",
		"# → Error: denied",
		"_Error response from daemon: denied_",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		out := unpasteLine(line)
		if len(out.text) > len(line) {
			t.Fatalf("unpasting grew %q to %q", line, out.text)
		}
		if out.section != "" && !strings.Contains(line, out.section) {
			t.Fatalf("section %q is not in %q", out.section, line)
		}
	})
}
