package action

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEscaping(t *testing.T) {
	tests := []struct {
		name, in, data, property string
	}{
		{"plain", "ghcr.io/acme/app", "ghcr.io/acme/app", "ghcr.io/acme/app"},
		{"percent first, so escapes are not escaped twice", "100%0A", "100%250A", "100%250A"},
		{"newline", "line one\nline two", "line one%0Aline two", "line one%0Aline two"},
		{"carriage return", "a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"colon ends a property", "image ghcr.io:443/acme", "image ghcr.io:443/acme", "image ghcr.io%3A443/acme"},
		{"comma separates properties", "a,line=1", "a,line=1", "a%2Cline=1"},
		{"a command smuggled in a value", "x\n::add-mask::y", "x%0A::add-mask::y", "x%0A%3A%3Aadd-mask%3A%3Ay"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.data, EscapeData(tt.in))
			assert.Equal(t, tt.property, EscapeProperty(tt.in))
		})
	}
}

func TestAnnotationCommand(t *testing.T) {
	tests := []struct {
		name string
		a    Annotation
		want string
	}{
		{"file, line and title", Annotation{Level: "error", File: ".github/workflows/release.yml", Line: 9, Title: "ghcr-doctor: cannot push ghcr.io/acme/app", Message: "Denied.\nFix: grant it."},
			"::error file=.github/workflows/release.yml,line=9,title=ghcr-doctor%3A cannot push ghcr.io/acme/app::Denied.%0AFix: grant it."},
		{"no line", Annotation{Level: "warning", File: "a,b.yml", Title: "t", Message: "m"}, "::warning file=a%2Cb.yml,title=t::m"},
		{"a line without a file is left out", Annotation{Level: "notice", Line: 3, Message: "50%"}, "::notice::50%25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.a.Command())
		})
	}
}
