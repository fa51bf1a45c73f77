package heappeak

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// sink keeps an allocation alive past the compiler's escape analysis.
var sink []byte

func TestPeakSeesAnAllocationThatIsGoneByStop(t *testing.T) {
	tests := []struct {
		name    string
		alloc   int
		atLeast uint64
	}{
		{name: "64 MiB held for a while", alloc: 64 << 20, atLeast: 64 << 20},
		{name: "nothing", alloc: 0, atLeast: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := InUse()
			s := Start(time.Millisecond)
			if tc.alloc > 0 {
				sink = make([]byte, tc.alloc)
				for i := range sink {
					sink[i] = 1
				}
				time.Sleep(20 * time.Millisecond)
				sink = nil
				runtime.GC()
			}
			peak := s.Stop()
			assert.GreaterOrEqual(t, peak, base+tc.atLeast)
			if tc.alloc == 0 {
				assert.Less(t, peak, base+32<<20, "no allocation, no peak")
			}
		})
	}
}
