package githubfake

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func annotations(n int) []*github.CheckRunAnnotation {
	out := make([]*github.CheckRunAnnotation, n)
	for i := range out {
		out[i] = &github.CheckRunAnnotation{Path: github.String(workflowPath), StartLine: github.Int(i + 1), EndLine: github.Int(i + 1),
			AnnotationLevel: github.String("failure"), Message: github.String("denied")}
	}
	return out
}

func TestCheckRunValidation(t *testing.T) {
	output := func(mut func(*github.CheckRunOutput)) *github.CheckRunOutput {
		o := &github.CheckRunOutput{Title: github.String("GHCR push denied"), Summary: github.String("summary")}
		mut(o)
		return o
	}
	cases := []struct {
		name  string
		opts  github.CreateCheckRunOptions
		field string
	}{
		{"missing name", github.CreateCheckRunOptions{HeadSHA: testHeadSHA}, "name"},
		{"missing head sha", github.CreateCheckRunOptions{Name: "ghcr-doctor"}, "head_sha"},
		{"output without title", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Output: output(func(o *github.CheckRunOutput) { o.Title = nil })}, "output.title"},
		{"output without summary", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Output: output(func(o *github.CheckRunOutput) { o.Summary = nil })}, "output.summary"},
		{"summary too long", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Output: output(func(o *github.CheckRunOutput) { o.Summary = github.String(strings.Repeat("s", 65536)) })}, "output.summary"},
		{"text too long", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Output: output(func(o *github.CheckRunOutput) { o.Text = github.String(strings.Repeat("s", 65536)) })}, "output.text"},
		{"51 annotations", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Output: output(func(o *github.CheckRunOutput) { o.Annotations = annotations(51) })}, "output.annotations"},
		{"bad annotation level", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Output: output(func(o *github.CheckRunOutput) {
			o.Annotations = annotations(1)
			o.Annotations[0].AnnotationLevel = github.String("error")
		})}, "output.annotations[0].annotation_level"},
		{"annotation without path", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Output: output(func(o *github.CheckRunOutput) {
			o.Annotations = annotations(1)
			o.Annotations[0].Path = nil
		})}, "output.annotations[0].path"},
		{"four actions", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Actions: []*github.CheckRunAction{
			{Label: "a", Description: "a", Identifier: "a"}, {Label: "b", Description: "b", Identifier: "b"},
			{Label: "c", Description: "c", Identifier: "c"}, {Label: "d", Description: "d", Identifier: "d"}}}, "actions"},
		{"action label too long", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Actions: []*github.CheckRunAction{
			{Label: strings.Repeat("l", 21), Description: "d", Identifier: "i"}}}, "actions[0].label"},
		{"action description too long", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Actions: []*github.CheckRunAction{
			{Label: "l", Description: strings.Repeat("d", 41), Identifier: "i"}}}, "actions[0].description"},
		{"completed without conclusion", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Status: github.String("completed")}, "conclusion"},
		{"action required without details url", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Status: github.String("completed"), Conclusion: github.String("action_required")}, "details_url"},
		{"conclusion while in progress", github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA, Status: github.String("in_progress"), Conclusion: github.String("failure")}, "conclusion"},
	}
	s := newFake(t, fullPerms)
	s.SetFile(testOrg, testRepo, testHeadSHA, workflowPath, []byte("on: push\n"))
	client := installationClient(t, s, testInstID)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := client.Checks.CreateCheckRun(context.Background(), testOrg, testRepo, tc.opts)
			er := requireStatus(t, err, http.StatusUnprocessableEntity)
			assert.True(t, strings.HasPrefix(er.Message, "Invalid request."), er.Message)
			var fields []string
			for _, e := range er.Errors {
				fields = append(fields, e.Field)
			}
			assert.Contains(t, fields, tc.field)
		})
	}
	assert.Empty(t, s.CheckRuns(testOrg, testRepo))

	_, _, err := client.Checks.CreateCheckRun(context.Background(), testOrg, testRepo, github.CreateCheckRunOptions{Name: "n", HeadSHA: strings.Repeat("a", 40)})
	er := requireStatus(t, err, http.StatusUnprocessableEntity)
	assert.Equal(t, "No commit found for SHA: "+strings.Repeat("a", 40), er.Message)
}

func TestCheckRunLifecycle(t *testing.T) {
	s := newFake(t, fullPerms)
	addFailedRun(s, "log")
	client := installationClient(t, s, testInstID)
	ctx := context.Background()

	created, resp, err := client.Checks.CreateCheckRun(ctx, testOrg, testRepo, github.CreateCheckRunOptions{
		Name: "ghcr-doctor", HeadSHA: testHeadSHA, ExternalID: github.String("9001"), Status: github.String("in_progress"),
		Output: &github.CheckRunOutput{Title: github.String("Diagnosing"), Summary: github.String("working"), Annotations: annotations(50)},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "in_progress", created.GetStatus())
	assert.Equal(t, 50, created.GetOutput().GetAnnotationsCount())
	assert.Equal(t, testAppID, created.GetApp().GetID())

	updated, _, err := client.Checks.UpdateCheckRun(ctx, testOrg, testRepo, created.GetID(), github.UpdateCheckRunOptions{
		Name: "ghcr-doctor", Conclusion: github.String("failure"),
		Output:  &github.CheckRunOutput{Title: github.String("GHCR push denied"), Summary: github.String("The token lacks packages: write"), Annotations: annotations(10)},
		Actions: []*github.CheckRunAction{{Label: "Open fix PR", Description: "Add packages: write", Identifier: "fix"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "completed", updated.GetStatus())
	assert.Equal(t, "failure", updated.GetConclusion())
	assert.Equal(t, 60, updated.GetOutput().GetAnnotationsCount(), "annotations are appended")
	assert.NotNil(t, updated.CompletedAt)

	listed, _, err := client.Checks.ListCheckRunsForRef(ctx, testOrg, testRepo, testHeadSHA, &github.ListCheckRunsOptions{CheckName: github.String("ghcr-doctor")})
	require.NoError(t, err)
	require.Equal(t, 1, listed.GetTotal())
	assert.Equal(t, created.GetID(), listed.CheckRuns[0].GetID())
	none, _, err := client.Checks.ListCheckRunsForRef(ctx, testOrg, testRepo, testHeadSHA, &github.ListCheckRunsOptions{CheckName: github.String("other")})
	require.NoError(t, err)
	assert.Equal(t, 0, none.GetTotal())

	runs := s.CheckRuns(testOrg, testRepo)
	require.Len(t, runs, 1)
	assert.Equal(t, "9001", runs[0].ExternalID)
	assert.Equal(t, "The token lacks packages: write", runs[0].Output.Summary)
	assert.Len(t, runs[0].Output.Annotations, 60)
	assert.Equal(t, []CheckRunAction{{Label: "Open fix PR", Description: "Add packages: write", Identifier: "fix"}}, runs[0].Actions)

	m, _ := getJSON(t, s, client, "repos/octo-org/octo-repo/check-runs/"+itoa(created.GetID()))
	want := readFixture(t, "check-run.json")
	delete(want["app"].(map[string]any), "permissions") // the example app's own permission set
	assert.Empty(t, missingKeys("", want, m))
}

func TestChecksNeedChecksPermission(t *testing.T) {
	s := newFake(t, map[string]string{"checks": "read"})
	addFailedRun(s, "log")
	_, _, err := installationClient(t, s, testInstID).Checks.CreateCheckRun(context.Background(), testOrg, testRepo, github.CreateCheckRunOptions{Name: "n", HeadSHA: testHeadSHA})
	er := requireStatus(t, err, http.StatusForbidden)
	assert.Equal(t, "checks=write", er.Response.Header.Get("X-Accepted-GitHub-Permissions"))
}

func TestCheckRunUpdateName(t *testing.T) {
	cases := []struct {
		name     string
		body     string
		status   int
		wantName string
	}{
		{"name left out is kept", `{"status":"in_progress"}`, http.StatusOK, "ghcr-doctor"},
		{"new name replaces it", `{"name":"renamed"}`, http.StatusOK, "renamed"},
		{"blank name is refused", `{"name":"","status":"in_progress"}`, http.StatusUnprocessableEntity, "ghcr-doctor"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFake(t, fullPerms)
			addFailedRun(s, "log")
			client := installationClient(t, s, testInstID)
			ctx := context.Background()
			created, _, err := client.Checks.CreateCheckRun(ctx, testOrg, testRepo, github.CreateCheckRunOptions{Name: "ghcr-doctor", HeadSHA: testHeadSHA})
			require.NoError(t, err)

			req, err := client.NewRequest("PATCH", "repos/octo-org/octo-repo/check-runs/"+itoa(created.GetID()), json.RawMessage(tc.body))
			require.NoError(t, err)
			resp, err := client.Do(ctx, req, nil)
			if tc.status == http.StatusOK {
				require.NoError(t, err)
			} else {
				requireStatus(t, err, tc.status)
			}
			assert.Equal(t, tc.status, resp.StatusCode)
			runs := s.CheckRuns(testOrg, testRepo)
			require.Len(t, runs, 1)
			assert.Equal(t, tc.wantName, runs[0].Name)
		})
	}
}
