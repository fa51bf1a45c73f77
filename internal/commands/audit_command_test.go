package commands

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOnlyAnAuditsAnswerIsKeptInPlace(t *testing.T) {
	audit, other := section{audit: true}, section{}
	tests := []struct {
		name string
		secs []section
		want bool
	}{
		{"one audit", []section{audit}, true},
		{"an audit and a fix", []section{audit, other}, false},
		{"a fix", []section{other}, false},
		{"nothing", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, onlyAudits(tt.secs))
		})
	}
}
