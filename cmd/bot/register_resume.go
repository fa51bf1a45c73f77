package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/register"
)

// runOrResume registers through the browser, or, with --resume, only
// exchanges the code.
func runOrResume(ctx context.Context, opts register.Options) (*register.Registration, error) {
	if opts.ResumeCode != "" {
		return register.Resume(ctx, opts)
	}
	return register.Run(ctx, opts)
}

// withResumeHint adds, to a failed code exchange, the command that
// finishes the registration.
func withResumeHint(err error, opts register.Options) error {
	var ce *register.ConversionError
	if !errors.As(err, &ce) {
		return err
	}
	return fmt.Errorf("%w\nThe App exists. Within an hour of its creation, finish the registration with:\n  %s", err, resumeCommand(ce.Code, opts))
}

// resumeCommand is bot register with the flags that matter for finishing.
func resumeCommand(code string, opts register.Options) string {
	args := []string{"bot", "register", "--resume", code, "--webhook-url", opts.WebhookURL}
	if opts.WebURL != "" && opts.WebURL != register.DefaultWebURL {
		args = append(args, "--web-url", opts.WebURL)
	}
	if opts.APIURL != "" {
		args = append(args, "--api-url", opts.APIURL)
	}
	args = append(args, "--out", opts.Out)
	for i, a := range args {
		if strings.ContainsAny(a, " \t'\"$`\\|&;<>()*?[]#~") {
			args[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(args, " ")
}
