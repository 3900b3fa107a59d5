package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/google/uuid"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/owuimport"
	"github.com/steward-dev/steward/internal/server"
)

const importUsage = `usage: steward import-openwebui --from <webui.db path | postgres://...> [--dry-run] [--report FILE] [--db URL]

Copies an Open WebUI deployment into steward's configured database (--db or DATABASE_URL):
accounts with their passwords and API keys, groups and permissions, model access control, the
configuration steward knows and, from the billing fork, plans, subscriptions, usage and payments.
One transaction: a failure leaves steward's database as it was. Safe to run again: rows are
matched by id and updated. --dry-run prints what would change and writes nothing; --report
writes the report as JSON.`

// runImport runs `steward import-openwebui`. Like the admin commands it builds the application
// (migrating, and refusing a database a newer release migrated) and acts at the console.
func runImport(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdout, stderr io.Writer, terminal bool) error {
	fs := flag.NewFlagSet("steward import-openwebui", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	from := fs.String("from", "", "Open WebUI's webui.db path or postgres:// URL")
	dryRun := fs.Bool("dry-run", false, "print what would change and write nothing")
	reportFile := fs.String("report", "", "write the report as JSON to this file")
	dbURL := fs.String("db", "", "steward's SQLite file or postgres:// URL (default: DATABASE_URL or steward.db)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, importUsage)
			return nil
		}
		return fmt.Errorf("%w\n\n%s", err, importUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n\n%s", fs.Arg(0), importUsage)
	}
	if *from == "" {
		return fmt.Errorf("--from is required\n\n%s", importUsage)
	}
	if *dbURL != "" {
		cfg.DatabaseURL = *dbURL
	}
	src, err := owuimport.Open(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	app, err := server.New(ctx, cfg, server.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close()
	im, err := owuimport.New(owuimport.Config{DB: app.DB, Settings: app.Settings, Config: app.Config, Audit: app.Audit})
	if err != nil {
		return err
	}
	ctx = authz.As(auth.WithRequest(ctx, auth.Request{UserAgent: "steward import-openwebui", ID: uuid.NewString(), Principal: "console"}), authz.Importer)
	progress := newProgress(stderr, terminal)
	rep, err := im.Run(ctx, src, owuimport.Options{DryRun: *dryRun, Progress: progress.update})
	progress.finish()
	if err != nil {
		return fmt.Errorf("the import failed and nothing was written: %w", err)
	}
	if err := rep.Print(stdout); err != nil {
		return err
	}
	if *reportFile != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*reportFile, append(b, '\n'), 0o600); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
		fmt.Fprintf(stdout, "report written to %s\n", *reportFile)
	}
	return nil
}

// progress shows how far each table is: a redrawn bar on a terminal, otherwise one plain line
// per table when it is done (logs and CI output stay readable).
type progress struct {
	w        io.Writer
	terminal bool
	table    string
	done     int
	total    int
}

func newProgress(w io.Writer, terminal bool) *progress { return &progress{w: w, terminal: terminal} }

func (p *progress) update(table string, done, total int) {
	if table != p.table {
		p.finish()
		p.table = table
	}
	p.done, p.total = done, total
	if p.terminal {
		const width = 30
		filled := width * done / max(total, 1)
		fmt.Fprintf(p.w, "\r%-16s [%s%s] %d/%d", table, strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total)
	}
}

func (p *progress) finish() {
	if p.table == "" {
		return
	}
	if p.terminal {
		fmt.Fprintln(p.w)
	} else {
		fmt.Fprintf(p.w, "%s: %d/%d rows read\n", p.table, p.done, p.total)
	}
	p.table = ""
}

// isTerminal reports whether f is a character device (a terminal), not a pipe or a file.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
