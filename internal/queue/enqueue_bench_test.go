package queue

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkEnqueue stores jobs from 50 concurrent callers, as webhooks
// arrive, on every backend this machine has (no worker runs them): what a
// delivery waits for, the append to the intake.
func BenchmarkEnqueue(b *testing.B) {
	t := &testing.T{}
	for name, open := range backends(t) {
		b.Run(name, func(b *testing.B) {
			q := open(t, fast(), map[string]Handler{"k": func(context.Context, Job) error { return nil }}, nil)
			defer q.Shutdown(context.Background())
			payload := []byte(`{"installation_id":5,"repo":{"owner":"acme","name":"app"},"run":{"id":1}}`)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						key := fmt.Sprintf("%s-%d-%d", b.Name(), b.N, i)
						if err := q.Enqueue(context.Background(), Job{Kind: "k", Key: key, Payload: payload, Installation: i % 100}); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
		})
	}
}

// BenchmarkIntakePump hands jobs accepted into the intake to River, as the
// pump does after a burst: River's unique insert, which deliveries no
// longer wait for.
func BenchmarkIntakePump(b *testing.B) {
	t := &testing.T{}
	for name, open := range backends(t) {
		b.Run(name, func(b *testing.B) {
			q := open(t, fast(), map[string]Handler{"k": func(context.Context, Job) error { return nil }}, nil)
			defer q.Shutdown(context.Background())
			payload := []byte(`{"installation_id":5,"repo":{"owner":"acme","name":"app"},"run":{"id":1}}`)
			var wg sync.WaitGroup
			for i := range b.N {
				wg.Add(1)
				go func() {
					defer wg.Done()
					key := fmt.Sprintf("%s-%d-%d", b.Name(), b.N, i)
					if err := q.Enqueue(context.Background(), Job{Kind: "k", Key: key, Payload: payload, Installation: int64(i % 100)}); err != nil {
						b.Error(err)
					}
				}()
			}
			wg.Wait()
			b.ResetTimer()
			q.drainIntake(false)
			b.StopTimer()
			left, err := q.db.countIntake(context.Background())
			if err != nil || left != 0 {
				b.Fatalf("%d jobs left in the intake (%v)", left, err)
			}
		})
	}
}
