package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// Identity links an account to its subject at an external identity provider (an OpenID Connect
// provider, the LDAP directory, the trusted proxy). Accounts are matched by (provider, subject),
// never by email alone; the unique index makes one subject one account.
type Identity struct{ ent.Schema }

// Mixin of the Identity.
func (Identity) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, CreatedMixin{}} }

// Fields of the Identity.
func (Identity) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		// provider is "oidc:<provider id>", "ldap" or "header".
		field.String("provider").NotEmpty().MaxLen(128).Immutable(),
		field.String("subject").NotEmpty().MaxLen(512).Immutable(),
		// email is what the provider said at the last sign-in, for admins tracing a link.
		field.String("email").Default("").MaxLen(320),
		field.Time("last_signin_at").Optional().Nillable(),
	}
}

// Edges of the Identity.
func (Identity) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("identities").Field("user_id").Unique().Required().Immutable(),
	}
}

// Indexes of the Identity.
func (Identity) Indexes() []ent.Index {
	return []ent.Index{index.Fields("provider", "subject").Unique(), index.Fields("user_id")}
}

// Annotations of the Identity.
func (Identity) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
