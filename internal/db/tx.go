package db

import (
	"context"
	"fmt"
	"sync"

	"github.com/steward-dev/steward/ent"
)

// ClientFrom returns the client of the transaction ctx carries (every GraphQL mutation runs in
// one, opened by the server), or c when there is none.
func ClientFrom(ctx context.Context, c *ent.Client) *ent.Client {
	if tc := ent.FromContext(ctx); tc != nil {
		return tc
	}
	return c
}

// InTx runs fn inside ctx's transaction when there is one (so a mutation stays one transaction),
// otherwise inside a new transaction that it commits or rolls back.
func InTx(ctx context.Context, c *ent.Client, fn func(ctx context.Context, client *ent.Client) error) error {
	if ent.TxFromContext(ctx) != nil {
		return fn(ctx, ent.FromContext(ctx))
	}
	tx, err := c.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	txCtx := ent.NewTxContext(ent.NewContext(ctx, tx.Client()), tx)
	if err := fn(txCtx, tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	return nil
}

// AfterCommit runs fn once ctx's transaction commits, or at once when there is no transaction.
// In a Batcher, "commits" means the caller's own savepoint survived and the batch committed.
// Events are published this way, so that subscribers never see a change that was rolled back.
func AfterCommit(ctx context.Context, fn func()) {
	if h := itemHooks(ctx); h != nil {
		h.afterCommit = append(h.afterCommit, fn)
		return
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		fn()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(ctx, tx); err != nil {
				return err
			}
			fn()
			return nil
		})
	})
}

// AfterTx runs fn once ctx's transaction has ended, committed or rolled back, or at once when
// there is none. It is for writes that must outlive a rollback (a failed sign-in counter): on
// SQLite they cannot run while the transaction holds the write lock, so they run after it.
func AfterTx(ctx context.Context, fn func()) {
	if h := itemHooks(ctx); h != nil {
		h.afterTx = append(h.afterTx, fn)
		return
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		fn()
		return
	}
	var once sync.Once
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			once.Do(fn)
			return err
		})
	})
	tx.OnRollback(func(next ent.Rollbacker) ent.Rollbacker {
		return ent.RollbackFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Rollback(ctx, tx)
			once.Do(fn)
			return err
		})
	})
}

// WithoutTx returns ctx without its transaction, for work that must not join it.
func WithoutTx(ctx context.Context) context.Context {
	ctx = context.WithValue(ctx, hooksKey{}, (*txHooks)(nil))
	return ent.NewTxContext(ent.NewContext(ctx, nil), nil)
}

// InTxResult is InTx for a function that returns a value: every mutating domain method runs
// through it (or InTx), so that it is one transaction whoever calls it, and joins its caller's.
func InTxResult[T any](ctx context.Context, c *ent.Client, fn func(ctx context.Context) (T, error)) (T, error) {
	var out T
	err := InTx(ctx, c, func(ctx context.Context, _ *ent.Client) error {
		var err error
		out, err = fn(ctx)
		return err
	})
	return out, err
}
