package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// PaymentMethod is a user's payment method saved at the payment provider (YooKassa's
// save_payment_method), which the renewer charges for renewals without the user. One per user: a
// newer saved method replaces the older. Only its display fields reach the API, through
// internal/billing; provider_method_id is what charges it and never leaves the server.
type PaymentMethod struct{ ent.Schema }

// Mixin of the PaymentMethod.
func (PaymentMethod) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, TimeMixin{}} }

// Fields of the PaymentMethod.
func (PaymentMethod) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Unique().Immutable(),
		field.String("provider"),
		field.String("provider_method_id").MaxLen(64),
		// type is the provider's kind of method ("bank_card"); title its display name.
		field.String("type").Default(""),
		field.String("title").Default(""),
		field.String("card_last4").Default(""),
	}
}

// Annotations of the PaymentMethod.
func (PaymentMethod) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
