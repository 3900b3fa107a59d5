package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
	"github.com/steward-dev/steward/internal/metric"
)

// QuotaReservation holds budget before a call whose cost is not known yet.
type QuotaReservation struct{ ent.Schema }

// Mixin of the QuotaReservation.
func (QuotaReservation) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, TimeMixin{}} }

// Fields of the QuotaReservation.
func (QuotaReservation) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		// subscription_id is null for a user without a subscription: nothing is limited then, but
		// the reservation still settles into a usage event.
		field.String("subscription_id").Optional().Nillable().Immutable(),
		field.Enum("metric").GoType(metric.Metric("")).Immutable().
			Annotations(entgql.Type("UsageMetric")),
		field.Time("period_start").Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int64("amount").Positive().Immutable(),
		field.Enum("status").Values("ACTIVE", "SETTLED", "RELEASED", "EXPIRED").Default("ACTIVE").
			Annotations(entgql.Type("ReservationStatus")),
		field.Int64("settled_amount").Optional().Nillable(),
		field.Time("expires_at"),
	}
}

// Indexes of the QuotaReservation.
func (QuotaReservation) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "expires_at"), index.Fields("user_id")}
}

// Annotations of the QuotaReservation.
func (QuotaReservation) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}
