package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/ghcr-doctor/ghcr-doctor/internal/config"
	"github.com/ghcr-doctor/ghcr-doctor/internal/server"
)

func newServeCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "serve --config FILE",
		Short: "Run the GitHub App server",
		Long: `Run the GitHub App server: webhooks on POST /api/github/hook, health on
GET /api/health, Prometheus metrics on GET /api/metrics.

The configuration is one YAML file (see config/ghcr-doctor.example.yml). Secrets may
come from the environment instead: GITHUB_APP_INTEGRATION_ID, GITHUB_APP_WEBHOOK_SECRET,
GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if configPath == "" {
				return &exitCodeError{code: 2, err: fmt.Errorf("--config is required")}
			}
			cfg, err := config.Load(configPath)
			if err != nil {
				return &exitCodeError{code: 2, err: err}
			}
			logger, err := newLogger(cfg.Logging, cmd.ErrOrStderr())
			if err != nil {
				return &exitCodeError{code: 2, err: err}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := startupCheck(ctx, cfg, logger); err != nil {
				return &exitCodeError{code: 2, err: err}
			}
			srv, err := server.New(ctx, cfg, logger)
			if err != nil {
				return err
			}
			return srv.ListenAndServe(ctx)
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "path of the YAML configuration file")
	return cmd
}

func newLogger(c config.Logging, w interface{ Write([]byte) (int, error) }) (zerolog.Logger, error) {
	level, err := zerolog.ParseLevel(c.Level)
	if err != nil {
		return zerolog.Nop(), fmt.Errorf("logging.level: %w", err)
	}
	var out = w
	if c.Text {
		out = zerolog.ConsoleWriter{Out: w}
	}
	return zerolog.New(out).Level(level).With().Timestamp().Logger(), nil
}
