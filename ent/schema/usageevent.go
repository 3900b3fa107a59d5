package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/internal/billing/metric"
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
		index.Fields("created_at", "metric"),
		index.Fields("subscription_id", "metric"),
	}
}

// Annotations of the UsageEvent.
func (UsageEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
