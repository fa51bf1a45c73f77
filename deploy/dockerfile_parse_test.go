package deploy_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// dockerfile is the part of a Dockerfile's structure the tests look at.
type dockerfile struct {
	// args are the ARG defaults declared before the first FROM.
	args   map[string]string
	stages []*stage
}

// stage is one FROM and the instructions under it.
type stage struct {
	image, name string
	// platform is FROM's --platform flag, if any.
	platform string
	instrs   []instruction
}

// instruction is one Dockerfile instruction with its continuation lines joined.
type instruction struct {
	cmd  string // upper case: RUN, COPY, ...
	args string
}

// parseDockerfile reads the instructions of a Dockerfile: comments dropped,
// lines ending in a backslash joined, global ARG defaults substituted into FROM.
func parseDockerfile(t *testing.T, text string) *dockerfile {
	t.Helper()
	df := &dockerfile{args: map[string]string{}}
	var logical []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if body, ok := strings.CutSuffix(trimmed, `\`); ok {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(trimmed)
		logical = append(logical, cur.String())
		cur.Reset()
	}
	require.Zero(t, cur.Len(), "Dockerfile ends inside a continued line")

	for _, line := range logical {
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		switch {
		case in.cmd == "FROM":
			df.stages = append(df.stages, parseFrom(t, expandArgs(in.args, df.args)))
		case len(df.stages) == 0 && in.cmd == "ARG":
			name, value, _ := strings.Cut(in.args, "=")
			df.args[name] = value
		case len(df.stages) == 0:
			t.Fatalf("Dockerfile: %s before the first FROM", in.cmd)
		default:
			st := df.stages[len(df.stages)-1]
			st.instrs = append(st.instrs, in)
		}
	}
	require.NotEmpty(t, df.stages, "Dockerfile has no FROM")
	return df
}

func parseFrom(t *testing.T, args string) *stage {
	t.Helper()
	st := &stage{}
	fields := strings.Fields(args)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		if v, ok := strings.CutPrefix(fields[0], "--platform="); ok {
			st.platform = v
		}
		fields = fields[1:]
	}
	require.NotEmpty(t, fields, "FROM without an image")
	st.image = fields[0]
	if len(fields) == 3 && strings.EqualFold(fields[1], "AS") {
		st.name = fields[2]
	}
	return st
}

// expandArgs substitutes ${NAME} and $NAME for the given ARG defaults.
func expandArgs(s string, args map[string]string) string {
	for name, value := range args {
		s = strings.ReplaceAll(s, "${"+name+"}", value)
		s = strings.ReplaceAll(s, "$"+name, value)
	}
	return s
}

// final is the stage the image is made of.
func (df *dockerfile) final() *stage { return df.stages[len(df.stages)-1] }

// stage returns the stage named name, or nil.
func (df *dockerfile) stage(name string) *stage {
	for _, st := range df.stages {
		if st.name == name {
			return st
		}
	}
	return nil
}

// all returns the arguments of every instruction cmd in the stage.
func (st *stage) all(cmd string) []string {
	var out []string
	for _, in := range st.instrs {
		if in.cmd == cmd {
			out = append(out, in.args)
		}
	}
	return out
}

// last returns the arguments of the stage's last instruction cmd ("" if none).
func (st *stage) last(cmd string) string {
	all := st.all(cmd)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

// keyValues reads ENV and LABEL arguments: key=value pairs, values maybe double-quoted.
func keyValues(args string) map[string]string {
	out := map[string]string{}
	for _, word := range shellWords(args) {
		if k, v, ok := strings.Cut(word, "="); ok {
			out[k] = v
		}
	}
	return out
}

// env returns the stage's ENV variables.
func (st *stage) env() map[string]string {
	out := map[string]string{}
	for _, args := range st.all("ENV") {
		for k, v := range keyValues(args) {
			out[k] = v
		}
	}
	return out
}

// shellWords splits on blanks outside double quotes and drops the quotes.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inQuotes, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuotes, inWord = !inQuotes, true
		case (r == ' ' || r == '\t') && !inQuotes:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// copyInstr is a COPY's flags, sources and destination.
type copyInstr struct {
	from, chown string
	srcs        []string
	dest        string
}

func parseCopy(t *testing.T, args string) copyInstr {
	t.Helper()
	var c copyInstr
	fields := strings.Fields(args)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		flag, value, _ := strings.Cut(strings.TrimPrefix(fields[0], "--"), "=")
		switch flag {
		case "from":
			c.from = value
		case "chown":
			c.chown = value
		}
		fields = fields[1:]
	}
	require.GreaterOrEqual(t, len(fields), 2, "COPY %s: needs a source and a destination", args)
	c.srcs, c.dest = fields[:len(fields)-1], fields[len(fields)-1]
	return c
}

// copies returns the stage's COPY instructions.
func (st *stage) copies(t *testing.T) []copyInstr {
	t.Helper()
	var out []copyInstr
	for _, args := range st.all("COPY") {
		out = append(out, parseCopy(t, args))
	}
	return out
}

// execForm decodes an exec-form (JSON array) instruction argument.
func execForm(t *testing.T, cmd, args string) []string {
	t.Helper()
	var out []string
	require.NoError(t, json.Unmarshal([]byte(args), &out), "%s must use the exec (JSON array) form: %s", cmd, args)
	return out
}
