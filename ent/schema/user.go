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

// User is an account, with Open WebUI's fields. Email, settings, info and OAuth data are kept out of
// the generated GraphQL type: hand-written resolvers show them only to the user and to admins.
type User struct{ ent.Schema }

// Mixin of the User.
func (User) Mixin() []ent.Mixin { return []ent.Mixin{UUIDMixin{}, TimeMixin{}} }

// Fields of the User.
func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.String("email").Unique().NotEmpty().MaxLen(320).
			Annotations(entgql.OrderField("EMAIL"), entgql.Skip(entgql.SkipType)),
		field.Enum("role").Values("ADMIN", "USER", "PENDING").Default("PENDING").
			Annotations(entgql.Type("Role"), entgql.OrderField("ROLE")),
		// profile_image_url is exposed by hand as profileImageUrl, the contract's spelling.
		field.String("profile_image_url").Default("/user.png").MaxLen(4096).
			Annotations(entgql.Skip(entgql.SkipType, entgql.SkipWhereInput)),
		field.String("status_emoji").Optional().MaxLen(64).
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.String("status_message").Optional().MaxLen(512).
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.Time("status_expires_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
		field.JSON("settings", map[string]any{}).Optional().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.JSON("info", map[string]any{}).Optional().
			Annotations(entgql.Skip(entgql.SkipAll)),
		// oauth_subjects maps an OAuth provider to the user's subject there.
		field.JSON("oauth_subjects", map[string]string{}).Optional().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("last_active_at").Default(now).
			Annotations(entgql.OrderField("LAST_ACTIVE_AT")),
		// locked_until is set after repeated failed sign-ins; admins see and clear it.
		field.Time("locked_until").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("failed_signins").Default(0).NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)),
		// suspended_at is set while an admin has suspended the account: it cannot sign in, and
		// its API keys are refused until it is reinstated (internal/users/suspend.go).
		// Both are exposed by hand as private fields (graph/users.graphqls); admins filter on
		// suspendedAtIsNil.
		field.Time("suspended_at").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipType)),
		field.String("suspension_reason").Optional().Nillable().MaxRuneLen(500).
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Edges of the User.
func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("credential", Credential.Type).Unique().
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip(entgql.SkipAll)),
		edge.To("api_keys", APIKey.Type).
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip(entgql.SkipAll)),
		edge.To("sessions", Session.Type).
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip(entgql.SkipAll)),
		edge.To("identities", Identity.Type).
			Annotations(entsql.OnDelete(entsql.Cascade), entgql.Skip(entgql.SkipAll)),
		// groups is resolved by hand (a dataloader, private to the user and admins); only its
		// where-filter is generated, so admins can list the members of a group (hasGroupsWith).
		edge.From("groups", Group.Type).Ref("members").
			Through("memberships", Membership.Type).
			Annotations(entgql.Skip(entgql.SkipType)),
		edge.To("owned_models", Model.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("created_groups", Group.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the User: every filter and order the users connection offers.
func (User) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("role"),
		index.Fields("created_at"),
		index.Fields("last_active_at"),
		index.Fields("name"),
		index.Fields("updated_at"),
	}
}

// Annotations of the User.
func (User) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.MultiOrder(),
		// The hand-written fields (schema.graphql, graph/users.graphqls, billing.graphqls,
		// config.graphqls) and the columns their resolvers read.
		Collect{Fields: map[string][]string{
			"email": {"email"}, "profileImageUrl": {"profile_image_url"}, "isActive": {"last_active_at"},
			"settings": {"settings"}, "info": {"info"},
			"lockedUntil": {"locked_until"}, "failedSignins": {"failed_signins"},
			"suspendedAt": {"suspended_at"}, "suspensionReason": {"suspension_reason"},
			"groups": nil, "currentSubscription": nil, "usage": nil,
		}}}
}
