package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// APIKey is a named credential for programs. Only a SHA-256 hash of the secret is stored: keys are
// 128+ random bits, so a fast hash is enough and lookups stay O(1); prefix is what lists show.
type APIKey struct{ ent.Schema }

// Mixin of the APIKey.
func (APIKey) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, CreatedMixin{}} }

// Fields of the APIKey.
func (APIKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.String("name").NotEmpty().MaxLen(255),
		field.String("prefix").Immutable(),
		field.String("key_hash").Unique().Immutable().Sensitive().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("expires_at").Optional().Nillable(),
		field.Time("last_used_at").Optional().Nillable(),
	}
}

// Edges of the APIKey.
func (APIKey) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("api_keys").Field("user_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the APIKey.
func (APIKey) Indexes() []ent.Index { return []ent.Index{index.Fields("user_id")} }

// Annotations of the APIKey.
func (APIKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Type("APIKey"), entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}
