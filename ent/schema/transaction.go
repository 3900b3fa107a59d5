package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// Transaction is a payment attempt for a plan. provider_payment_id is unique, so a webhook for
// the same payment can be processed only once.
type Transaction struct{ ent.Schema }

// Mixin of the Transaction.
func (Transaction) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, TimeMixin{}} }

// Fields of the Transaction.
func (Transaction) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.String("plan_id").Optional().Nillable(),
		field.String("subscription_id").Optional().Nillable(),
		field.Int64("amount_minor").NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("currency").MaxLen(3),
		field.Enum("status").Values("PENDING", "SUCCEEDED", "FAILED", "CANCELED", "REFUNDED", "PARTIALLY_REFUNDED").Default("PENDING").
			Annotations(entgql.Type("TransactionStatus")),
		field.String("provider").Default(""),
		field.String("provider_payment_id").Optional().Nillable().Unique(),
		field.String("confirmation_url").Optional(),
		field.String("return_url").Optional(),
		field.String("receipt_url").Optional(),
		field.String("description").Default(""),
		field.JSON("metadata", map[string]any{}).Optional().
			Annotations(entgql.Type("JSON")),
		field.Time("processed_at").Optional().Nillable(),
		// refunded_minor is how much of the amount was refunded: all of it for REFUNDED, part for
		// PARTIALLY_REFUNDED (whose revenue is the rest).
		field.Int64("refunded_minor").Default(0).NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)),
		// renewal_key names a renewal charge of a saved payment method: subscription, the start of
		// the period it pays for, and the attempt (see internal/billing/recurring.go). Unique, so
		// that of replicas racing to charge the same period one creates the charge; it is also the
		// provider's Idempotence-Key.
		field.String("renewal_key").Optional().Nillable().Unique().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Transaction.
func (Transaction) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("user_id", "created_at"),
		// The amounts make the analytics' revenue of partial days an index-only sum.
		// (PostgreSQL cuts names at 63 bytes: the generated one would be longer.)
		index.Fields("status", "created_at", "currency", "amount_minor", "refunded_minor").
			StorageKey("transaction_status_created_at_amounts"),
		index.Fields("plan_id", "status", "created_at"),
		index.Fields("created_at"),
	}
}

// Annotations of the Transaction.
func (Transaction) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}
