package workflow

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnifiedDiff(t *testing.T) {
	before := []byte("a\nb\nc\n")
	after := []byte("a\nb\nB\nc\n")
	assert.Equal(t, "--- a/x.yml\n+++ b/x.yml\n@@ -1,3 +1,4 @@\n a\n b\n+B\n c\n", UnifiedDiff("x.yml", before, after))
	assert.Empty(t, UnifiedDiff("x.yml", before, before))
}
