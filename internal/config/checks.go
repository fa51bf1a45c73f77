package config

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"github.com/rs/zerolog"
)

// Placeholders of config/ghcr-doctor.example.yml: a configuration still
// holding one was copied and not filled in.
const (
	ExampleIntegrationID = 123456
	ExampleWebhookSecret = "change-me"
)

// newKeyFix is how to get a key GitHub accepts.
const newKeyFix = "generate one on the App's settings page (General → Private keys → Generate a private key) and use the downloaded .pem file"

// checkPrivateKey makes sure the key is a PEM RSA private key, as GitHub
// issues: an App's JWT is signed RS256, so any other key fails every call.
func checkPrivateKey(key string) error {
	block, _ := pem.Decode([]byte(key))
	if block == nil {
		return errors.New("not PEM encoded (expected -----BEGIN RSA PRIVATE KEY-----); " + newKeyFix)
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		if _, ok := k.(*rsa.PrivateKey); ok {
			return nil
		}
		return fmt.Errorf("%s key, but GitHub App keys are RSA; %s", keyKind(k), newKeyFix)
	}
	if _, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return errors.New("an ECDSA key, but GitHub App keys are RSA; " + newKeyFix)
	}
	return errors.New("not an RSA private key; " + newKeyFix)
}

func keyKind(k any) string {
	switch k.(type) {
	case *ecdsa.PrivateKey:
		return "an ECDSA"
	case ed25519.PrivateKey:
		return "an Ed25519"
	}
	return fmt.Sprintf("a %T", k)
}

// placeholders refuses the example file's values.
func (c *Config) placeholders() []error {
	var errs []error
	if c.GitHub.App.IntegrationID == ExampleIntegrationID {
		errs = append(errs, fmt.Errorf("github.app.integration_id: %d is the example's placeholder; use the App ID from the App's settings page (General → About → App ID), or set %s",
			ExampleIntegrationID, EnvIntegrationID))
	}
	if strings.EqualFold(strings.TrimSpace(c.GitHub.App.WebhookSecret), ExampleWebhookSecret) {
		errs = append(errs, fmt.Errorf("github.app.webhook_secret: %q is the example's placeholder; use the App's webhook secret (App settings → General → Webhook secret), or set %s",
			ExampleWebhookSecret, EnvWebhookSecret))
	}
	return errs
}

// checkLevel accepts zerolog's level names.
func checkLevel(level string) error {
	if _, err := zerolog.ParseLevel(level); err != nil || level == "" {
		return fmt.Errorf("logging.level: %q is not a level; use one of trace, debug, info, warn, error", level)
	}
	return nil
}
