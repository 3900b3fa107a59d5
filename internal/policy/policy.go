// Package policy holds the ent privacy rules that the schema's policies are built from. They are
// the backstop that holds on every path (GraphQL fields, node/nodes, nested edges, background jobs),
// whatever a resolver or directive forgets.
package policy

import (
	"context"

	"entgo.io/ent/entql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/predicate"
	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
)

// AllowIfSystem allows trusted internal paths marked with auth.System.
func AllowIfSystem() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if auth.IsSystem(ctx) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowIfAdmin allows signed-in admins.
func AllowIfAdmin() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if auth.ViewerFrom(ctx).IsAdmin() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// DenyIfAnonymous denies callers who are not signed in.
func DenyIfAnonymous() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if auth.ViewerFrom(ctx) == nil {
			return privacy.Denyf("not signed in")
		}
		return privacy.Skip
	})
}

// ownedFilter is implemented by the entql filters of every entity with a user_id column.
type ownedFilter interface {
	WhereUserID(entql.StringP)
}

// FilterToOwnRows narrows a query to the viewer's own rows (user_id = viewer), and denies
// anonymous callers. Put it after the allow rules for system and admins.
func FilterToOwnRows() privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := auth.ViewerFrom(ctx)
		if v == nil {
			return privacy.Denyf("not signed in")
		}
		of, ok := f.(ownedFilter)
		if !ok {
			return privacy.Denyf("unexpected filter type %T", f)
		}
		of.WhereUserID(entql.StringEQ(v.UserID))
		return privacy.Skip
	})
}

// FilterPlansToVisible narrows plan queries of non-admins to active plans and the plans they
// subscribe to, so that an inactive plan's id reveals nothing through node(id) or any other path,
// while subscribers still see their own plan after it is deactivated.
func FilterPlansToVisible() privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		visible := entql.FieldEQ("is_active", true)
		if v := auth.ViewerFrom(ctx); v != nil {
			visible = entql.Or(visible, entql.HasEdgeWith("subscriptions", entql.FieldEQ("user_id", v.UserID)))
		}
		f.Where(visible)
		return privacy.Skip
	})
}

// DenyChangesToExisting refuses updates and deletes whoever asks, system included: for
// append-only tables such as the audit log.
func DenyChangesToExisting() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(_ context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Denyf("%s rows are append-only", m.Type())
		}
		return privacy.Skip
	})
}

// AdminOrSystemWrites is the usual mutation policy: only admins and trusted paths write.
func AdminOrSystemWrites() ent.Policy {
	return privacy.Policy{
		Mutation: privacy.MutationPolicy{AllowIfSystem(), AllowIfAdmin(), privacy.AlwaysDenyRule()},
	}
}

// memberFilter is implemented by the entql filter of Group.
type memberFilter interface {
	WhereHasMembersWith(...predicate.User)
}

// FilterToMemberGroups narrows a group query to the groups the viewer belongs to, and denies
// anonymous callers. Put it after the allow rules for system and admins.
func FilterToMemberGroups() privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := auth.ViewerFrom(ctx)
		if v == nil {
			return privacy.Denyf("not signed in")
		}
		mf, ok := f.(memberFilter)
		if !ok {
			return privacy.Denyf("unexpected filter type %T", f)
		}
		mf.WhereHasMembersWith(user.ID(v.UserID))
		return privacy.Skip
	})
}
