package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// requireRole is the check behind @hasRole; see auth.Require.
func requireRole(ctx context.Context, role auth.Role) error {
	_, err := auth.Require(ctx, role)
	return err
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
