package githubfake

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppHookConfig(t *testing.T) {
	s := newFake(t, fullPerms)
	s.SetWebhookTarget("https://bot.example.com/api/github/hook", "s3cret")
	ctx := context.Background()

	got, _, err := appClient(t, s).Apps.GetHookConfig(ctx)
	require.NoError(t, err)
	assert.Equal(t, "https://bot.example.com/api/github/hook", got.GetURL())
	assert.Equal(t, "json", got.GetContentType())
	assert.Equal(t, "0", got.GetInsecureSSL())
	assert.Equal(t, "********", got.GetSecret(), "the secret is never shown")

	_, _, err = installationClient(t, s, testInstID).Apps.GetHookConfig(ctx)
	requireStatus(t, err, http.StatusUnauthorized)

	updated, _, err := appClient(t, s).Apps.UpdateHookConfig(ctx, &github.HookConfig{
		URL: github.String("https://other.example.com/hook"), Secret: github.String("new"), InsecureSSL: github.String("1")})
	require.NoError(t, err)
	assert.Equal(t, "https://other.example.com/hook", updated.GetURL())
	assert.Equal(t, HookConfig{URL: "https://other.example.com/hook", ContentType: "json", InsecureSSL: "1", Secret: "new"}, s.AppHookConfig())
	url, secret := s.webhookTarget()
	assert.Equal(t, "https://other.example.com/hook", url, "deliveries follow the configuration")
	assert.Equal(t, "new", secret)

	_, _, err = appClient(t, s).Apps.UpdateHookConfig(ctx, &github.HookConfig{ContentType: github.String("xml")})
	requireStatus(t, err, http.StatusUnprocessableEntity)

	s.SetAppHookConfig(HookConfig{URL: "https://bot.example.com/api/github/hook"})
	got, _, err = appClient(t, s).Apps.GetHookConfig(ctx)
	require.NoError(t, err)
	assert.Nil(t, got.Secret, "no secret, no field")
}
