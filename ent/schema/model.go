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

// Model is an LLM model entry, the first access-controlled resource. Its id is the model's name
// at the provider (e.g. "llama3"), as in Open WebUI.
type Model struct{ ent.Schema }

// Mixin of the Model.
func (Model) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Model.
func (Model) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").Immutable().NotEmpty().MaxLen(255),
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.String("owner_id").Optional().Nillable(),
		field.String("base_model_id").Optional().Nillable(),
		field.JSON("meta", map[string]any{}).Optional().
			Annotations(entgql.Type("JSON")),
		field.JSON("params", map[string]any{}).Optional().
			Annotations(entgql.Type("JSON")),
		// access_control is Open WebUI's value: null means public, else {read, write} principals.
		field.JSON("access_control", map[string]any{}).Optional().
			Annotations(entgql.Type("JSON")),
		field.Bool("is_active").Default(true),
	}
}

// Edges of the Model.
func (Model) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("owner", User.Type).Ref("owned_models").Field("owner_id").Unique().
			Annotations(entsql.OnDelete(entsql.SetNull), entgql.Skip(entgql.SkipAll)),
		edge.To("grants", ModelGrant.Type).
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Model.
func (Model) Indexes() []ent.Index { return []ent.Index{index.Fields("owner_id")} }

// Annotations of the Model.
func (Model) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
