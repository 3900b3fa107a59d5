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

// Group collects users to grant (and, unlike Open WebUI, deny) permissions and resource access.
type Group struct{ ent.Schema }

// Mixin of the Group.
func (Group) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, TimeMixin{}} }

// Fields of the Group.
func (Group) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.String("description").Default("").MaxLen(4096),
		// permissions is a partial permission tree; groups start from no grants.
		field.JSON("permissions", map[string]any{}).Optional().
			Annotations(entgql.Type("JSON")),
		// denied_permissions are dotted keys this group takes away from its members.
		field.Strings("denied_permissions").Optional(),
		field.String("created_by").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the Group.
func (Group) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("members", User.Type).Through("memberships", Membership.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.From("creator", User.Type).Ref("created_groups").Field("created_by").Unique().
			Annotations(entsql.OnDelete(entsql.SetNull), entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Group.
func (Group) Indexes() []ent.Index {
	return []ent.Index{index.Fields("name").Unique(), index.Fields("created_at")}
}

// Annotations of the Group.
func (Group) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(),
		// graph/groups.graphqls' hand-written fields and the columns their resolvers read.
		Collect{Fields: map[string][]string{"memberCount": nil, "members": nil, "creator": {"created_by"}}}}
}
