// Package db opens steward's database (embedded SQLite by default, PostgreSQL for scale-out),
// migrates it, and resolves the type of a node id for Relay's node(id).
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/migrate"
	_ "github.com/steward-dev/steward/ent/runtime" // registers defaults, hooks and privacy policies
)

// DB is an open database: the ent client plus what steward needs to know about it.
type DB struct {
	Client  *ent.Client
	SQL     *sql.DB
	Dialect string
	writes  *atomic.Uint64
	watches *watchList
	// rowsTyped is off while the schema migrates (see typedColumns).
	rowsTyped *atomic.Bool
	// stopCheckpoints stops SQLite's background checkpoints (see startCheckpointer).
	stopCheckpoints func()
}

// Writes counts the statements that may have changed data through Client, and the commits of
// its transactions. What was read through Client is still current while it has not moved since
// before the read (writes made straight through SQL, or by another process, are not counted).
func (d *DB) Writes() uint64 { return d.writes.Load() }

// Config says which database to open.
type Config struct {
	// URL is a postgres:// URL, or a SQLite file path (optionally "sqlite://path" or "file:path").
	URL string
	// Debug logs every statement through ent (never in production: it shows values).
	Debug bool
}

// SQLiteDSN returns the connection string for a SQLite file with the settings steward relies on:
// foreign keys (ent's cascades need them), WAL so readers never wait for the writer, a busy
// timeout instead of immediate SQLITE_BUSY, and immediate transactions so that two writers queue up
// at BEGIN rather than deadlock when both upgrade a read lock.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_fk=1&_journal_mode=WAL&_busy_timeout=10000&_synchronous=NORMAL&_txlock=immediate&_stmt_cache_size=128"
}

// Open connects to the database named by cfg and checks that it answers.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	var (
		driverName, dsn, dia string
	)
	switch u := cfg.URL; {
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		driverName, dsn, dia = "pgx", u, dialect.Postgres
	case strings.HasPrefix(u, "file:"):
		driverName, dsn, dia = sqliteDriver, u, dialect.SQLite
	default:
		path := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite://"), "sqlite:")
		if path == "" {
			path = "steward.db"
		}
		driverName, dsn, dia = sqliteDriver, SQLiteDSN(path), dialect.SQLite
	}
	file := sqliteFile(dia, dsn)
	if file != "" {
		if err := createPrivate(file); err != nil {
			return nil, err
		}
	}
	sqlDB, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s database: %w", dia, err)
	}
	switch dia {
	case dialect.Postgres:
		// Every connection opened under load is kept: one closed when it came back to a full
		// idle pool was reopened at once by the next request, and each costs PostgreSQL a new
		// backend process and a fresh statement cache. With 16 idle of 32, the group page at 32
		// clients opened 13-18 connections a second and spent 2-3x the database CPU per page.
		sqlDB.SetMaxOpenConns(maxPostgresConns)
		sqlDB.SetMaxIdleConns(maxPostgresConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	case dialect.SQLite:
		// database/sql keeps only 2 idle connections by default: under load every other query
		// would open a fresh SQLite connection (file open, pragmas, cold page and statement
		// caches). The number of open connections stays unbounded, as a request may hold a
		// transaction's connection while it reads on another.
		sqlDB.SetMaxIdleConns(32)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connecting to %s database: %w", dia, err)
	}
	if file != "" {
		if err := restrictSidecars(file); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	}
	writes := new(atomic.Uint64)
	var gate *writeGate
	if dia == dialect.SQLite {
		gate = newWriteGate()
	}
	rowsTyped := new(atomic.Bool)
	rowsTyped.Store(true)
	watches := newWatchList()
	drv := newWriteCounter(entsql.OpenDB(dia, sqlDB), writes, watches, gate, rowsTyped)
	opts := []ent.Option{ent.Driver(drv)}
	if cfg.Debug {
		opts = append(opts, ent.Debug())
	}
	d := &DB{Client: ent.NewClient(opts...), SQL: sqlDB, Dialect: dia, writes: writes, watches: watches, rowsTyped: rowsTyped, stopCheckpoints: func() {}}
	if dia == dialect.SQLite {
		d.stopCheckpoints = startCheckpointer(sqlDB, gate)
	}
	return d, nil
}

// maxPostgresConns bounds one process's PostgreSQL connections (100 is PostgreSQL's default
// max_connections, so three replicas fit).
const maxPostgresConns = 32

// Close closes the client and its connections.
func (d *DB) Close() error {
	d.stopCheckpoints()
	return d.Client.Close()
}

// migrationLockKey is the PostgreSQL advisory lock that serialises migrations, so replicas that
// start at the same moment do not race to create the same tables.
var migrationLockKey = func() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("steward schema migration"))
	return int64(h.Sum64() >> 1)
}()

// Migrate creates or upgrades the schema and records its version. It refuses a database that a
// newer steward migrated (ErrNewerSchema). On PostgreSQL it holds an advisory lock while it runs.
func (d *DB) Migrate(ctx context.Context) error {
	if d.Dialect != dialect.Postgres {
		return d.migrate(ctx, d.SQL)
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("reserving a connection for migration: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("taking migration lock: %w", err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
	}()
	return d.migrate(ctx, conn)
}

func (d *DB) migrate(ctx context.Context, r sqlRunner) error {
	if err := d.checkNotNewer(ctx, r); err != nil {
		return err
	}
	// Queries return database/sql's own rows until the schema is in place: ent's migration
	// asserts that they do (see typedColumns).
	d.rowsTyped.Store(false)
	defer d.rowsTyped.Store(true)
	if err := d.Client.Schema.Create(ctx, migrate.WithDropIndex(true)); err != nil {
		return err
	}
	if err := d.backfillSubscriptionPrices(ctx, r); err != nil {
		return err
	}
	if err := d.backfillPauses(ctx, r); err != nil {
		return err
	}
	if err := d.backfillMemberCreation(ctx, r); err != nil {
		return err
	}
	if err := d.recordVersion(ctx, r); err != nil {
		return err
	}
	return d.repairUsage(ctx)
}

// nodeTables are the tables of every GraphQL node type; ids are unique strings across all of them
// in practice (UUIDs, except models and plans, whose readable ids are looked up last).
var nodeTables = []string{
	"users", "groups", "plan_subscriptions", "usage_events", "transactions", "audit_logs",
	"sessions", "api_keys", "quota_reservations", "plans", "models",
}

// NodeType finds the table holding id with one UNION query, instead of one query per table, so
// node(id) costs two statements whatever the number of types. The first table in nodeTables order
// wins when a readable id happens to exist in two tables.
func (d *DB) NodeType(ctx context.Context, id string) (string, error) {
	var b strings.Builder
	args := make([]any, 0, len(nodeTables))
	for i, t := range nodeTables {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		ph := "?"
		if d.Dialect == dialect.Postgres {
			ph = fmt.Sprintf("$%d", i+1)
		}
		fmt.Fprintf(&b, "SELECT %d AS ord FROM %s WHERE id = %s", i, t, ph)
		args = append(args, id)
	}
	rows, err := d.SQL.QueryContext(ctx, "SELECT MIN(ord) FROM ("+b.String()+") AS found", args...)
	if err != nil {
		return "", fmt.Errorf("resolving node type: %w", err)
	}
	defer rows.Close()
	var ord sql.NullInt64
	if rows.Next() {
		if err := rows.Scan(&ord); err != nil {
			return "", fmt.Errorf("resolving node type: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("resolving node type: %w", err)
	}
	if !ord.Valid {
		return "", ErrNodeNotFound
	}
	return nodeTables[ord.Int64], nil
}

// ErrNodeNotFound is returned by NodeType for an id no table holds.
var ErrNodeNotFound = errors.New("node not found")
