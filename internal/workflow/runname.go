package workflow

import (
	"regexp"
	"sort"
	"strings"
)

var exprRe = regexp.MustCompile(`\$\{\{.*?\}\}`)

// JobForRunName maps a job name as the Actions API reports it back to the
// job(s) of this file that can have produced it. Best effort, following how
// GitHub names job runs:
//
//   - a job without name: is shown by its ID, one with name: by that name with
//     its ${{ }} expressions evaluated (each expression here matches any text);
//   - a matrix job whose name does not use the matrix gets its matrix values
//     appended: "build (ubuntu-latest, 20)";
//   - a job calling a reusable workflow is shown as "caller / inner job", where
//     the inner part is named by the called workflow (any text here).
//
// Results are ordered best first. When some job matches with no expression
// involved, only those literal matches are returned. Otherwise the result is:
// jobs whose name matches through expressions, most literal text first; then
// named jobs whose ID equals the name (GitHub shows the ID when the name
// evaluates to ""); last, jobs whose whole name is one expression, which match
// anything. nil when nothing matches.
func (f *File) JobForRunName(name string) []*Job {
	name = strings.TrimSpace(name)
	if f == nil {
		return nil
	}
	var literal, patterned []*Job
	score := map[*Job]int{}
	for _, j := range f.Jobs {
		display := j.Name
		if strings.TrimSpace(display) == "" {
			display = j.ID
		}
		if matchesLiterally(j, display, name) {
			literal = append(literal, j)
			continue
		}
		if exprRe.MatchString(display) && matchesPattern(j, display, name) {
			patterned = append(patterned, j)
			score[j] = len(exprRe.ReplaceAllString(display, ""))
		}
	}
	if len(literal) > 0 {
		return literal
	}
	sort.SliceStable(patterned, func(a, b int) bool { return score[patterned[a]] > score[patterned[b]] })
	var out, anything []*Job
	for _, j := range patterned {
		if score[j] > 0 {
			out = append(out, j)
		} else {
			anything = append(anything, j)
		}
	}
	for _, j := range f.Jobs {
		if j.Name != "" && matchesLiterally(j, j.ID, name) {
			out = append(out, j)
		}
	}
	return append(out, anything...)
}

func matchesLiterally(j *Job, display, name string) bool {
	if exprRe.MatchString(display) {
		return false
	}
	display = strings.TrimSpace(display)
	if name == display {
		return true
	}
	if j.Matrix && strings.HasPrefix(name, display+" (") && strings.HasSuffix(name, ")") {
		return true
	}
	return j.Uses != "" && strings.HasPrefix(name, display+" / ") && len(name) > len(display)+3
}

func matchesPattern(j *Job, display, name string) bool {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range exprRe.FindAllStringIndex(display, -1) {
		b.WriteString(regexp.QuoteMeta(display[last:loc[0]]))
		b.WriteString(".*?")
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(display[last:]))
	base := strings.TrimSpace(b.String())
	alts := []string{base + "$"}
	if j.Matrix {
		alts = append(alts, base+` \(.*\)$`)
	}
	if j.Uses != "" {
		alts = append(alts, base+` / .+$`)
	}
	for _, a := range alts {
		re, err := regexp.Compile("(?s)" + a)
		if err == nil && re.MatchString(name) {
			return true
		}
	}
	return false
}
