package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOwnerAndName(t *testing.T) {
	tests := []struct {
		url         string
		owner, name string
		ok          bool
	}{
		{"https://github.com/Acme/Web-App.git", "Acme", "Web-App", true},
		{"https://github.com/acme/api", "acme", "api", true},
		{"git@github.com:acme/api.git", "acme", "api", true},
		{"ssh://git@github.example.com/acme/api.git", "acme", "api", true},
		{"https://github.com/acme", "", "", false},
		{"https://gitlab.com/group/sub/project.git", "", "", false},
		{"/srv/git/api.git", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		owner, name, ok := ownerAndName(tt.url)
		if owner != tt.owner || name != tt.name || ok != tt.ok {
			t.Errorf("ownerAndName(%q) = %q, %q, %v; want %q, %q, %v", tt.url, owner, name, ok, tt.owner, tt.name, tt.ok)
		}
	}
}

func TestRemoteURLReadsOriginOnly(t *testing.T) {
	cfg := []byte("[core]\n\turl = nope\n[remote \"upstream\"]\n\turl = https://github.com/other/api.git\n[remote \"origin\"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n\turl = git@github.com:Acme/API.git\n")
	if got := remoteURL(cfg, "origin"); got != "git@github.com:Acme/API.git" {
		t.Fatalf("remoteURL = %q", got)
	}
}

func TestOriginRepositoryOfLinkedWorkTree(t *testing.T) {
	main := t.TempDir()
	common := filepath.Join(main, ".git")
	wtGit := filepath.Join(common, "worktrees", "feature")
	if err := os.MkdirAll(wtGit, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(common, "config"), "[remote \"origin\"]\n\turl = https://github.com/Acme/Shop.git\n")
	write(t, filepath.Join(wtGit, "commondir"), "../..\n")
	linked := t.TempDir()
	write(t, filepath.Join(linked, ".git"), "gitdir: "+wtGit+"\n")

	for _, root := range []string{main, linked} {
		owner, name, ok := originRepository(root)
		if !ok || owner != "Acme" || name != "Shop" {
			t.Errorf("originRepository(%s) = %q, %q, %v", root, owner, name, ok)
		}
	}
	if _, _, ok := originRepository(t.TempDir()); ok {
		t.Error("a directory without a checkout has no origin")
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
