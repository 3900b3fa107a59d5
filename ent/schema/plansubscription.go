package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// PlanSubscription is a user's subscription to a plan. user_id is a plain column, not a foreign key,
// so that billing history outlives a deleted account.
type PlanSubscription struct{ ent.Schema }

// Mixin of the PlanSubscription.
func (PlanSubscription) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, TimeMixin{}} }

// Fields of the PlanSubscription.
func (PlanSubscription) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.String("plan_id"),
		field.Enum("status").Values("ACTIVE", "TRIALING", "PAST_DUE", "CANCELED", "PAUSED").
			Annotations(entgql.Type("SubscriptionStatus")),
		// period_anchor is the start of the first period: every later boundary is computed from it
		// so that a subscription started on the 31st keeps renewing at month ends.
		field.Time("period_anchor").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("current_period_start"),
		field.Time("current_period_end").
			Annotations(entgql.OrderField("CURRENT_PERIOD_END")),
		field.Bool("cancel_at_period_end").Default(false),
		field.Time("trial_end").Optional().Nillable(),
		field.Time("canceled_at").Optional().Nillable(),
		field.Time("ended_at").Optional().Nillable(),
		// paid_through is the end of the last period a payment covers. It is null for subscriptions
		// that are not billed through the provider (admin-assigned or free plans), which renew
		// until canceled; a billed subscription whose next period is not paid becomes PAST_DUE.
		field.Time("paid_through").Optional().Nillable(),
		// The price the subscription was sold at, a snapshot of its plan's price version: MRR
		// values every subscription at its own price, so a later price change neither rewrites
		// the past nor reprices subscribers before they renew onto it.
		field.Int64("price_minor").Default(0).NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("currency").Default("").MaxLen(3).
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("interval").Values("DAY", "WEEK", "MONTH", "YEAR").Default("MONTH").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("price_version").Default(1).Positive(),
		// complimentary marks a subscription nobody pays for (assigned by an admin without a
		// payment, unless the admin says it is paid outside the provider): it is kept out of MRR
		// and ARR and reported on its own line.
		field.Bool("complimentary").Default(false),
		// replaces_id and replaced_by_id link the rows of one customer's life: a plan change, a
		// move onto a new price or a fallback to the default plan ends one row and starts the next,
		// and analytics treats the pair as one customer moving, not one leaving and one arriving.
		field.String("replaces_id").Optional().Nillable(),
		field.String("replaced_by_id").Optional().Nillable(),
		// scheduled_plan_id is a plan change that waits for the end of the current period (a
		// downgrade keeps what was paid for until then); the renewer applies it.
		field.String("scheduled_plan_id").Optional().Nillable(),
		// paused_at marks a pause: the row a pause starts (status PAUSED, created at paused_at)
		// carries it, and keeps it once a resume or a cancellation ends the row, so that analytics
		// at any past instant knows the customer paid nothing from paused_at to ended_at, however
		// the status reads now. A row without it paid (trials and complimentary rows aside).
		field.Time("paused_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the PlanSubscription.
func (PlanSubscription) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("plan", Plan.Type).Ref("subscriptions").Field("plan_id").Unique().Required().
			Annotations(entsql.OnDelete(entsql.Restrict)),
	}
}

// Indexes of the PlanSubscription. The partial unique index makes "at most one current subscription
// per user" a database fact, not a check that two concurrent requests could both pass.
func (PlanSubscription) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_id").Unique().
			Annotations(entsql.IndexWhere("status IN ('ACTIVE','TRIALING','PAST_DUE','PAUSED')")).
			StorageKey("plansubscription_current_per_user"),
		index.Fields("user_id", "created_at"),
		// created_at makes the analytics' "paying at T" per plan an index-only scan.
		index.Fields("plan_id", "status", "created_at"),
		index.Fields("status", "current_period_end"),
		index.Fields("created_at"),
		// created_at makes "ended by T" in the analytics' active counts an index-only scan.
		index.Fields("ended_at", "created_at"),
		// trial_end serves "trialing at T" in the analytics' active-subscriber counts.
		index.Fields("trial_end"),
		// MRR at T: rows of one status created by T, grouped by their own price, read in group
		// order from the index alone (created_at last, so the GROUP BY needs no sort).
		index.Fields("status", "complimentary", "currency", "interval", "price_minor", "created_at").
			StorageKey("plansubscription_paying"),
		// Plan statistics: counts and MRR per plan, status and price, from the index alone.
		index.Fields("plan_id", "status", "complimentary", "currency", "interval", "price_minor").
			StorageKey("plansubscription_plan_prices"),
		// New customers (rows that replace none) and lost ones (rows ended without a successor)
		// in a range, as index-only counts.
		index.Fields("created_at", "replaces_id").StorageKey("plansubscription_created_replaces"),
		index.Fields("ended_at", "replaced_by_id", "created_at").StorageKey("plansubscription_ended_replaced"),
		// Pauses are few: "paused at T", "paused in [from, to)" and "lost while paused" read this
		// small range only, and from the index alone (the other columns they test follow).
		index.Fields("paused_at", "ended_at", "created_at", "trial_end", "replaced_by_id").
			StorageKey("plansubscription_paused"),
	}
}

// Annotations of the PlanSubscription: its GraphQL name keeps the root type's name Subscription free.
func (PlanSubscription) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(),
		// graph/billing.graphqls' hand-written price and the columns its resolver reads.
		Collect{Fields: map[string][]string{"price": {"currency", "price_minor"}}}}
}
