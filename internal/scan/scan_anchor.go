package scan

import (
	"bytes"
	"strings"
)

// anchorGroup is the scan anchors sharing one key byte: one vectorised
// byte search finds candidates for all of them.
type anchorGroup struct {
	key     byte
	anchors []keyedAnchor
	// after is the set of bytes that follow the key byte in the group's
	// anchors (a bit per byte value; the end of an anchor allows any): one
	// lookup discards most occurrences of a common key byte.
	after [4]uint64
}

func (g *anchorGroup) allowsAfter(c byte) bool { return g.after[c>>6]&(1<<(c&63)) != 0 }

// keyedAnchor is an anchor and the offset of its group's key byte in it.
type keyedAnchor struct {
	text []byte
	off  int
}

// scanAnchorGroups is scanAnchors grouped by their key byte, for raw
// runner logs; pastedAnchorGroups adds pastedLogAnchors, for the start of
// every log until it shows it is a raw one.
var (
	scanAnchorGroups   = groupScanAnchors(scanAnchors, scanAnchorKeys)
	pastedAnchorGroups = groupScanAnchors(append(append([]string(nil), scanAnchors...), pastedLogAnchors...), scanAnchorKeys)
)

func groupScanAnchors(anchors []string, keys map[string]byte) []anchorGroup {
	var groups []anchorGroup
	index := map[byte]int{}
	for _, a := range anchors {
		key, ok := keys[a]
		off := strings.IndexByte(a, key)
		if key == 0 {
			groups = append(groups, anchorGroup{anchors: []keyedAnchor{{text: []byte(a)}}})
			continue
		}
		if !ok || off < 0 {
			panic("scan anchor " + a + " has no key byte in it")
		}
		gi, seen := index[key]
		if !seen {
			gi = len(groups)
			index[key] = gi
			groups = append(groups, anchorGroup{key: key})
		}
		groups[gi].anchors = append(groups[gi].anchors, keyedAnchor{text: []byte(a), off: off})
		if off+1 < len(a) {
			c := a[off+1]
			groups[gi].after[c>>6] |= 1 << (c & 63)
		} else {
			groups[gi].after = [4]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
		}
	}
	return groups
}

// next returns the index in region, at or after from, of the key byte of
// the first occurrence of one of the group's anchors, or -1. A group
// without a key byte holds one anchor, searched for as a whole.
func (g *anchorGroup) next(region []byte, from int) int {
	if g.key == 0 {
		if j := bytes.Index(region[from:], g.anchors[0].text); j >= 0 {
			return from + j
		}
		return -1
	}
	for i := from; i < len(region); {
		j := bytes.IndexByte(region[i:], g.key)
		if j < 0 {
			return -1
		}
		p := i + j
		if p+1 < len(region) && !g.allowsAfter(region[p+1]) {
			i = p + 1
			continue
		}
		for _, a := range g.anchors {
			s := p - a.off
			e := s + len(a.text)
			if s >= from && e <= len(region) && region[e-1] == a.text[len(a.text)-1] && region[s] == a.text[0] &&
				string(region[s:e]) == string(a.text) {
				return p
			}
		}
		i = p + 1
	}
	return -1
}

// anchorGroupsFor adds the enterprise registry hosts to the scan anchors,
// each searched for as a whole; pasted says whether the anchors of pasted
// logs are searched too.
func anchorGroupsFor(hosts *RegistryHosts, pasted bool) []anchorGroup {
	base := scanAnchorGroups
	if pasted {
		base = pastedAnchorGroups
	}
	if len(hosts.enterpriseHosts) == 0 {
		return base
	}
	groups := append([]anchorGroup(nil), base...)
	for _, host := range hosts.enterpriseHosts {
		groups = append(groups, anchorGroup{anchors: []keyedAnchor{{text: []byte(host)}}})
	}
	return groups
}

// hasAnchor reports whether a line contains any of the scan's anchors.
func (st *scanState) hasAnchor(line []byte) bool {
	for i := range st.anchors {
		if st.anchors[i].next(line, 0) >= 0 {
			return true
		}
	}
	return false
}
