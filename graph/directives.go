package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// roleRank orders roles so that @hasRole(role: X) admits X and every role above it.
var roleRank = map[auth.Role]int{auth.RolePending: 1, auth.RoleUser: 2, auth.RoleAdmin: 3}

// requireRole is the check behind @hasRole: anonymous callers are UNAUTHENTICATED, signed-in
// callers below the role FORBIDDEN (a pending user's message says why).
func requireRole(ctx context.Context, role auth.Role) error {
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return errs.Unauthenticated("sign in to do this")
	}
	if roleRank[v.Role] >= roleRank[role] {
		return nil
	}
	if v.Role == auth.RolePending {
		return errs.Forbidden("your account is awaiting approval by an administrator")
	}
	return errs.Forbidden("this needs the " + string(role) + " role")
}

func hasRole(ctx context.Context, _ any, next graphql.Resolver, role user.Role) (any, error) {
	if err := requireRole(ctx, auth.Role(role)); err != nil {
		return nil, err
	}
	return next(ctx)
}

// permissionChecker is what @hasPermission needs of internal/permissions.
type permissionChecker interface {
	Has(ctx context.Context, v *auth.Viewer, key string) (bool, error)
}

func hasPermission(p permissionChecker) func(ctx context.Context, obj any, next graphql.Resolver, key string) (any, error) {
	return func(ctx context.Context, _ any, next graphql.Resolver, key string) (any, error) {
		if err := requireRole(ctx, auth.RoleUser); err != nil {
			return nil, err
		}
		ok, err := p.Has(ctx, auth.ViewerFrom(ctx), key)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.Forbidden("you need the " + key + " permission")
		}
		return next(ctx)
	}
}
