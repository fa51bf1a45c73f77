package deploy_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/stretchr/testify/require"
)

// dockerfile is the part of a Dockerfile's structure the tests look at,
// read with BuildKit's own parser (continuations, comments, quoting and
// the escape directive exactly as docker build reads them).
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

// instruction is one Dockerfile instruction as BuildKit parsed it.
type instruction struct {
	cmd  string // upper case: RUN, COPY, ...
	args string // the text after the keyword, continuations joined
	// words are the parsed arguments (ENV and LABEL as key, value, "="
	// for each pair), flags the --flag=value words.
	words, flags []string
}

func parseDockerfile(t *testing.T, text string) *dockerfile {
	t.Helper()
	res, err := parser.Parse(strings.NewReader(text))
	require.NoError(t, err, "Dockerfile does not parse")
	df := &dockerfile{args: map[string]string{}}
	for _, node := range res.AST.Children {
		in := instruction{cmd: strings.ToUpper(node.Value), flags: node.Flags}
		_, in.args, _ = strings.Cut(node.Original, " ")
		in.args = strings.TrimSpace(in.args)
		for n := node.Next; n != nil; n = n.Next {
			in.words = append(in.words, n.Value)
		}
		switch {
		case in.cmd == "FROM":
			df.stages = append(df.stages, fromStage(t, in, df.args))
		case len(df.stages) == 0 && in.cmd == "ARG":
			for _, w := range in.words {
				name, value, _ := strings.Cut(w, "=")
				df.args[name] = value
			}
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

// fromStage reads FROM [--platform=P] IMAGE [AS NAME], the global ARG
// defaults substituted into the image.
func fromStage(t *testing.T, in instruction, args map[string]string) *stage {
	t.Helper()
	require.NotEmpty(t, in.words, "FROM without an image")
	st := &stage{image: expandArgs(in.words[0], args)}
	for _, f := range in.flags {
		if v, ok := strings.CutPrefix(f, "--platform="); ok {
			st.platform = v
		}
	}
	if len(in.words) == 3 && strings.EqualFold(in.words[1], "AS") {
		st.name = in.words[2]
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

// pairs returns the key-value pairs of the stage's instructions cmd (ENV,
// LABEL), later ones winning.
func (st *stage) pairs(cmd string) map[string]string {
	out := map[string]string{}
	for _, in := range st.instrs {
		if in.cmd != cmd {
			continue
		}
		// BuildKit gives key, value, "=" for each pair, the value still
		// quoted as written.
		for i := 0; i+1 < len(in.words); i += 2 {
			value := in.words[i+1]
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			out[in.words[i]] = value
			if i+2 < len(in.words) && in.words[i+2] == "=" {
				i++
			}
		}
	}
	return out
}

// env returns the stage's ENV variables.
func (st *stage) env() map[string]string { return st.pairs("ENV") }

// copyInstr is a COPY's flags, sources and destination.
type copyInstr struct {
	from, chown string
	srcs        []string
	dest        string
}

func parseCopy(t *testing.T, in instruction) copyInstr {
	t.Helper()
	var c copyInstr
	for _, f := range in.flags {
		flag, value, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		switch flag {
		case "from":
			c.from = value
		case "chown":
			c.chown = value
		}
	}
	require.GreaterOrEqual(t, len(in.words), 2, "COPY %s: needs a source and a destination", in.args)
	c.srcs, c.dest = in.words[:len(in.words)-1], in.words[len(in.words)-1]
	return c
}

// copies returns the stage's COPY instructions.
func (st *stage) copies(t *testing.T) []copyInstr {
	t.Helper()
	var out []copyInstr
	for _, in := range st.instrs {
		if in.cmd == "COPY" {
			out = append(out, parseCopy(t, in))
		}
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
