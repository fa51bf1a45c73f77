package githubfake

import (
	"encoding/json"
	"net/http"
	"strings"
)

// HookConfig is the App's webhook configuration, as GET /app/hook/config
// shows it: where GitHub delivers, in which format, whether it verifies
// TLS certificates, and the secret that signs deliveries.
type HookConfig struct {
	URL string
	// ContentType is "json" or "form".
	ContentType string
	// InsecureSSL is "0" (certificates verified) or "1".
	InsecureSSL string
	Secret      string
}

// AppHookConfig returns the App's webhook configuration.
func (s *Server) AppHookConfig() HookConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hookConfigLocked()
}

// SetAppHookConfig replaces the App's webhook configuration; deliveries go
// to its URL, signed with its secret. Empty ContentType and InsecureSSL
// mean GitHub's defaults for an App, "json" and "0".
func (s *Server) SetAppHookConfig(c HookConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.WebhookURL, s.opts.WebhookSecret = c.URL, c.Secret
	s.hookContentType, s.hookInsecureSSL = c.ContentType, c.InsecureSSL
}

func (s *Server) hookConfigLocked() HookConfig {
	c := HookConfig{URL: s.opts.WebhookURL, Secret: s.opts.WebhookSecret, ContentType: s.hookContentType, InsecureSSL: s.hookInsecureSSL}
	if c.ContentType == "" {
		c.ContentType = "json"
	}
	if c.InsecureSSL == "" {
		c.InsecureSSL = "0"
	}
	return c
}

// hookConfigJSON is GitHub's answer: the secret is never shown, only
// "********" when there is one.
func hookConfigJSON(c HookConfig) map[string]any {
	out := map[string]any{"content_type": c.ContentType, "insecure_ssl": c.InsecureSSL, "url": c.URL}
	if c.Secret != "" {
		out["secret"] = "********"
	}
	return out
}

func (s *Server) hookConfigRoutes(add addRoute) {
	const doc = docsRoot + "/apps/webhooks"
	add("GET", "/app/hook/config", authJWT, nil, doc+"#get-a-webhook-configuration-for-an-app", s.handleGetHookConfig)
	add("PATCH", "/app/hook/config", authJWT, nil, doc+"#update-a-webhook-configuration-for-an-app", s.handleUpdateHookConfig)
}

func (s *Server) handleGetHookConfig(c *call) {
	c.json(http.StatusOK, hookConfigJSON(s.AppHookConfig()))
}

// handleUpdateHookConfig changes the fields given; insecure_ssl may be a
// string or a number, as GitHub accepts.
func (s *Server) handleUpdateHookConfig(c *call) {
	var body struct {
		URL         *string         `json:"url"`
		ContentType *string         `json:"content_type"`
		Secret      *string         `json:"secret"`
		InsecureSSL json.RawMessage `json:"insecure_ssl"`
	}
	if !c.decode(&body) {
		return
	}
	s.mu.Lock()
	cfg := s.hookConfigLocked()
	s.mu.Unlock()
	if body.URL != nil {
		if !isHTTPURL(*body.URL) {
			c.invalid("Validation Failed", apiError{Resource: "Hook", Field: "url", Code: "invalid"})
			return
		}
		cfg.URL = *body.URL
	}
	if body.ContentType != nil {
		if *body.ContentType != "json" && *body.ContentType != "form" {
			c.invalid("Validation Failed", apiError{Resource: "Hook", Field: "content_type", Code: "invalid"})
			return
		}
		cfg.ContentType = *body.ContentType
	}
	if body.Secret != nil {
		cfg.Secret = *body.Secret
	}
	if len(body.InsecureSSL) > 0 {
		v := strings.Trim(string(body.InsecureSSL), `"`)
		if v != "0" && v != "1" {
			c.invalid("Validation Failed", apiError{Resource: "Hook", Field: "insecure_ssl", Code: "invalid"})
			return
		}
		cfg.InsecureSSL = v
	}
	s.SetAppHookConfig(cfg)
	c.json(http.StatusOK, hookConfigJSON(cfg))
}
