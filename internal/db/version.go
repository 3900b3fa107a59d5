package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"entgo.io/ent/dialect"
)

// SchemaVersion is the version of the schema this binary migrates a database to. Bump it with
// every change to ent/schema that changes a table: TestSchemaVersionFollowsTheSchema fails when
// the tables change and the version does not.
//
//	1  the schema before versions were recorded
//	2  model_grants (the Model read rule as a SQL filter)
//	3  identities (external sign-in subjects) and memberships.source (group sync)
//	4  subscription prices (price snapshot, price versions), complimentary flag, replacement links,
//	   scheduled plan changes, plan trials, partial refunds (transactions.refunded_minor)
//	5  saved payment methods (payment_methods) and renewal charges (transactions.renewal_key)
//	6  plan_subscriptions.paused_at (pause history, so past MRR does not change with later pauses)
//	7  users.suspended_at and users.suspension_reason (suspendUser)
//	8  indexes that cover the analytics' statements: plan_subscriptions' pause counts
//	   (plansubscription_paused), the partial days of usage_events and transactions
//	   memberships.user_created_at and its (group_id, user_created_at, user_id) index (members page)
//	9  usage_dailies.shard: a day's usage total kept in a row per usage batch worker, read as their
//	   sum (the unique key becomes day, metric, plan_id, shard)
//	10 usage_events loses its (subscription_id, metric) index, which no statement used
const SchemaVersion = 10

// ErrNewerSchema is returned by Migrate for a database that a newer steward has upgraded: this
// binary would not know its tables and could damage them, so it refuses to serve or change it.
var ErrNewerSchema = errors.New("database schema is newer than this steward")

// versionTable holds one row: the highest schema version any binary migrated the database to.
const versionTable = "steward_schema_version"

// sqlRunner is what Migrate runs statements on: the pool on SQLite, the connection that holds the
// migration lock on PostgreSQL.
type sqlRunner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// storedVersion is the database's schema version, 0 for a new database or one migrated before
// versions were recorded.
func (d *DB) storedVersion(ctx context.Context, r sqlRunner) (int, error) {
	exists := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + versionTable + "'"
	if d.Dialect == dialect.Postgres {
		exists = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '" + versionTable + "'"
	}
	var n int
	if err := r.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	var v int
	err := r.QueryRowContext(ctx, "SELECT version FROM "+versionTable+" WHERE id = 1").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	return v, nil
}

// checkNotNewer refuses a database migrated by a newer binary.
func (d *DB) checkNotNewer(ctx context.Context, r sqlRunner) error {
	v, err := d.storedVersion(ctx, r)
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w: the database is at schema version %d and this steward knows up to %d; run the release that upgraded it, or restore the backup taken before",
			ErrNewerSchema, v, SchemaVersion)
	}
	return nil
}

// recordVersion stores SchemaVersion after a migration; a higher stored version is kept.
func (d *DB) recordVersion(ctx context.Context, r sqlRunner) error {
	if _, err := r.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+versionTable+" (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"); err != nil {
		return fmt.Errorf("creating schema version table: %w", err)
	}
	upsert := "INSERT INTO " + versionTable + " (id, version) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET version = excluded.version WHERE " + versionTable + ".version < excluded.version"
	arg := "?"
	if d.Dialect == dialect.Postgres {
		arg = "$1"
	}
	if _, err := r.ExecContext(ctx, fmt.Sprintf(upsert, arg), SchemaVersion); err != nil {
		return fmt.Errorf("recording schema version: %w", err)
	}
	return nil
}
