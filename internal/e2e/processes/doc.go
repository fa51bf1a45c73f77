// Package processes holds ghcr-doctor's durability tests: they build the
// real binary, run `bot serve` as separate processes against a fake GitHub,
// kill them with SIGKILL while jobs are in flight, and count what was posted.
package processes
