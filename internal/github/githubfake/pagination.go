package githubfake

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// pageWindow is the slice of a list one page covers.
type pageWindow struct{ start, end int }

// paginate reads page and per_page (at most 100), writes the Link header for a
// list of total items, and returns the window to answer with.
func (c *call) paginate(total, defaultPerPage int) (pageWindow, bool) {
	perPage := defaultPerPage
	if v := c.query("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			c.invalid("Invalid request.\n\nper_page must be a positive integer.")
			return pageWindow{}, false
		}
		perPage = n
	}
	if perPage > 100 {
		perPage = 100
	}
	page := 1
	if v := c.query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			n = 1
		}
		page = n
	}
	last := (total + perPage - 1) / perPage
	if last < 1 {
		last = 1
	}
	start := (page - 1) * perPage
	if start > total {
		start = total
	}
	end := start + perPage
	if end > total {
		end = total
	}
	var links []string
	link := func(p int, rel string) {
		links = append(links, fmt.Sprintf(`<%s>; rel="%s"`, c.pageURL("page", strconv.Itoa(p)), rel))
	}
	if page > 1 {
		link(page-1, "prev")
	}
	if page < last {
		link(page+1, "next")
		link(last, "last")
	}
	if page > 1 {
		link(1, "first")
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	return pageWindow{start: start, end: end}, true
}

// pageURL is the request's URL with one query parameter replaced.
func (c *call) pageURL(key, value string) string {
	q := c.r.URL.Query()
	q.Set(key, value)
	return c.s.URL() + c.r.URL.Path + "?" + q.Encode()
}

func sortInt64s(v []int64) { sort.Slice(v, func(i, j int) bool { return v[i] < v[j] }) }
