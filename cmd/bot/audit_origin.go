package main

import (
	"bufio"
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// originRepository names the GitHub repository a local checkout was cloned
// from: the owner and name in the URL of its "origin" remote. root is the
// work tree's root. ok is false when there is no checkout, no origin, or a
// URL that does not name an owner and a repository; the audit then checks
// names without them.
func originRepository(root string) (owner, name string, ok bool) {
	cfg, err := readBounded(filepath.Join(gitDir(root), "config"))
	if err != nil {
		return "", "", false
	}
	raw := remoteURL(cfg, "origin")
	if raw == "" {
		return "", "", false
	}
	return ownerAndName(raw)
}

// gitDir is the directory holding the checkout's config: .git itself, or,
// for a linked work tree ("gitdir: …" in a .git file), the common directory
// it shares with the main checkout.
func gitDir(root string) string {
	dotGit := filepath.Join(root, ".git")
	st, err := os.Stat(dotGit)
	if err != nil || st.IsDir() {
		return dotGit
	}
	b, err := readBounded(dotGit)
	if err != nil {
		return dotGit
	}
	dir, found := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
	if !found {
		return dotGit
	}
	dir = strings.TrimSpace(dir)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(root, dir)
	}
	if common, err := readBounded(filepath.Join(dir, "commondir")); err == nil {
		c := strings.TrimSpace(string(common))
		if !filepath.IsAbs(c) {
			c = filepath.Join(dir, c)
		}
		return c
	}
	return dir
}

// remoteURL returns the url of the named remote in a git config file.
func remoteURL(cfg []byte, remote string) string {
	want := `[remote "` + remote + `"]`
	in := false
	sc := bufio.NewScanner(bytes.NewReader(cfg))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			in = line == want
			continue
		}
		if !in {
			continue
		}
		key, value, found := strings.Cut(line, "=")
		if found && strings.EqualFold(strings.TrimSpace(key), "url") {
			return strings.Trim(strings.TrimSpace(value), `"`)
		}
	}
	return ""
}

// ownerAndName reads OWNER and NAME from a clone URL: https://HOST/OWNER/NAME(.git),
// ssh://git@HOST/OWNER/NAME.git or the scp-like git@HOST:OWNER/NAME.git.
func ownerAndName(raw string) (owner, name string, ok bool) {
	var path string
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
		path = u.Path
	} else if at := strings.Index(raw, ":"); at > 0 && !strings.Contains(raw[:at], "/") {
		path = raw[at+1:]
	} else {
		return "", "", false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) != 2 {
		return "", "", false
	}
	owner, name = parts[0], strings.TrimSuffix(parts[1], ".git")
	if owner == "" || name == "" {
		return "", "", false
	}
	return owner, name, true
}
