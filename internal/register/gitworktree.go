package register

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// GitWorkTree returns the root of the git work tree that holds path's
// directory, if any: the nearest parent with a .git entry (a directory, or
// the file of a linked work tree or submodule).
func GitWorkTree(path string) (string, bool, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false, fmt.Errorf("resolving %s: %w", path, err)
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, true, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", false, fmt.Errorf("looking for a git work tree: %w", err)
		}
		if filepath.Dir(dir) == dir {
			return "", false, nil
		}
	}
}
