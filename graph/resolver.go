// Package graph is the GraphQL layer: thin resolvers that translate arguments, call one domain
// method and return its result. Business rules live in internal/*.
package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/analytics"
	"github.com/steward-dev/steward/internal/appconfig"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/externalauth"
	"github.com/steward-dev/steward/internal/groups"
	"github.com/steward-dev/steward/internal/ldapauth"
	"github.com/steward-dev/steward/internal/live"
	"github.com/steward-dev/steward/internal/models"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
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
	Bus         events.Bus
	Settings    *settings.Service
	UserAdmin   *users.Admin
	// GroupService and ModelService are not named Groups and Models: resolver methods are.
	GroupService *groups.Service
	ModelService *models.Service
	Billing      *billing.Service
	Analytics    *analytics.Service
	// External signs in external identities and lists the sign-in methods.
	External *externalauth.Service
	// LDAP is ldapSignin.
	LDAP *ldapauth.Service
	// App answers appConfig.
	App *appconfig.Service
	// Now is the clock (isActive); nil means time.Now.
	Now func() time.Time
	// GatesOff makes @hasRole and @hasPermission let every call through, for the tests that
	// prove the domain's own capability checks hold without the schema's gates.
	GatesOff bool
}

func (r *Resolver) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

// live is where subscription streams read from.
func (r *Resolver) live() live.Source { return live.Source{Bus: r.Bus, Checker: r.Credentials} }

// decodedStream is a subscription whose events carry a T as their JSON payload.
func decodedStream[T any](ctx context.Context, src live.Source, topic, key string) (<-chan *T, error) {
	return live.Stream(ctx, src, topic, key, func(_ context.Context, e events.Event) (*T, bool) {
		v, err := events.Decode[T](e)
		return &v, err == nil
	})
}

// NewSchema builds the executable schema with its directives, and checks that its private
// fields are those of internal/authz's field table.
func NewSchema(r *Resolver) (graphql.ExecutableSchema, error) {
	gates := DirectiveRoot{HasRole: hasRole, HasPermission: hasPermission(r.Perms), Private: private}
	if r.GatesOff {
		gates.HasRole = func(ctx context.Context, _ any, next graphql.Resolver, _ user.Role) (any, error) { return next(ctx) }
		gates.HasPermission = func(ctx context.Context, _ any, next graphql.Resolver, _ string) (any, error) { return next(ctx) }
	}
	schema := NewExecutableSchema(Config{Resolvers: r, Directives: gates})
	return schema, CheckFieldRules(schema.Schema())
}
