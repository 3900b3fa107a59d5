package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// ModelGrant is one principal a model's access control admits: everyone (a public model), one
// user or one group, for reading or writing. It is derived from Model.access_control, which
// stays Open WebUI's value and the source of truth; internal/models rewrites a model's grants in
// the transaction that changes its access control. The rows exist so that which models a viewer
// may read is a SQL filter (authz.ModelRows) that every query gets by construction, on both
// databases, instead of a rule evaluated in Go by one service.
type ModelGrant struct{ ent.Schema }

// Fields of the ModelGrant.
func (ModelGrant) Fields() []ent.Field {
	return []ent.Field{
		field.String("model_id").Immutable(),
		field.Enum("permission").Values("read", "write").Immutable(),
		// Exactly one of everyone, user_id and group_id says whom the grant admits.
		field.Bool("everyone").Default(false).Immutable(),
		field.String("user_id").Optional().Nillable().Immutable(),
		field.String("group_id").Optional().Nillable().Immutable(),
	}
}

// Edges of the ModelGrant.
func (ModelGrant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("model", Model.Type).Ref("grants").Field("model_id").Unique().Required().Immutable(),
	}
}

// Indexes of the ModelGrant: the read filter looks grants up by model, and by user or group.
func (ModelGrant) Indexes() []ent.Index {
	return []ent.Index{index.Fields("model_id"), index.Fields("user_id"), index.Fields("group_id")}
}

// Annotations of the ModelGrant: internal bookkeeping, not part of the API.
func (ModelGrant) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
