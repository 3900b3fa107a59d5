package schema

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"

	gen "github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/hook"
	"github.com/steward-dev/steward/ent/revenuedaily"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/authz"
)

// RevenueDaily is the sum of SUCCEEDED transactions (and of what partially refunded ones kept) created on one UTC day, per currency and plan,
// kept by a Transaction hook in the same transaction as every change to a transaction (creation,
// status change, refund, deletion), so that revenue by month over a year reads a few thousand rows
// instead of hundreds of thousands of payments. Derived data: never written by hand.
type RevenueDaily struct{ ent.Schema }

// Fields of the RevenueDaily.
func (RevenueDaily) Fields() []ent.Field {
	return []ent.Field{
		// day is the UTC midnight that starts the day of the transactions' created_at.
		field.Time("day").Immutable(),
		field.String("currency").MaxLen(3).Immutable(),
		// plan_id is the transaction's plan, "" for none (not NULL: see UsageDaily.plan_id).
		field.String("plan_id").Default("").Immutable(),
		field.Int64("total_minor").Default(0),
	}
}

// Indexes of the RevenueDaily: the unique key the hook's upsert conflicts on, led by day for the
// range scans, and plan first for one plan's analytics.
func (RevenueDaily) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("day", "currency", "plan_id").Unique(),
		index.Fields("plan_id", "day"),
	}
}

// Annotations of the RevenueDaily: internal, never a GraphQL type.
func (RevenueDaily) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// Hooks of the Transaction: every change keeps the RevenueDaily rollup exact. They are declared
// here, beside the rollup they maintain, rather than in transaction.go.
func (Transaction) Hooks() []ent.Hook {
	return []ent.Hook{rollUpRevenue}
}

// revenueKey is one RevenueDaily row.
type revenueKey struct {
	day            time.Time
	currency, plan string
}

// rollUpRevenue snapshots the SUCCEEDED amounts of the rows a mutation touches before and after
// it, and adds the difference to the rollup, through the mutation's own client so that it joins
// the caller's transaction (a rollback undoes both). One rule covers every case: a payment created
// SUCCEEDED, PENDING → SUCCEEDED, a refund (SUCCEEDED → REFUNDED), an amount or currency change,
// bulk updates and deletes. Outside a transaction the mutation and the rollup are separate
// autocommit statements; production paths (GraphQL mutations, db.InTx) always have one.
func rollUpRevenue(next ent.Mutator) ent.Mutator {
	return hook.TransactionFunc(func(ctx context.Context, m *gen.TransactionMutation) (ent.Value, error) {
		rollupCtx := authz.As(ctx, authz.Rollup)
		var (
			ids []string
			err error
		)
		if m.Op().Is(ent.OpCreate) {
			// Read before the insert: an upsert that hits a conflict swaps in the existing id.
			if id, ok := m.ID(); ok {
				ids = []string{id}
			}
		} else if ids, err = m.IDs(rollupCtx); err != nil {
			return nil, fmt.Errorf("revenue rollup: finding rows: %w", err)
		}
		delta := map[revenueKey]int64{}
		if !m.Op().Is(ent.OpCreate) {
			if err := addSucceeded(rollupCtx, m.Client(), ids, delta, -1); err != nil {
				return nil, err
			}
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		if err := addSucceeded(rollupCtx, m.Client(), ids, delta, 1); err != nil {
			return nil, err
		}
		for k, amount := range delta {
			if amount == 0 {
				continue
			}
			err := m.Client().RevenueDaily.Create().
				SetDay(k.day).SetCurrency(k.currency).SetPlanID(k.plan).SetTotalMinor(amount).
				OnConflictColumns(revenuedaily.FieldDay, revenuedaily.FieldCurrency, revenuedaily.FieldPlanID).
				AddTotalMinor(amount).
				Exec(rollupCtx)
			if err != nil {
				return nil, fmt.Errorf("revenue rollup: adding to %s %s: %w", k.day.Format(time.DateOnly), k.currency, err)
			}
		}
		return v, nil
	})
}

// addSucceeded adds sign × the kept amounts of the SUCCEEDED and PARTIALLY_REFUNDED rows among ids
// to delta: what was paid less what was refunded.
func addSucceeded(ctx context.Context, c *gen.Client, ids []string, delta map[revenueKey]int64, sign int64) error {
	// Chunks keep the IN list far below the databases' bind-parameter limits.
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		rows, err := c.Transaction.Query().
			Where(transaction.IDIn(chunk...), transaction.StatusIn(transaction.StatusSUCCEEDED, transaction.StatusPARTIALLY_REFUNDED)).
			Select(transaction.FieldCreatedAt, transaction.FieldCurrency, transaction.FieldPlanID, transaction.FieldAmountMinor, transaction.FieldRefundedMinor).
			All(ctx)
		if err != nil {
			return fmt.Errorf("revenue rollup: reading rows: %w", err)
		}
		for _, t := range rows {
			at := t.CreatedAt.UTC()
			k := revenueKey{day: time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC), currency: t.Currency}
			if t.PlanID != nil {
				k.plan = *t.PlanID
			}
			delta[k] += sign * (t.AmountMinor - t.RefundedMinor)
		}
	}
	return nil
}
