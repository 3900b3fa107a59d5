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
	*entsql.Driver
	writes *atomic.Uint64
}

func (d writeCounter) Exec(ctx context.Context, query string, args, v any) error {
	defer d.writes.Add(1)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d writeCounter) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	defer d.writes.Add(1)
	return d.Driver.ExecContext(ctx, query, args...)
}

func (d writeCounter) Query(ctx context.Context, query string, args, v any) error {
	if mayWrite(query) {
		defer d.writes.Add(1)
	}
	return d.Driver.Query(ctx, query, args, v)
}

func (d writeCounter) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	if mayWrite(query) {
		defer d.writes.Add(1)
	}
	return d.Driver.QueryContext(ctx, query, args...)
}

func (d writeCounter) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

func (d writeCounter) BeginTx(ctx context.Context, opts *entsql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return writeCountingTx{Tx: tx.(*entsql.Tx), writes: d.writes}, nil
}

// writeCountingTx is writeCounter for the statements of a transaction, and its commit.
type writeCountingTx struct {
	*entsql.Tx
	writes *atomic.Uint64
}

func (t writeCountingTx) Exec(ctx context.Context, query string, args, v any) error {
	defer t.writes.Add(1)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t writeCountingTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	defer t.writes.Add(1)
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t writeCountingTx) Query(ctx context.Context, query string, args, v any) error {
	if mayWrite(query) {
		defer t.writes.Add(1)
	}
	return t.Tx.Query(ctx, query, args, v)
}

func (t writeCountingTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	if mayWrite(query) {
		defer t.writes.Add(1)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t writeCountingTx) Commit() error {
	defer t.writes.Add(1)
	return t.Tx.Commit()
}

// mayWrite reports whether a statement sent through Query may change data: anything but a
// SELECT, such as INSERT ... RETURNING.
func mayWrite(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) < 6 || !strings.EqualFold(q[:6], "SELECT")
}
