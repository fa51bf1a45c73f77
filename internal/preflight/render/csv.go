package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/preflight"
)

// CSVHeader is the CSV output's first row.
var CSVHeader = []string{"file", "job", "publishes_to", "verdict", "line", "reason", "fix"}

// CSVLocatedColumns follow CSVHeader's when the rows name their repository.
var CSVLocatedColumns = []string{"repository", "url"}

// CSV prints a header row and one row per job. A cell that a spreadsheet
// would read as a formula (starting with =, +, -, @) is prefixed with '.
func CSV(w io.Writer, results []preflight.Result) error { return csvRows(w, Locate(results)) }

func csvRows(w io.Writer, rows []Located) error {
	located := anyLocated(rows)
	header := CSVHeader
	if located {
		header = append(append([]string(nil), CSVHeader...), CSVLocatedColumns...)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("writing the CSV header: %w", err)
	}
	for _, j := range newReport(rows).Jobs {
		row := []string{j.File, j.Job, j.PublishesTo, j.Verdict, strconv.Itoa(j.Line), j.Reason, j.Fix}
		if located {
			row = append(row, j.Repository, j.URL)
		}
		for i := range row {
			row[i] = defuseFormula(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing a CSV row: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing the CSV: %w", err)
	}
	return nil
}

// defuseFormula keeps spreadsheet programs from running a cell as a formula.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
