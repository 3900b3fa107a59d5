package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
	"github.com/steward-dev/steward/internal/metric"
)

// UsageDaily is the total of one metric on one UTC day for one plan, kept by a UsageEvent hook in
// the same transaction as every event, so that usage totals over a year read a few thousand rows
// instead of scanning a million events. It is derived data: never written by hand. A day's total
// may be split over a few rows (shards), which readers add up.
type UsageDaily struct{ ent.Schema }

// Fields of the UsageDaily.
func (UsageDaily) Fields() []ent.Field {
	return []ent.Field{
		// day is the UTC midnight that starts the day.
		field.Time("day").Immutable(),
		field.Enum("metric").GoType(metric.Metric("")).Immutable(),
		// plan_id is the plan of the event's subscription when the event was recorded, "" for
		// events without one. It is not NULL-able because a NULL would defeat the unique index
		// (NULLs are distinct), and with it the upsert.
		field.String("plan_id").Default("").Immutable(),
		field.Int64("total").Default(0),
		// shard splits the total over rows that concurrent writers add to apart: every usage
		// batch writes its worker's row (db.Worker), so that on PostgreSQL the batches running
		// at once do not wait for each other's commit to update one row. Readers sum the shards.
		field.Int("shard").Default(0).NonNegative().Immutable(),
	}
}

// Indexes of the UsageDaily: the unique key is what the hook's upsert conflicts on, and its
// leading day column serves the range scans of the analytics.
func (UsageDaily) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("day", "metric", "plan_id", "shard").Unique(),
		index.Fields("plan_id", "day"),
	}
}

// Annotations of the UsageDaily: internal, never a GraphQL type.
func (UsageDaily) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
