package schema

import (
	"context"
	"fmt"

	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"

	gen "github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/hook"
	"github.com/steward-dev/steward/ent/user"
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
		// user_created_at copies the member's users.created_at (immutable), so that a group's
		// members page, newest accounts first, walks this table's (group_id, user_created_at,
		// user_id) index for one page of rows instead of every member or every user. The create
		// hook fills it; rows from before schema version 8 are backfilled (internal/db).
		field.Time("user_created_at").Optional().Nillable().Immutable(),
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
	return []ent.Index{index.Fields("user_id", "group_id").Unique(), index.Fields("user_id", "source"),
		// A group's members, newest accounts first with ties by id, as Group.members orders them;
		// also counts a group's members without reading users.
		index.Fields("group_id", "user_created_at", "user_id").Annotations(entsql.DescColumns("user_created_at")),
	}
}

// Hooks of the Membership: a new membership copies its user's created_at unless the caller set it.
func (Membership) Hooks() []ent.Hook {
	return []ent.Hook{hook.On(copyUserCreatedAt, ent.OpCreate)}
}

// copyUserCreatedAt reads the user through the mutation's own client (the caller's transaction);
// an unknown user is left to the foreign key to refuse.
func copyUserCreatedAt(next ent.Mutator) ent.Mutator {
	return hook.MembershipFunc(func(ctx context.Context, m *gen.MembershipMutation) (ent.Value, error) {
		if _, ok := m.UserCreatedAt(); !ok {
			if id, ok := m.UserID(); ok {
				u, err := m.Client().User.Query().Where(user.ID(id)).Select(user.FieldCreatedAt).Only(ctx)
				switch {
				case err == nil:
					m.SetUserCreatedAt(u.CreatedAt)
				case !gen.IsNotFound(err):
					return nil, fmt.Errorf("membership: reading the user's creation time: %w", err)
				}
			}
		}
		return next.Mutate(ctx, m)
	})
}

// Annotations of the Membership.
func (Membership) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
