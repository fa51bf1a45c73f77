package samples

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLargeLog(t *testing.T) {
	tail := "##[error]denied: permission_denied: write_package\n"
	tests := []struct {
		name string
		size int64
	}{
		{name: "several blocks", size: 300 << 10},
		{name: "exactly one block boundary off", size: 64<<10 + 7},
		{name: "just the tail", size: int64(len(tail) + 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := io.ReadAll(LargeLog(tc.size, tail))
			require.NoError(t, err)
			assert.Len(t, b, int(tc.size))
			assert.True(t, strings.HasSuffix(string(b), "\n"+tail), "ends with the tail on a line of its own")
		})
	}
}
