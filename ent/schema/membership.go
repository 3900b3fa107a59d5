package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// MembershipManual is the source of memberships made by hand.
const MembershipManual = "manual"

// Membership puts a user in a group, once: the unique index makes a repeated add a no-op.
type Membership struct{ ent.Schema }

// Mixin of the Membership.
func (Membership) Mixin() []ent.Mixin { return []ent.Mixin{CreatedMixin{}} }

// Fields of the Membership.
func (Membership) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id"),
		field.String("group_id"),
		// source says who made the membership: "manual" (an admin, the default group) or the
		// identity provider whose group claim it follows ("oidc:<provider id>", "ldap",
		// "header"). Group sync changes only the memberships of its own source.
		field.String("source").Default(MembershipManual).NotEmpty().MaxLen(128),
	}
}

// Edges of the Membership.
func (Membership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("user", User.Type).Field("user_id").Unique().Required().
			Annotations(entsql.OnDelete(entsql.Cascade)),
		edge.To("group", Group.Type).Field("group_id").Unique().Required().
			Annotations(entsql.OnDelete(entsql.Cascade)),
	}
}

// Indexes of the Membership.
func (Membership) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "group_id").Unique(), index.Fields("group_id"), index.Fields("user_id", "source")}
}

// Annotations of the Membership.
func (Membership) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
