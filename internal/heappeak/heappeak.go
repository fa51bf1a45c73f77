// Package heappeak samples the Go heap in use while something runs and
// keeps the highest value seen, for benchmarks that show a large input is
// streamed rather than held (the peak stays far below the input's size).
package heappeak

import (
	"runtime"
	"sync"
	"time"
)

// Sampler reads runtime.MemStats.HeapInuse at a fixed interval until
// stopped.
type Sampler struct {
	stop chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex
	peak uint64
}

// Start begins sampling every interval (5 ms when zero or less).
func Start(interval time.Duration) *Sampler {
	if interval <= 0 {
		interval = 5 * time.Millisecond
	}
	s := &Sampler{stop: make(chan struct{})}
	s.wg.Add(1)
	go s.run(interval)
	return s
}

func (s *Sampler) run(interval time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	var ms runtime.MemStats
	for {
		runtime.ReadMemStats(&ms)
		s.mu.Lock()
		s.peak = max(s.peak, ms.HeapInuse)
		s.mu.Unlock()
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

// Stop ends sampling, takes a last sample, and returns the highest heap
// in use seen, in bytes.
func (s *Sampler) Stop() uint64 {
	close(s.stop)
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// InUse is the heap in use now, after a garbage collection, in bytes: the
// baseline to read a peak against.
func InUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}
