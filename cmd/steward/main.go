// Command steward serves the administration API of an LLM web platform as one GraphQL endpoint.
//
//	steward [serve] [--addr :8080] [--db steward.db]   run the server (the default)
//	steward migrate                                   create or upgrade the schema and exit
//	steward admin <command>                           account chores at the console (steward admin help)
//	steward import-openwebui --from <db> [--dry-run]  copy an Open WebUI deployment into steward
//	steward version                                   print the version
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof" // served only on STEWARD_PPROF_ADDR
	"os"
	"os/signal"
	"syscall"

	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "steward:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	configArgs := args
	if cmd == "admin" || cmd == "import-openwebui" {
		configArgs = nil // these commands parse their own flags, --db included
	}
	cfg, err := config.Load(configArgs, os.Getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg.LogFormat)
	slog.SetDefault(logger)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "admin":
		// Only warnings and errors: the command's own output is what the operator reads.
		quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		return runAdmin(ctx, cfg, quiet, args, os.Stdin, os.Stdout)
	case "import-openwebui":
		quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		return runImport(ctx, cfg, quiet, args, os.Stdout, os.Stderr, isTerminal(os.Stderr))
	case "serve":
		return serve(ctx, cfg, logger)
	case "migrate":
		d, err := db.Open(ctx, db.Config{URL: cfg.DatabaseURL})
		if err != nil {
			return err
		}
		defer d.Close()
		if err := d.Migrate(ctx); err != nil {
			return err
		}
		logger.Info("schema is up to date", "dialect", d.Dialect)
		return nil
	case "version":
		fmt.Println("steward", version)
		return nil
	default:
		return fmt.Errorf("unknown command %q (use serve, migrate, admin, import-openwebui or version)", cmd)
	}
}

func serve(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	if cfg.PprofAddr != "" {
		go func() {
			// net/http/pprof registers on the default mux, which the API never uses.
			logger.Info("profiler listening", "addr", cfg.PprofAddr, "err", http.ListenAndServe(cfg.PprofAddr, nil))
		}()
	}
	server.TuneGC()
	app, err := server.New(ctx, cfg, server.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close()
	empty, err := app.DB.Client.User.Query().Count(ctx)
	if err != nil {
		return fmt.Errorf("counting users: %w", err)
	}
	err = app.Serve(ctx, cfg.Addr, func(addr string) {
		logger.Info("steward is running", "playground", "http://"+displayAddr(addr)+"/", "graphql", "http://"+displayAddr(addr)+"/graphql", "database", app.DB.Dialect)
		if empty == 0 {
			logger.Info("the database has no accounts yet: the first account to sign up becomes admin")
		}
	})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "localhost" + addr
	}
	if len(addr) > 5 && addr[:5] == "[::]:" {
		return "localhost:" + addr[5:]
	}
	return addr
}

func newLogger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}
