package githubfake

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
)

// FailConversions makes the next n code conversions fail with 502, as a
// GitHub outage would, without using the code up.
func (m *ManifestFlow) FailConversions(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failConversions = n
}

// OmitWebhookSecret makes conversions answer without a webhook secret
// ("webhook_secret": null), as GitHub does for an App created without one.
func (m *ManifestFlow) OmitWebhookSecret(omit bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.omitSecret = omit
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// updateHookConfig is PATCH /app/hook/config for an App created through
// the flow, authenticated with a JWT signed by that App's key.
func (m *ManifestFlow) updateHookConfig(w http.ResponseWriter, r *http.Request) {
	fields := strings.Fields(r.Header.Get("Authorization"))
	if len(fields) != 2 {
		writeManifestError(w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		return
	}
	token := fields[1]
	id := jwtIssuer(token)
	m.mu.Lock()
	defer m.mu.Unlock()
	keyOf := func(appID int64) (*rsa.PublicKey, bool) {
		for _, a := range m.apps {
			if a.ID == appID && a.Converted {
				block, _ := pem.Decode(a.PEM)
				if block == nil {
					return nil, false
				}
				k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
				if err != nil {
					return nil, false
				}
				return &k.PublicKey, true
			}
		}
		return nil, false
	}
	if problem := verifyAppJWT(token, keyOf, id, m.fake.now()); problem != "" {
		writeManifestError(w, http.StatusUnauthorized, problem)
		return
	}
	var body struct {
		URL    *string `json:"url"`
		Secret *string `json:"secret"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeManifestError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	for i := range m.apps {
		a := &m.apps[i]
		if a.ID != id {
			continue
		}
		if body.URL != nil {
			a.HookURL = *body.URL
		}
		if body.Secret != nil {
			a.WebhookSecret = *body.Secret
		}
		out := map[string]any{"content_type": "json", "insecure_ssl": "0", "url": a.HookURL}
		if a.WebhookSecret != "" {
			out["secret"] = "********"
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(out)
		return
	}
	writeManifestError(w, http.StatusNotFound, "Not Found")
}
