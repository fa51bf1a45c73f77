// Package ghcache makes a command-line run's reads of GitHub conditional:
// GitHub's answers are kept in files, and the next run asks with their
// ETags, so what did not change comes back as 304 Not Modified, which
// costs no rate limit. The App's server keeps its own bounded cache in
// memory (internal/server); this one is for `bot audit --org/--repo`.
//
// No token is ever written: the cache sits above the transport that adds
// the Authorization header, so its entries hold no credential, and each
// token (with the API address) gets a directory of its own, named by a
// hash, so one token's answers are never served to another.
package ghcache
