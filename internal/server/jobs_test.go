package server

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ghcr-doctor/ghcr-doctor/internal/github/gherr"
	"github.com/ghcr-doctor/ghcr-doctor/internal/queue"
)

func TestClassifyJobError(t *testing.T) {
	assert.True(t, queue.IsPermanent(classifyJobError(&gherr.PermissionError{Op: "x", Accepted: "actions=read"})))
	assert.True(t, queue.IsPermanent(classifyJobError(&gherr.NotFoundError{Op: "x", Status: 404})))
	assert.False(t, queue.IsPermanent(classifyJobError(errors.New("502"))))
}
