package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/loaders"
)

// userTypes are the type conditions a selection under a user connection may carry.
var userTypes = []string{"UserConnection", "UserEdge", "User", "Node"}

// selects reports whether the current field's selection reaches path (field names, aliases
// and fragments resolved as gqlgen does).
func selects(ctx context.Context, satisfies []string, path ...string) bool {
	fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return false
	}
	sel := fc.Field.Selections
	for _, name := range path {
		var next []graphql.CollectedField
		for _, f := range graphql.CollectFields(oc, sel, satisfies) {
			if f.Name == name {
				next = append(next, f)
			}
		}
		if len(next) == 0 {
			return false
		}
		sel = nil
		for _, f := range next {
			sel = append(sel, f.Selections...)
		}
	}
	return true
}

// primeUserGroups loads the groups of a page's users in one statement when the page selects them,
// instead of one loader batch that waits on its timer. Admins may see every user's groups (the
// User.groups rule).
// Both callers are admin-only (users: ManageUsers; Group.members: @hasRole(ADMIN)).
func primeUserGroups(ctx context.Context, conn *ent.UserConnection) (*ent.UserConnection, error) {
	if conn == nil || len(conn.Edges) == 0 || !selects(ctx, userTypes, "edges", "node", "groups") {
		return conn, nil
	}
	users := make([]*ent.User, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		users = append(users, e.Node)
	}
	if err := loaders.PrimeGroupsOfUsers(ctx, users); err != nil {
		return nil, err
	}
	return conn, nil
}
