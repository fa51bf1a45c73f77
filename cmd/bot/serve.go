package main

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
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
		Long:  serveHelp(),
		Args:  cobra.NoArgs,
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
			// Bind first: a server that cannot serve must not open, migrate
			// or resume the queue.
			l, err := server.Listen(cfg)
			if err != nil {
				return err
			}
			srv, err := server.New(ctx, cfg, logger)
			if err != nil {
				l.Close()
				return err
			}
			return srv.Serve(ctx, l)
		},
	}
	cmd.Flags().StringVarP(&configPath, "config", "c", "", "path of the YAML configuration file")
	return cmd
}

// serveHelp is serve's description, with every route and every
// environment variable the configuration reads.
func serveHelp() string {
	var b strings.Builder
	b.WriteString(`Run the GitHub App server. Routes:

  POST ` + server.HookPath + `  webhooks (a valid X-Hub-Signature-256 is required)
  GET  ` + server.HealthPath + `       the server, its database (503 when unreachable) and
                          whether GitHub accepts the App's credentials
  GET  ` + server.LivePath + `         the process only, for liveness probes
  GET  ` + server.MetricsPath + `      Prometheus metrics

The configuration is one YAML file (see config/ghcr-doctor.example.yml); before
serving, the checks of 'bot check' run and a problem stops the start. These
environment variables override the file:

`)
	for _, v := range config.Environment {
		fmt.Fprintf(&b, "  %-28s %s\n", v.Name, v.Key)
	}
	return strings.TrimRight(b.String(), "\n")
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
