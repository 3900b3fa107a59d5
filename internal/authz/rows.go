package authz

import (
	"context"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/entql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/ent/model"
	"github.com/steward-dev/steward/ent/modelgrant"
	"github.com/steward-dev/steward/ent/predicate"
	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
)

// The row rules. ent/schema declares each entity's privacy policy from one of the constructors
// below, so the rules hold on every path: lists, counts, node/nodes, nested edges, jobs. Domain
// methods check a capability first; these rules are what holds whatever a method forgets.

// OwnedRows: admins read every row, signed-in viewers their own (user_id = viewer); admins and
// the actors that write entity write.
func OwnedRows(entity string) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{allowActorReads(entity), allowAdmin(), filterToOwnRows(), privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{allowActorWrites(entity), allowAdmin(), privacy.AlwaysDenyRule()},
	}
}

// SecretRows: only the actors that need entity read or write it, admins included in neither
// (password hashes).
func SecretRows(entity string) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{allowActorReads(entity), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{allowActorWrites(entity), privacy.AlwaysDenyRule()},
	}
}

// AdminRows: admins and the actors of entity read and write; nobody else sees a row.
func AdminRows(entity string) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{allowActorReads(entity), allowAdmin(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{allowActorWrites(entity), allowAdmin(), privacy.AlwaysDenyRule()},
	}
}

// PublicRows: any caller reads (private fields are field rules), admins and actors write.
func PublicRows(entity string) ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{allowActorWrites(entity), allowAdmin(), privacy.AlwaysDenyRule()},
	}
}

// GroupRows: admins read every group, other signed-in viewers the groups they belong to (myGroups,
// their own User.groups, node(id)); admins and actors write.
func GroupRows() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{allowActorReads("Group"), allowAdmin(), filterToMemberGroups(), privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{allowActorWrites("Group"), allowAdmin(), privacy.AlwaysDenyRule()},
	}
}

// PlanRows: anyone reads the active catalogue; an inactive plan only admins and its subscribers,
// so that plan(id), node(id) and every edge answer alike. Admins and actors write.
func PlanRows() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{allowActorReads("Plan"), allowAdmin(), filterPlansToVisible(), privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{allowActorWrites("Plan"), allowAdmin(), privacy.AlwaysDenyRule()},
	}
}

// ModelRows: a viewer reads the models its access control admits them to (owner, a grant to
// everyone, to them or to a group they belong to: the rule of access.Policy.Can for reading), as
// a SQL filter on every query: models, model(id), node, nodes, edges, jobs. Admins read every
// model when the deployment lets them bypass access control (WithAdminBypass); anonymous and
// pending callers read none. Writers are the models actor and admins.
func ModelRows() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{allowActorReads("Model"), allowBypassingAdmin(), filterModelsToReadable()},
		Mutation: privacy.MutationPolicy{allowActorWrites("Model"), allowAdmin(), privacy.AlwaysDenyRule()},
	}
}

// AuditRows: admins read; only the audit writer appends; nobody, operator included, updates or
// deletes an entry.
func AuditRows() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{allowActorReads("AuditLog"), allowAdmin(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{denyChangesToExisting(), allowActorWrites("AuditLog"), privacy.AlwaysDenyRule()},
	}
}

func allowActorReads(entity string) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, _ ent.Query) error {
		if actorReads(ctx, entity) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

func allowActorWrites(entity string) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if actorWrites(ctx, entity) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

func allowAdmin() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if auth.ViewerFrom(ctx).IsAdmin() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// ownedFilter is implemented by the entql filters of every entity with a user_id column.
type ownedFilter interface {
	WhereUserID(entql.StringP)
}

// filterToOwnRows narrows a query to the viewer's own rows (user_id = viewer) and denies
// anonymous callers.
func filterToOwnRows() privacy.QueryRule {
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

// filterPlansToVisible narrows plan queries of non-admins to active plans and the plans they
// subscribe to.
func filterPlansToVisible() privacy.QueryRule {
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		visible := entql.FieldEQ("is_active", true)
		if v := auth.ViewerFrom(ctx); v != nil {
			visible = entql.Or(visible, entql.HasEdgeWith("subscriptions", entql.FieldEQ("user_id", v.UserID)))
		}
		f.Where(visible)
		return privacy.Skip
	})
}

// denyChangesToExisting refuses updates and deletes whoever asks: for append-only tables.
func denyChangesToExisting() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(_ context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Denyf("%s rows are append-only", m.Type())
		}
		return privacy.Skip
	})
}

// memberFilter is implemented by the entql filter of Group.
type memberFilter interface {
	WhereHasMembersWith(...predicate.User)
}

// filterToMemberGroups narrows a group query to the groups the viewer belongs to and denies
// anonymous callers.
func filterToMemberGroups() privacy.QueryRule {
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

func allowBypassingAdmin() privacy.QueryRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if AdminsBypass(ctx) && auth.ViewerFrom(ctx).IsAdmin() {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// filterModelsToReadable narrows a model query to what the viewer may read. The grants are
// derived from each model's access control when it is written (internal/models), so the rule is
// one indexed SQL predicate, the same on SQLite and PostgreSQL.
func filterModelsToReadable() privacy.QueryRule {
	return privacy.ModelQueryRuleFunc(func(ctx context.Context, q *ent.ModelQuery) error {
		v := auth.ViewerFrom(ctx)
		if !v.IsVerified() {
			q.Where(predicate.Model(func(s *sql.Selector) { s.Where(sql.False()) }))
			return privacy.Allow
		}
		q.Where(model.Or(
			model.OwnerID(v.UserID),
			model.HasGrantsWith(modelgrant.Or(
				modelgrant.Everyone(true),
				modelgrant.UserID(v.UserID),
				inGroupsOf(v.UserID),
			)),
		))
		return privacy.Allow
	})
}

// inGroupsOf matches grants to a group userID belongs to.
func inGroupsOf(userID string) predicate.ModelGrant {
	return func(s *sql.Selector) {
		m := sql.Table(membership.Table)
		s.Where(sql.In(s.C(modelgrant.FieldGroupID),
			sql.Select(m.C(membership.FieldGroupID)).From(m).Where(sql.EQ(m.C(membership.FieldUserID), userID))))
	}
}
