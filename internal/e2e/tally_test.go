package e2e

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/githubfake"
)

// tokenRoute is where an installation token is asked for.
const tokenRoute = "/app/installations/{id}/access_tokens"

// callTally sorts the requests the bot made to GitHub the way issue 13
// states the API budget: the token apart, reads (those revalidating a
// cached answer apart, and the 304s among them), writes, and downloads of
// logs and raw files, which are not API calls.
type callTally struct {
	Total       int // every request, downloads included
	Token       int // installation tokens
	Reads       int // API GETs answered with a body (or an error)
	Conditional int // API GETs that revalidated a cached answer
	NotModified int // the 304s among them: free of rate limit on GitHub
	Writes      int // API POST, PATCH, PUT, DELETE (the token aside)
	Downloads   int // signed log URLs and raw files
	// ByRoute counts requests by "METHOD route status".
	ByRoute map[string]int
}

// RateLimited is what the requests cost of the primary rate limit: every
// API call but a 304.
func (c callTally) RateLimited() int {
	return c.Total - c.Downloads - c.NotModified
}

func tallyRequests(reqs []githubfake.Request) callTally {
	c := callTally{ByRoute: map[string]int{}}
	for _, r := range reqs {
		c.Total++
		route := r.Route
		if route == "" {
			route = r.Path
		}
		c.ByRoute[fmt.Sprintf("%s %s %d", r.Method, route, r.Status)]++
		switch {
		case strings.HasPrefix(route, "/_signed/") || strings.HasPrefix(route, "/_raw/"):
			c.Downloads++
		case route == tokenRoute:
			c.Token++
		case r.Method == http.MethodGet:
			if r.Conditional {
				c.Conditional++
			}
			if r.Status == http.StatusNotModified {
				c.NotModified++
			} else {
				c.Reads++
			}
		default:
			c.Writes++
		}
	}
	return c
}

// table prints the tally as a Markdown table, one row per endpoint.
func (c callTally) table(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n#### %s\n\n| requests | endpoint | status |\n| ---: | --- | ---: |\n", title)
	keys := make([]string, 0, len(c.ByRoute))
	for k := range c.ByRoute {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := strings.Fields(k)
		fmt.Fprintf(&b, "| %d | `%s %s` | %s |\n", c.ByRoute[k], f[0], f[1], f[2])
	}
	fmt.Fprintf(&b, "| **%d** | total: %d token, %d reads, %d writes, %d downloads; %d conditional (%d answered 304); %d cost rate limit | |\n",
		c.Total, c.Token, c.Reads, c.Writes, c.Downloads, c.Conditional, c.NotModified, c.RateLimited())
	return b.String()
}
