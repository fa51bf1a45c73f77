package githubfake

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// signedBlob is a download behind a short-lived signed URL, like the blob
// storage GitHub redirects log downloads to.
type signedBlob struct {
	content []byte
	// stream, when set, replaces content with size bytes read afresh per download.
	stream      func() io.Reader
	size        int64
	contentType string
	expires     time.Time
	usesLeft    int // 0: unlimited
}

// handleJobLogs answers 302 with a signed URL for the job's plain-text log.
func (s *Server) handleJobLogs(c *call) {
	s.mu.Lock()
	j := c.jobOfRequest()
	var location string
	status := http.StatusFound
	switch {
	case j == nil || j.LogMissing:
		status = http.StatusNotFound
	case j.LogExpired:
		status = http.StatusGone
	case j.LogStream != nil:
		location = s.signBlobLocked("logs", &signedBlob{stream: j.LogStream, size: j.LogSize, contentType: "text/plain; charset=utf-8"})
	default:
		location = s.signLocked("logs", j.Log, "text/plain; charset=utf-8")
	}
	s.mu.Unlock()
	c.redirectOr(status, location)
}

// handleRunLogs answers 302 with a signed URL for a zip of the run's logs:
// "<i>_<job>.txt" per job and "<job>/<n>_<step>.txt" per step with a log.
func (s *Server) handleRunLogs(c *call) {
	s.mu.Lock()
	_, run, ok := c.runAttempt()
	var location string
	status := http.StatusFound
	var buildErr error
	if !ok {
		status = http.StatusNotFound
	} else {
		jobs := s.jobsOf(c.repo, run.ID, run.Attempt)
		var archive []byte
		archive, status, buildErr = buildLogArchive(jobs)
		if status == http.StatusFound {
			location = s.signLocked("logs", archive, "application/zip")
		}
	}
	s.mu.Unlock()
	if buildErr != nil {
		c.fail(http.StatusInternalServerError, buildErr.Error())
		return
	}
	c.redirectOr(status, location)
}

func buildLogArchive(jobs []*jobState) ([]byte, int, error) {
	if len(jobs) == 0 {
		return nil, http.StatusNotFound, nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	written := 0
	for i, j := range jobs {
		if j.LogExpired {
			return nil, http.StatusGone, nil
		}
		if j.LogMissing || j.LogStream != nil {
			continue
		}
		name := strings.ReplaceAll(j.Name, "/", "_")
		if err := addZipFile(zw, fmt.Sprintf("%d_%s.txt", i, name), j.Log); err != nil {
			return nil, 0, err
		}
		for _, st := range j.Steps {
			if st.Log == nil {
				continue
			}
			stepName := strings.ReplaceAll(st.Name, "/", "_")
			if err := addZipFile(zw, fmt.Sprintf("%s/%d_%s.txt", name, st.Number, stepName), st.Log); err != nil {
				return nil, 0, err
			}
		}
		written++
	}
	if err := zw.Close(); err != nil {
		return nil, 0, fmt.Errorf("closing log archive: %w", err)
	}
	if written == 0 {
		return nil, http.StatusNotFound, nil
	}
	return buf.Bytes(), http.StatusFound, nil
}

func addZipFile(zw *zip.Writer, name string, content []byte) error {
	w, err := zw.Create(name)
	if err != nil {
		return fmt.Errorf("adding %s to log archive: %w", name, err)
	}
	if _, err := w.Write(content); err != nil {
		return fmt.Errorf("writing %s to log archive: %w", name, err)
	}
	return nil
}

// redirectOr answers 302 to location, or the error status GitHub gives instead.
func (c *call) redirectOr(status int, location string) {
	switch status {
	case http.StatusFound:
		c.w.Header().Set("Location", location)
		c.w.WriteHeader(http.StatusFound)
	case http.StatusGone:
		c.fail(http.StatusGone, logsExpiredMessage)
	default:
		c.fail(http.StatusNotFound, "Not Found")
	}
}

// signLocked stores a blob and returns its signed URL. Caller holds s.mu.
func (s *Server) signLocked(kind string, content []byte, contentType string) string {
	return s.signBlobLocked(kind, &signedBlob{content: append([]byte(nil), content...), contentType: contentType})
}

// signBlobLocked stores b, with the server's expiry and use limit, and
// returns its signed URL. Caller holds s.mu.
func (s *Server) signBlobLocked(kind string, b *signedBlob) string {
	token := randomAlnum(32)
	expires := s.now().Add(s.opts.LogURLTTL)
	b.expires = expires
	b.usesLeft = s.opts.LogURLMaxUses
	s.st.signed[token] = b
	return fmt.Sprintf("%s/_signed/%s/%s?sv=2021-08-06&se=%s&sp=r&sig=%s", s.URL(), kind, token,
		expires.Format("2006-01-02T15%3A04%3A05Z"), randomAlnum(43))
}

// serveSigned serves a signed blob without authentication, refusing requests
// that carry an Authorization header as blob storage does.
func (s *Server) serveSigned(w http.ResponseWriter, r *http.Request, rest string) {
	h := w.Header()
	h.Set("X-Ms-Request-Id", newGUID())
	blobError := func(status int, code, message string) {
		h.Set("Content-Type", "application/xml")
		h.Set("X-Ms-Error-Code", code)
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, message)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		blobError(http.StatusMethodNotAllowed, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.")
		return
	}
	if r.Header.Get("Authorization") != "" {
		blobError(http.StatusBadRequest, "InvalidAuthenticationInfo", "Authentication information is not given in the correct format. Check the value of Authorization header.")
		return
	}
	_, token, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	blob := s.st.signed[token]
	expired := blob != nil && !s.now().Before(blob.expires)
	var served signedBlob
	if blob != nil && !expired {
		served = *blob
		if blob.usesLeft > 0 {
			blob.usesLeft--
			if blob.usesLeft == 0 {
				delete(s.st.signed, token)
			}
		}
	}
	s.mu.Unlock()
	switch {
	case blob == nil:
		blobError(http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
	case expired:
		blobError(http.StatusForbidden, "AuthenticationFailed", "Server failed to authenticate the request. Signature not valid in the specified time frame.")
	default:
		body, size := io.Reader(bytes.NewReader(served.content)), int64(len(served.content))
		if served.stream != nil {
			body, size = io.LimitReader(served.stream(), served.size), served.size
		}
		h.Set("Content-Type", served.contentType)
		h.Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_ = copyPaced(r.Context(), w, body, s.pacingNow().logRate)
		}
	}
}

// ExpireSignedURLs makes every signed download URL handed out so far expired.
func (s *Server) ExpireSignedURLs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for _, b := range s.st.signed {
		b.expires = past
	}
}
