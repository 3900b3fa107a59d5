package db

import (
	"context"
	stdsql "database/sql"
	"strings"
	"sync/atomic"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// writeCounter wraps ent's SQL driver and counts the statements that may change data, and the
// commits that make such changes visible. A cache of results read through this DB is current as
// long as the count has not moved since the read began (see DB.Writes).
//
// Anything but a SELECT counts as a write; so does every commit, because a reader may have read
// the state before a transaction's writes became visible and after they were counted.
type writeCounter struct {
	countingConn
	drv *entsql.Driver
	// gate queues SQLite transactions before they BEGIN; nil on PostgreSQL (see writeGate).
	gate *writeGate
}

func newWriteCounter(drv *entsql.Driver, writes *atomic.Uint64, watches *watchList, gate *writeGate, rowsTyped *atomic.Bool) writeCounter {
	return writeCounter{countingConn: countingConn{Conn: drv.Conn, writes: writes, watches: watches, rowsTyped: rowsTyped}, drv: drv, gate: gate}
}

func (d writeCounter) Dialect() string                            { return d.drv.Dialect() }
func (d writeCounter) Close() error                               { return d.drv.Close() }
func (d writeCounter) DB() *stdsql.DB                             { return d.drv.DB() }
func (d writeCounter) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

func (d writeCounter) BeginTx(ctx context.Context, opts *entsql.TxOptions) (dialect.Tx, error) {
	release, err := d.gate.enter(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := d.drv.BeginTx(ctx, opts)
	if err != nil {
		release()
		return nil, err
	}
	t := tx.(*entsql.Tx)
	return writeCountingTx{countingConn: countingConn{Conn: t.Conn, writes: d.writes, watches: d.watches, tx: &txWatches{},
		rowsTyped: d.rowsTyped, uncancellable: d.gate != nil}, tx: t, release: release}, nil
}

// writeCountingTx is writeCounter for a transaction: its statements, and its commit. It leaves
// the write gate when it ends.
type writeCountingTx struct {
	countingConn
	tx      *entsql.Tx
	release func()
}

func (t writeCountingTx) Commit() error {
	defer t.release()
	defer t.countingConn.tx.committed()
	defer t.writes.Add(1)
	return t.tx.Commit()
}

func (t writeCountingTx) Rollback() error {
	defer t.release()
	return t.tx.Rollback()
}

// countingConn counts the statements sent through a connection, pool or transaction that may
// change data.
type countingConn struct {
	entsql.Conn
	writes *atomic.Uint64
	// watches count the writes to some tables (DB.WatchTables); tx collects those a
	// transaction's statements moved, to move them again at its commit (nil outside one).
	watches *watchList
	tx      *txWatches
	// uncancellable sends statements without their context's cancellation: set in SQLite
	// transactions (see statementContext).
	uncancellable bool
	// rowsTyped wraps the rows of queries in typedColumns; off while the schema migrates.
	rowsTyped *atomic.Bool
}

// statementContext is the context a statement is sent with. go-sqlite3 runs a statement whose
// context can be cancelled on a goroutine of its own and waits for it, so every statement of a
// write transaction went through the scheduler twice while it held the only write lock: with
// both cores busy (recordUsage at 64 clients), the usage writer waited 0.82 s in 4 s for those
// goroutines, 0.07 s without them. Inside a SQLite transaction statements take microseconds and
// never wait on another writer, so nothing is lost: a cancelled caller still ends its
// transaction (database/sql rolls it back, and its next statement fails), only not in the
// middle of a statement.
func (c countingConn) statementContext(ctx context.Context) context.Context {
	if c.uncancellable {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// wrote counts a statement that may have changed data.
func (c countingConn) wrote(query string) {
	c.writes.Add(1)
	countWatches(c.watches, c.tx, query)
}

func (c countingConn) Exec(ctx context.Context, query string, args, v any) error {
	defer c.wrote(query)
	return c.Conn.Exec(c.statementContext(ctx), query, args, v)
}

func (c countingConn) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	defer c.wrote(query)
	return c.Conn.ExecContext(c.statementContext(ctx), query, args...)
}

func (c countingConn) Query(ctx context.Context, query string, args, v any) error {
	if mayWrite(query) {
		defer c.wrote(query)
	}
	if err := c.Conn.Query(c.statementContext(ctx), query, args, v); err != nil {
		return err
	}
	if rows, ok := v.(*entsql.Rows); ok && rows.ColumnScanner != nil && c.rowsTyped.Load() {
		rows.ColumnScanner = &typedColumns{ColumnScanner: rows.ColumnScanner}
	}
	return nil
}

// typedColumns remembers a result set's column types. ent asks for them once per row and per
// column it does not know (a count riding on a page's rows, say), and database/sql builds them
// all again at each call: on the plan subscribers page over PostgreSQL that was 7.5% of
// steward's CPU.
type typedColumns struct {
	entsql.ColumnScanner
	types []*stdsql.ColumnType
}

func (t *typedColumns) ColumnTypes() ([]*stdsql.ColumnType, error) {
	if t.types != nil {
		return t.types, nil
	}
	types, err := t.ColumnScanner.ColumnTypes()
	if err == nil {
		t.types = types
	}
	return types, err
}

// NextResultSet forgets the column types: the next result set has its own.
func (t *typedColumns) NextResultSet() bool {
	t.types = nil
	return t.ColumnScanner.NextResultSet()
}

func (c countingConn) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	if mayWrite(query) {
		defer c.wrote(query)
	}
	return c.Conn.QueryContext(c.statementContext(ctx), query, args...)
}

// mayWrite reports whether a statement sent through Query may change data: anything but a
// SELECT, such as INSERT ... RETURNING.
func mayWrite(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) < 6 || !strings.EqualFold(q[:6], "SELECT")
}
