package register

import (
	"html/template"
	"net/http"
)

// pageTemplate is the local page: a button that posts the manifest to
// GitHub, and the pages shown when GitHub sends the browser back.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.Title}}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.6rem; }
code, pre { font: 14px ui-monospace, monospace; background: #f6f8fa; border-radius: 6px; }
code { padding: .1em .3em; }
pre { padding: 1rem; overflow: auto; }
button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: 6px; border: 1px solid #1f883d; background: #1f883d; color: #fff; cursor: pointer; }
.error { color: #d1242f; }
</style>
</head>
<body>
{{if eq .Kind "start"}}
<h1>Register ghcr-doctor as a GitHub App</h1>
<p>The button sends ghcr-doctor's App manifest to {{if .Org}}the organisation <code>{{.Org}}</code> on {{end}}<code>{{.WebURL}}</code>.
GitHub shows the App before creating it; you may change its name there. Afterwards GitHub sends
you back here and the App's credentials are written to <code>{{.Out}}</code>.</p>
<ul>
<li>App name: <code>{{.Name}}</code></li>
<li>Webhook URL: <code>{{.WebhookURL}}</code></li>
</ul>
<form id="register" method="post" action="{{.Action}}">
<input type="hidden" name="manifest" value="{{.Manifest}}">
<button id="create" type="submit">Create the GitHub App on GitHub</button>
</form>
{{else if eq .Kind "done"}}
<h1 id="done">The GitHub App {{.App.Slug}} is registered</h1>
<p>Its configuration is in <code>{{.Out}}</code> (readable by you only).</p>
<ol>
<li>Install the App on the repositories or organisations to watch:
<a href="{{.App.InstallURL}}">{{.App.InstallURL}}</a></li>
<li>Start the server: <code>bot serve --config {{.Out}}</code></li>
</ol>
<p>You can close this page; <code>bot register</code> has finished.</p>
{{else}}
<h1 class="error" id="failed">{{.Title}}</h1>
<p>{{.Message}}</p>
{{end}}
</body>
</html>
`))

// pageData fills the template.
type pageData struct {
	Kind       string // "start", "done" or "error"
	Title      string
	Message    string
	Org        string
	WebURL     string
	Out        string
	Name       string
	WebhookURL string
	Action     template.URL
	Manifest   string
	App        App
}

func renderPage(w http.ResponseWriter, status int, d pageData) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, d)
}

func errorPage(w http.ResponseWriter, status int, title, message string) {
	renderPage(w, status, pageData{Kind: "error", Title: title, Message: message})
}
