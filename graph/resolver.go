// Package graph is the GraphQL layer: thin resolvers that translate arguments, call one domain
// method and return its result. Business rules live in internal/*.
package graph

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/users"
)

// Resolver is the root resolver; it holds only dependencies.
type Resolver struct {
	DB          *db.DB
	Client      *ent.Client
	Accounts    *users.Service
	Credentials *sessions.Service
	Perms       *permissions.Service
	Audit       *audit.Log
	Billing     *billing.Service
}

// NewSchema builds the executable schema with its directives.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{
		Resolvers: r,
		Directives: DirectiveRoot{
			HasRole:       hasRole,
			HasPermission: hasPermission(r.Perms),
		},
	})
}
