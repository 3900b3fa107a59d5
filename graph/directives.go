package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
)

// The directives show internal/authz's rules on the schema; each one only asks authz.

func hasRole(ctx context.Context, _ any, next graphql.Resolver, role user.Role) (any, error) {
	if err := authz.Require(ctx, authz.HasRole(auth.Role(role))); err != nil {
		return nil, err
	}
	return next(ctx)
}

func hasPermission(p authz.Permissions) func(ctx context.Context, obj any, next graphql.Resolver, key string) (any, error) {
	return func(ctx context.Context, _ any, next graphql.Resolver, key string) (any, error) {
		if err := authz.Require(ctx, authz.HasPermission(p, key)); err != nil {
			return nil, err
		}
		return next(ctx)
	}
}

// private answers null for a private field (authz.Fields) the caller may not read.
func private(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if !authz.MayReadField(ctx, fc.Object+"."+fc.Field.Name, ownerOf(obj)) {
		return nil, nil
	}
	return next(ctx)
}

// ownerOf is the user an object with private fields belongs to.
func ownerOf(obj any) string {
	switch o := obj.(type) {
	case *ent.User:
		return o.ID
	}
	return ""
}

// CheckFieldRules reports a mismatch between the fields that carry @private in schema and the
// field table of internal/authz, so that neither can gain a private field without the other.
func CheckFieldRules(schema *ast.Schema) error {
	var marked []string
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			if f.Directives.ForName("private") != nil {
				marked = append(marked, def.Name+"."+f.Name)
			}
		}
	}
	for _, name := range marked {
		if _, ok := authz.Fields[name]; !ok {
			return fmt.Errorf("%s carries @private but internal/authz has no rule for it", name)
		}
	}
	for name := range authz.Fields {
		if !slices.Contains(marked, name) {
			return fmt.Errorf("internal/authz has a rule for %s, which does not carry @private", name)
		}
	}
	return nil
}
