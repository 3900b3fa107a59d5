package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/gqlexec"
	"github.com/steward-dev/steward/internal/loaders"
	"github.com/steward-dev/steward/third_party/entgql"
)

// userTypes are the type conditions a selection under a user connection may carry.
var userTypes = []string{"UserConnection", "UserEdge", "User", "Node"}

// selected returns the field that the current field's selection reaches through path (field
// names, fragments resolved as gqlgen does), its selections merged over aliases; false when
// the operation does not select it.
func selected(ctx context.Context, satisfies []string, path ...string) (graphql.CollectedField, bool) {
	fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil || len(path) == 0 {
		return graphql.CollectedField{}, false
	}
	cur := fc.Field
	for _, name := range path {
		var next graphql.CollectedField
		found := false
		for _, f := range graphql.CollectFields(oc, cur.Selections, satisfies) {
			if f.Name != name {
				continue
			}
			if !found {
				next, found = f, true
				next.Selections = append(ast.SelectionSet(nil), f.Selections...)
			} else {
				next.Selections = append(next.Selections, f.Selections...)
			}
		}
		if !found {
			return graphql.CollectedField{}, false
		}
		cur = next
	}
	return cur, true
}

// primeUserGroups loads the groups of a page's users in one statement when the page selects them,
// instead of one loader batch that waits on its timer. Admins may see every user's groups (the
// User.groups rule).
// Both callers are admin-only (users: ManageUsers; Group.members: @hasRole(ADMIN)).
func primeUserGroups(ctx context.Context, conn *ent.UserConnection) (*ent.UserConnection, error) {
	if conn == nil || len(conn.Edges) == 0 {
		return conn, nil
	}
	groups, ok := selected(ctx, userTypes, "edges", "node", "groups")
	if !ok {
		return conn, nil
	}
	users := make([]*ent.User, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		users = append(users, e.Node)
	}
	// The groups' columns: entgql's collection of the groups field, seen from a field context
	// whose field is groups (the collection reads the selection of the context's field).
	shape := func(q *ent.GroupQuery) error {
		_, err := q.CollectFields(graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "User", Field: groups}), "Group")
		return err
	}
	if err := loaders.PrimeGroupsOfUsers(ctx, users, shape); err != nil {
		return nil, err
	}
	// Every user's groups now answer from the loader: the page's rows need no goroutine each.
	gqlexec.MarkReady(ctx, groups.Field)
	return conn, nil
}

// auditLogTypes are the type conditions a selection under an audit log connection may carry.
var auditLogTypes = []string{"AuditLogConnection", "AuditLogEdge", "AuditLog", "Node"}

// primeAuditActors loads the actors of a page of the audit log in one statement when the page
// selects them, instead of one loader batch that waits on its timer (and that a loaded machine
// splits). The log is admin-only (ReadAudit), and User rows are public.
func primeAuditActors(ctx context.Context, conn *ent.AuditLogConnection) (*ent.AuditLogConnection, error) {
	if conn == nil || len(conn.Edges) == 0 {
		return conn, nil
	}
	actor, ok := selected(ctx, auditLogTypes, "edges", "node", "actor")
	if !ok {
		return conn, nil
	}
	ids := make([]string, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		if e.Node.ActorID != nil {
			ids = append(ids, *e.Node.ActorID)
		}
	}
	if err := loaders.PrimeUsers(ctx, ids); err != nil {
		return nil, err
	}
	gqlexec.MarkReady(ctx, actor.Field)
	return conn, nil
}

// planSubscriberTypes are the type conditions a selection under a plan's subscribers may carry.
var planSubscriberTypes = []string{"PlanSubscriberConnection", "PlanSubscriberEdge", "PlanSubscriber"}

// subscribersInput asks billing for what the operation reads of a page of a plan's subscribers:
// the total only with totalCount, the users (narrowed to their selection) only with user, the
// usage summaries only with usage.
func subscribersInput(ctx context.Context, planID string, first *int, after *entgql.Cursor[string], live bool) billing.SubscribersInput {
	in := billing.SubscribersInput{PlanID: planID, First: first, After: after, Live: live}
	_, in.Count = selected(ctx, planSubscriberTypes, "totalCount")
	_, in.Usage = selected(ctx, planSubscriberTypes, "edges", "node", "usage")
	if !in.Usage {
		// A usage summary carries its subscription, whose fields are not collected here: the
		// subscriptions are read whole when usage is asked.
		sub, _ := selected(ctx, planSubscriberTypes, "edges", "node", "subscription")
		in.Subscriptions = func(q *ent.PlanSubscriptionQuery) error {
			if sub.Field == nil {
				return nil // not selected: the page reads only its own columns
			}
			_, err := q.CollectFields(graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "PlanSubscriber", Field: sub}), "PlanSubscription")
			return err
		}
	}
	if u, ok := selected(ctx, planSubscriberTypes, "edges", "node", "user"); ok {
		in.Users = func(q *ent.UserQuery) error {
			// The users' columns: entgql's collection seen from a field context whose field is user.
			_, err := q.CollectFields(graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "PlanSubscriber", Field: u}), "User")
			return err
		}
	}
	return in
}
