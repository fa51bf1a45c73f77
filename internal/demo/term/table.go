package term

import (
	"regexp"
	"strings"
)

var tableSeparator = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$`)

// isTableStart reports whether a table (header row and separator) starts at i.
func isTableStart(lines []string, i int) bool {
	return strings.Contains(lines[i], "|") && i+1 < len(lines) && tableSeparator.MatchString(lines[i+1])
}

// table renders a table with aligned columns; the last column is not
// padded, so long details run on.
func (r *renderer) table(i int) int {
	var rows [][]string
	rows = append(rows, r.cells(r.lines[i]))
	for i += 2; i < len(r.lines) && strings.Contains(r.lines[i], "|") && strings.TrimSpace(r.lines[i]) != ""; i++ {
		rows = append(rows, r.cells(r.lines[i]))
	}
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	widths := make([]int, cols)
	for _, row := range rows {
		for c, cell := range row {
			widths[c] = max(widths[c], Width(cell))
		}
	}
	r.blank()
	for k, row := range rows {
		var b strings.Builder
		for c := 0; c < cols; c++ {
			cell := ""
			if c < len(row) {
				cell = row[c]
			}
			if k == 0 {
				cell = r.o.Bold(cell)
			}
			b.WriteString(cell)
			if c < cols-1 {
				b.WriteString(strings.Repeat(" ", widths[c]-Width(cell)+3))
			}
		}
		r.emit("  " + b.String())
		if k == 0 {
			var rule []string
			for _, w := range widths {
				rule = append(rule, strings.Repeat("─", max(w, 1)))
			}
			r.emit("  " + r.o.Dim(strings.Join(rule, "   ")))
		}
	}
	r.blank()
	return i
}

// cells splits a table row on its unescaped pipes and renders each cell.
func (r *renderer) cells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	cells = append(cells, cur.String())
	for k, c := range cells {
		cells[k] = strings.ReplaceAll(r.inline(strings.TrimSpace(c)), lineBreak, " ")
	}
	return cells
}
