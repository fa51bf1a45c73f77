package ledger

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memMarks are marks in memory; reads counts Recorded calls and fail makes
// every call fail.
type memMarks struct {
	mu    sync.Mutex
	keys  map[string]bool
	reads int
	fail  bool
}

var errDown = errors.New("database down")

func (m *memMarks) Recorded(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	if m.fail {
		return false, errDown
	}
	return m.keys[key], nil
}

func (m *memMarks) Record(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errDown
	}
	m.keys[key] = true
	return nil
}

func TestMayExist(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		began    bool
		recorded bool
		want     bool
	}{
		{"installation older than the ledger: anything may exist", false, false, true},
		{"installation older than the ledger, recorded", false, true, true},
		{"known from its creation, nothing recorded: nothing exists", true, false, false},
		{"known from its creation, recorded", true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marks := &memMarks{keys: map[string]bool{}}
			book := &Book{Marks: marks}
			if tt.began {
				require.NoError(t, book.Began(ctx, 7))
			}
			if tt.recorded {
				require.NoError(t, book.For(7).Writing(ctx, "comment:abc"))
			}
			got, err := book.For(7).MayExist(ctx, "comment:abc")
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			other, err := book.For(8).MayExist(ctx, "comment:abc")
			require.NoError(t, err)
			assert.True(t, other, "another installation's ledger vouches for nothing")
		})
	}
}

func TestBeganIsSharedThroughTheMarks(t *testing.T) {
	ctx := context.Background()
	marks := &memMarks{keys: map[string]bool{}}
	require.NoError(t, (&Book{Marks: marks}).Began(ctx, 7))
	// Another process on the same database.
	other := &Book{Marks: marks}
	got, err := other.For(7).MayExist(ctx, "check-run:1")
	require.NoError(t, err)
	assert.False(t, got)
	reads := marks.reads
	_, err = other.For(7).MayExist(ctx, "check-run:2")
	require.NoError(t, err)
	assert.Equal(t, reads+1, marks.reads, "the installation's mark is read once, then only the report's")
}

func TestFailuresSayAReportMayExist(t *testing.T) {
	ctx := context.Background()
	marks := &memMarks{keys: map[string]bool{}}
	book := &Book{Marks: marks}
	require.NoError(t, book.Began(ctx, 7))
	marks.fail = true
	got, err := book.For(7).MayExist(ctx, "issue:1")
	require.ErrorIs(t, err, errDown)
	assert.True(t, got)
	require.ErrorIs(t, book.For(7).Writing(ctx, "issue:1"), errDown)
	require.ErrorIs(t, (&Book{Marks: marks}).Began(ctx, 9), errDown)
	got, err = (&Book{Marks: marks}).For(9).MayExist(ctx, "issue:1")
	require.ErrorIs(t, err, errDown)
	assert.True(t, got)
}
