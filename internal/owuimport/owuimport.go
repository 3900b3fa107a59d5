// Package owuimport copies an Open WebUI deployment (and its billing fork's tables) into steward:
// accounts with their password hashes and API keys, groups with members and permissions, the
// default permissions, model access control, the configuration steward knows, plans,
// subscriptions, usage and payments. Everything is written in one transaction, ids are kept, and
// a second run updates rather than duplicates. `steward import-openwebui` is its command.
package owuimport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/settings"
)

// Config wires an Importer.
type Config struct {
	DB       *db.DB
	Settings *settings.Store
	// Config validates and stores the mapped configuration sections.
	Config *settings.Service
	Audit  *audit.Log
	Now    func() time.Time
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.DB == nil || c.Settings == nil || c.Config == nil || c.Audit == nil {
		return errors.New("owuimport: DB, Settings, Config and Audit are required")
	}
	return nil
}

// Importer runs imports.
type Importer struct{ cfg Config }

// New returns an Importer.
func New(cfg Config) (*Importer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Importer{cfg: cfg}, nil
}

// Options change how an import runs.
type Options struct {
	// DryRun does everything in the transaction, then rolls it back: the report says exactly
	// what a real run would do, and nothing is written.
	DryRun bool
	// Progress, when set, is told after each row how far its table is.
	Progress func(table string, done, total int)
}

// errDryRun rolls the dry run's transaction back.
var errDryRun = errors.New("dry run")

// Run imports src into steward's database: ImportData. It returns the report, or an error when
// the import failed and nothing was written. A row that
// cannot be imported on its own (an unknown role, an email another account holds) is skipped and
// reported; an error from the database or from steward's own checks of a row stops the import
// and rolls back everything.
func (im *Importer) Run(ctx context.Context, src *Source, opts Options) (*Report, error) {
	if err := authz.Require(ctx, authz.ImportData); err != nil {
		return nil, err
	}
	rep := &Report{Source: src.name, DryRun: opts.DryRun, StartedAt: im.cfg.Now().UTC(), Tables: []*Counts{}, Skipped: []Skip{}, Layout: []string{}}
	snap, err := read(ctx, src, rep)
	if err != nil {
		return nil, err
	}
	err = db.InTx(ctx, im.cfg.DB.Client, func(ctx context.Context, c *ent.Client) error {
		r := &run{im: im, c: c, rep: rep, snap: snap, progress: opts.Progress,
			users: map[string]bool{}, groups: map[string]bool{}, plans: map[string]period.Interval{}, subs: map[string]subscription{}}
		for _, step := range []func(context.Context) error{
			r.importUsers, r.importAPIKeys, r.importGroups, r.importConfig, r.importModels,
			r.importPlans, r.importSubscriptions, r.importUsage, r.importTransactions, r.importBillingAudit,
		} {
			if err := step(ctx); err != nil {
				return err
			}
		}
		err := im.cfg.Audit.Record(ctx, audit.Entry{Action: audit.DataImported, EntityType: "Import", EntityID: "openwebui",
			Description: fmt.Sprintf("imported Open WebUI data from %s", src.name), Changes: auditChanges(rep)})
		if err != nil {
			return err
		}
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, err
	}
	if !opts.DryRun && im.cfg.DB.Dialect == dialect.Postgres {
		// Fresh statistics after a bulk load, or membership look-ups seq-scan until autovacuum runs.
		// The import is committed by now: a failure here is worth a note, not an error.
		if _, err := im.cfg.DB.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
			rep.Notes = append(rep.Notes, "ANALYZE after the import failed; run it by hand: "+err.Error())
		}
	}
	rep.FinishedAt = im.cfg.Now().UTC()
	return rep, nil
}

func auditChanges(rep *Report) map[string]audit.Change {
	out := map[string]audit.Change{}
	for table, s := range rep.summary() {
		out[table] = audit.Change{New: s}
	}
	return out
}

// run is one import inside its transaction.
type run struct {
	im       *Importer
	c        *ent.Client
	rep      *Report
	snap     *snapshot
	progress func(table string, done, total int)
	// What this run imported (or found unchanged), for the rows that refer to it.
	users, groups map[string]bool
	plans         map[string]period.Interval // plan id -> its billing interval
	subs          map[string]subscription
	// paidSubs are the subscriptions a succeeded payment of the source covers (see paid).
	paidSubs map[string]bool
}

func (r *run) tick(table string, done, total int) {
	if r.progress != nil {
		r.progress(table, done, total)
	}
}
