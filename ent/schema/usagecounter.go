package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
	"github.com/steward-dev/steward/internal/metric"
)

// UsageCounter is the running total of one metric in one subscription period, updated in the same
// transaction as each event so that a quota check reads one row.
type UsageCounter struct{ ent.Schema }

// Fields of the UsageCounter.
func (UsageCounter) Fields() []ent.Field {
	return []ent.Field{
		field.String("subscription_id").Immutable(),
		field.String("user_id").Immutable(),
		field.Enum("metric").GoType(metric.Metric("")).Immutable(),
		field.Time("period_start").Immutable(),
		field.Time("period_end").Immutable(),
		field.Int64("used").Default(0).NonNegative(),
		// reserved is budget held by open reservations; it counts against the quota.
		field.Int64("reserved").Default(0).NonNegative(),
		// alerted_80 and alerted_100 remember which quota alerts this period already sent.
		field.Bool("alerted_80").Default(false),
		field.Bool("alerted_100").Default(false),
		field.Time("updated_at").Default(now).UpdateDefault(now),
	}
}

// Indexes of the UsageCounter.
func (UsageCounter) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("subscription_id", "metric", "period_start").Unique(),
		index.Fields("user_id", "period_start"),
	}
}

// Annotations of the UsageCounter.
func (UsageCounter) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
