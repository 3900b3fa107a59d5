package schema

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"

	gen "github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/hook"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/usagedaily"
	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/metric"
)

// UsageEvent is one reported usage. The idempotency key makes a gateway's retries count once.
type UsageEvent struct{ ent.Schema }

// Mixin of the UsageEvent.
func (UsageEvent) Mixin() []ent.Mixin { return []ent.Mixin{TimeUUIDMixin{}, CreatedMixin{}} }

// Fields of the UsageEvent.
func (UsageEvent) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.String("subscription_id").Optional().Nillable().Immutable(),
		field.Enum("metric").GoType(metric.Metric("")).Immutable().
			Annotations(entgql.Type("UsageMetric")),
		field.Int64("amount").NonNegative().Immutable(),
		field.String("idempotency_key").Optional().Nillable().Unique().Immutable().MaxLen(255),
		// request_hash fingerprints the input, to tell a replay from a conflicting reuse of a key.
		field.String("request_hash").Default("").Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("model_id").Optional().Immutable(),
		field.String("chat_id").Optional().Immutable(),
		field.JSON("metadata", map[string]any{}).Optional().Immutable().
			Annotations(entgql.Type("JSON")),
	}
}

// Indexes of the UsageEvent.
func (UsageEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_id", "created_at"),
		// amount makes the analytics' partial days (events of a day not yet in the rollup, or
		// cut by the range) an index-only sum.
		index.Fields("created_at", "metric", "amount").StorageKey("usageevent_created_at_metric_amount"),
		// No index on subscription_id: no statement reads events by subscription (counters and
		// rollups answer those questions), and one whose keys land all over the tree cost every
		// insert a third of its time on SQLite (schema version 10).
	}
}

// Annotations of the UsageEvent.
func (UsageEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

// Hooks of the UsageEvent: every created event adds its amount to the UsageDaily rollup of its UTC
// day, metric and plan. Because the hook lives in the schema, any code that records usage keeps the
// rollup exact without knowing about it.
func (UsageEvent) Hooks() []ent.Hook {
	return []ent.Hook{hook.On(rollUpUsage, ent.OpCreate)}
}

// rollUpUsage runs after the insert, through the mutation's own client, so that it joins the
// caller's transaction: a rolled-back event rolls back its rollup too, and a failed insert (such as
// a reused idempotency key) changes nothing. Outside a transaction the insert and the upsert are two
// autocommit statements; every production path records usage in one (GraphQL mutations, db.InTx).
func rollUpUsage(next ent.Mutator) ent.Mutator {
	return hook.UsageEventFunc(func(ctx context.Context, m *gen.UsageEventMutation) (ent.Value, error) {
		// The id is read before the insert: an upsert that hits a conflicting idempotency key
		// replaces it with the existing row's id, and that row was counted already.
		id, _ := m.ID()
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		created, _ := m.CreatedAt()
		met, _ := m.Metric()
		amount, _ := m.Amount()
		// The rollup is derived data that no caller may write directly: the event was already
		// authorised by its own policy, so its consequence is written by the rollup actor.
		rollupCtx := authz.As(ctx, authz.Rollup)
		// One statement both confirms that this row was really inserted (an upsert that ignored a
		// conflicting idempotency key inserts nothing, yet reports success) and finds the plan of
		// the event's subscription at this moment.
		var rows []struct {
			PlanID *string `json:"plan_id"`
		}
		err = m.Client().UsageEvent.Query().Where(usageevent.ID(id)).
			Modify(func(s *entsql.Selector) {
				ps := entsql.Table(plansubscription.Table)
				s.LeftJoin(ps).On(s.C(usageevent.FieldSubscriptionID), ps.C(plansubscription.FieldID)).
					Select(entsql.As(ps.C(plansubscription.FieldPlanID), "plan_id"))
			}).
			Scan(rollupCtx, &rows)
		if err != nil {
			return nil, fmt.Errorf("usage rollup: reading event %s: %w", id, err)
		}
		if len(rows) == 0 || amount == 0 {
			return v, nil
		}
		planID := ""
		if rows[0].PlanID != nil {
			planID = *rows[0].PlanID
		}
		c := created.UTC()
		day := time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC)
		err = m.Client().UsageDaily.Create().
			SetDay(day).SetMetric(met).SetPlanID(planID).SetTotal(amount).
			OnConflictColumns(usagedaily.FieldDay, usagedaily.FieldMetric, usagedaily.FieldPlanID, usagedaily.FieldShard).
			AddTotal(amount).
			Exec(rollupCtx)
		if err != nil {
			return nil, fmt.Errorf("usage rollup: adding to %s %s: %w", day.Format(time.DateOnly), met, err)
		}
		return v, nil
	})
}
