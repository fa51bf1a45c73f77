package action

import (
	"strconv"
	"strings"
)

// Workflow commands are lines the runner reads from a step's output:
// "::error file=F,line=L,title=T::message". Their data (the message) may
// not hold a raw "%", carriage return or newline, and their property
// values neither, nor the ":" and "," that end or separate properties;
// each is percent-encoded as actions/toolkit does.

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// EscapeData encodes a workflow command's message.
func EscapeData(s string) string { return dataEscaper.Replace(s) }

// EscapeProperty encodes a workflow command's property value.
func EscapeProperty(s string) string { return propertyEscaper.Replace(s) }

// Annotation is an annotation written as a workflow command.
type Annotation struct {
	// Level is "error", "warning" or "notice".
	Level string
	// File is the workflow file, relative to the repository; "" for none.
	File string
	// Line is the line in File; 0 for none.
	Line    int
	Title   string
	Message string
}

// Command renders the annotation as one workflow command line, without
// the line break.
func (a Annotation) Command() string {
	var props []string
	if a.File != "" {
		props = append(props, "file="+EscapeProperty(a.File))
		if a.Line > 0 {
			props = append(props, "line="+strconv.Itoa(a.Line))
		}
	}
	if a.Title != "" {
		props = append(props, "title="+EscapeProperty(a.Title))
	}
	cmd := "::" + a.Level
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + EscapeData(a.Message)
}
