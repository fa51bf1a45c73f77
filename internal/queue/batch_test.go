package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeStore stores jobs by key like River's unique insert, optionally
// failing, and counts transactions.
type fakeStore struct {
	mu      sync.Mutex
	stored  map[string]int
	batches []int
	fail    error
	gate    chan struct{}
}

func newFakeStore() *fakeStore { return &fakeStore{stored: map[string]int{}} }

func (f *fakeStore) insert(_ context.Context, jobs []jobArgs) ([]bool, error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches = append(f.batches, len(jobs))
	if f.fail != nil {
		return nil, f.fail
	}
	dups := make([]bool, len(jobs))
	for i, j := range jobs {
		dups[i] = f.stored[j.UniqueKey] > 0
		if !dups[i] {
			f.stored[j.UniqueKey]++
		}
	}
	return dups, nil
}

func job(key string) jobArgs { return jobArgs{Job: Job{Kind: "k", Key: key}, UniqueKey: key} }

func TestBatcherStoresEveryJobOnceInSharedTransactions(t *testing.T) {
	store := newFakeStore()
	store.gate = make(chan struct{})
	b := newBatcher(store.insert, time.Millisecond, 50)
	defer b.close()
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dup, err := b.add(context.Background(), job(fmt.Sprint("k", i)))
			if err == nil && dup {
				err = errors.New("a new job reported as duplicate")
			}
			errs <- err
		}()
	}
	// Hold the first transaction so the others gather behind it.
	time.Sleep(50 * time.Millisecond)
	close(store.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	assert.Len(t, store.stored, n)
	assert.Less(t, len(store.batches), n/5, "jobs share transactions: %v", store.batches)
	for _, size := range store.batches {
		assert.LessOrEqual(t, size, 50)
	}
}

func TestBatcherAnswers(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		// run adds jobs to a batcher over a store and checks the answers.
		run func(t *testing.T, b *batcher, store *fakeStore)
	}{
		{"a failed transaction fails every job in it", func(t *testing.T, b *batcher, store *fakeStore) {
			store.fail = errors.New("database is locked")
			_, err := b.add(context.Background(), job("a"))
			require.Error(t, err)
			assert.ErrorContains(t, err, "database is locked")
			assert.Empty(t, store.stored)
		}},
		{"a known key is a duplicate", func(t *testing.T, b *batcher, store *fakeStore) {
			dup, err := b.add(context.Background(), job("a"))
			require.NoError(t, err)
			assert.False(t, dup)
			dup, err = b.add(context.Background(), job("a"))
			require.NoError(t, err)
			assert.True(t, dup)
			assert.Equal(t, 1, store.stored["a"])
		}},
		{"a caller that gave up is not stored", func(t *testing.T, b *batcher, store *fakeStore) {
			_, err := b.add(cancelled, job("a"))
			require.ErrorIs(t, err, context.Canceled)
			_, err = b.add(context.Background(), job("b"))
			require.NoError(t, err)
			assert.Zero(t, store.stored["a"])
		}},
		{"after close nothing is taken", func(t *testing.T, b *batcher, store *fakeStore) {
			b.close()
			_, err := b.add(context.Background(), job("a"))
			require.ErrorIs(t, err, errBatcherClosed)
			assert.Empty(t, store.stored)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeStore()
			b := newBatcher(store.insert, time.Millisecond, 10)
			defer b.close()
			tt.run(t, b, store)
		})
	}
}

// TestBatcherSameKeyTwiceInOneBatch: a delivery sent again while the
// first is being stored is stored once, the second answered as duplicate.
func TestBatcherSameKeyTwiceInOneBatch(t *testing.T) {
	store := newFakeStore()
	b := newBatcher(store.insert, 0, 10)
	defer b.close()
	p1 := &pendingInsert{ctx: context.Background(), job: job("a"), done: make(chan insertResult, 1)}
	p2 := &pendingInsert{ctx: context.Background(), job: job("a"), done: make(chan insertResult, 1)}
	b.commit([]*pendingInsert{p1, p2})
	r1, r2 := <-p1.done, <-p2.done
	require.NoError(t, r1.err)
	require.NoError(t, r2.err)
	assert.False(t, r1.duplicate)
	assert.True(t, r2.duplicate)
	assert.Equal(t, map[string]int{"a": 1}, store.stored)
}

// TestBatcherCloseStoresWhatWasHandedOver: shutting down while jobs wait
// for their transaction stores them all and answers each; none is lost
// and none is answered before it is stored.
func TestBatcherCloseStoresWhatWasHandedOver(t *testing.T) {
	store := newFakeStore()
	store.gate = make(chan struct{})
	b := newBatcher(store.insert, time.Millisecond, 5)
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	answered := map[string]error{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := fmt.Sprint("k", i)
			_, err := b.add(context.Background(), job(k))
			mu.Lock()
			answered[k] = err
			mu.Unlock()
		}()
	}
	time.Sleep(50 * time.Millisecond)
	closed := make(chan struct{})
	go func() { b.close(); close(closed) }()
	time.Sleep(20 * time.Millisecond)
	close(store.gate)
	<-closed
	wg.Wait()
	store.mu.Lock()
	defer store.mu.Unlock()
	for k, err := range answered {
		if err == nil {
			assert.Equal(t, 1, store.stored[k], "%s was answered as stored", k)
		} else {
			assert.ErrorIs(t, err, errBatcherClosed)
			assert.Zero(t, store.stored[k], "%s was refused but stored", k)
		}
	}
	assert.Len(t, answered, n)
}
