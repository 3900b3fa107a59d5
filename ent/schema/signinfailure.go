package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// SigninFailure counts the failed sign-ins of one account from one client address, so that
// repeated failures lock that address out of that account without locking its owner out
// everywhere (see internal/users/lockout.go). It lives in the database, so the lock holds across
// replicas.
type SigninFailure struct{ ent.Schema }

// Fields of the SigninFailure.
func (SigninFailure) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		// client is a hash of the client address: the lock needs to tell addresses apart, not
		// to know them.
		field.String("client").Immutable(),
		field.Int("failures").Default(0).NonNegative(),
		field.Time("last_failure_at"),
		field.Time("locked_until").Optional().Nillable(),
	}
}

// Indexes of the SigninFailure.
func (SigninFailure) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "client").Unique()}
}

// Annotations of the SigninFailure.
func (SigninFailure) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
