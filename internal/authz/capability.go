package authz

import (
	"context"
	"fmt"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// Permissions answers whether a viewer holds a dotted permission key (internal/permissions
// implements it); capabilities that a permission can grant take one.
type Permissions interface {
	Has(ctx context.Context, v *auth.Viewer, key string) (bool, error)
}

// Capability is one named ability. A caller holds it when any of these is true:
//   - it is an actor (see actor.go) that holds the capability's name;
//   - its role is at least Role (when Role is set);
//   - it is the user Owner and verified, or merely signed in when the capability admits pending
//     users (when Owner is set);
//   - it is verified and holds the permission key Permission (when Permission is set).
//
// The zero Capability is held by nobody.
type Capability struct {
	Name       string
	Role       auth.Role
	Owner      string
	Permission string
	// AnyRole lets a pending owner hold the capability (signing out, reading their own account).
	AnyRole bool
	perms   Permissions
}

func (c Capability) String() string { return c.Name }

// The capabilities that need no data. Each names what it lets its holder do; the domain method
// that asks for it is listed in the README's authorization section.
var (
	// ManageUsers: list, read, create, change, delete and unlock accounts; explain permissions.
	ManageUsers = Capability{Name: "ManageUsers", Role: auth.RoleAdmin}
	// ManageGroups: create, change and delete groups and their members; list every group.
	ManageGroups = Capability{Name: "ManageGroups", Role: auth.RoleAdmin}
	// EditDefaults: read and replace the default permission tree.
	EditDefaults = Capability{Name: "EditDefaults", Role: auth.RoleAdmin}
	// ManageConfig: read and change the system configuration, export and import it.
	ManageConfig = Capability{Name: "ManageConfig", Role: auth.RoleAdmin}
	// ManagePlans: create, change, toggle, duplicate and delete billing plans; see inactive ones.
	ManagePlans = Capability{Name: "ManagePlans", Role: auth.RoleAdmin}
	// ManageSubscriptions: assign plans, cancel anyone's subscription, list every subscription
	// and payment, list a plan's subscribers, see and remove a user's saved payment method.
	ManageSubscriptions = Capability{Name: "ManageSubscriptions", Role: auth.RoleAdmin}
	// ReadAnalytics: revenue and plan analytics.
	ReadAnalytics = Capability{Name: "ReadAnalytics", Role: auth.RoleAdmin}
	// ReadAudit: read the audit log and follow it live.
	ReadAudit = Capability{Name: "ReadAudit", Role: auth.RoleAdmin}
	// VerifyAudit: walk the audit chain and check every hash.
	VerifyAudit = Capability{Name: "VerifyAudit", Role: auth.RoleAdmin}
	// UseAccount: what every verified user may do with their own account (profile, settings,
	// password, groups, permissions, subscription, payments, banners), and with the models whose
	// access list lets them (internal/access decides which).
	UseAccount = Capability{Name: "UseAccount", Role: auth.RoleUser}
	// Introspect: read the schema (introspection, "Did you mean" hints) where production mode hides
	// it from everyone else.
	Introspect = Capability{Name: "Introspect", Role: auth.RoleAdmin}
	// RegisterOperations: register persisted operations, or send any text, when only persisted
	// operations run.
	RegisterOperations = Capability{Name: "RegisterOperations", Role: auth.RoleAdmin}
	// RunBillingJobs: renew and expire subscriptions, expire reservations.
	RunBillingJobs = Capability{Name: "RunBillingJobs"}
	// ProcessPayments: apply a payment's state, as the provider reports it.
	ProcessPayments = Capability{Name: "ProcessPayments"}
	// IssueSessions: sign a token for an account whose password (or other proof) was checked.
	IssueSessions = Capability{Name: "IssueSessions"}
	// SeedSettings: write configuration defaults on first start.
	SeedSettings = Capability{Name: "SeedSettings"}
	// CallModels: call models through the OpenAI-compatible gateway (internal/gateway), metered as
	// the calling user's own usage; which models is decided by each model's access list.
	CallModels = Capability{Name: "CallModels", Role: auth.RoleUser}
	// ImportData: copy another deployment's data (internal/owuimport); only the Importer actor
	// holds it, so no request can.
	ImportData = Capability{Name: "ImportData"}
	// RegisterForwardedUsers: create a pending account for a user the gateway's forwarded
	// headers name and steward does not know (only the gateway actor holds it).
	RegisterForwardedUsers = Capability{Name: "RegisterForwardedUsers"}
)

// ForwardUserPermission is the permission of a service key (Open WebUI's connection key) whose
// gateway calls name the user they are made for in X-OpenWebUI-User-* headers.
const ForwardUserPermission = "gateway.forward_user"

// ForwardUser lets a caller of the gateway act for another user named in the forwarded headers:
// admins and holders of gateway.forward_user. Without it the headers are ignored.
func ForwardUser(p Permissions) Capability {
	return Capability{Name: "ForwardUser", Role: auth.RoleAdmin, Permission: ForwardUserPermission, perms: p}
}

// ManageCredentials lets a caller list and revoke userID's sessions and API keys: the user
// themselves (pending users included, so that they can sign out) and admins.
func ManageCredentials(userID string) Capability {
	return Capability{Name: "ManageCredentials", Role: auth.RoleAdmin, Owner: userID, AnyRole: true}
}

// ReadPermissions lets a caller read userID's effective permission tree: the user themselves,
// pending included (sign-in returns it), and admins.
func ReadPermissions(userID string) Capability {
	return Capability{Name: "ReadPermissions", Role: auth.RoleAdmin, Owner: userID, AnyRole: true}
}

// SeeUsage lets a caller read userID's subscription, usage and quota alerts, live or not: the
// user themselves and admins.
func SeeUsage(userID string) Capability {
	return Capability{Name: "SeeUsage", Role: auth.RoleAdmin, Owner: userID}
}

// CancelSubscription lets a caller cancel userID's subscription: the user themselves and admins.
func CancelSubscription(userID string) Capability {
	return Capability{Name: "CancelSubscription", Role: auth.RoleAdmin, Owner: userID}
}

// UsageWritePermission is the permission that lets a non-admin caller (typically the LLM
// gateway's API key) report usage and manage reservations for any user.
const UsageWritePermission = "billing.usage.write"

// APIKeysPermission is the permission a non-admin needs to create API keys.
const APIKeysPermission = "features.api_keys"

// MeterUsage lets a caller report usage and reserve, settle and release quota for any user:
// admins and holders of billing.usage.write.
func MeterUsage(p Permissions) Capability {
	return Capability{Name: "MeterUsage", Role: auth.RoleAdmin, Permission: UsageWritePermission, perms: p}
}

// CheckQuota lets a caller ask whether userID's quota has room: the user themselves, admins and
// holders of billing.usage.write.
func CheckQuota(p Permissions, userID string) Capability {
	return Capability{Name: "CheckQuota", Role: auth.RoleAdmin, Owner: userID, Permission: UsageWritePermission, perms: p}
}

// CreateAPIKeys lets a caller create API keys for themselves: admins and holders of
// features.api_keys.
func CreateAPIKeys(p Permissions) Capability {
	return Capability{Name: "CreateAPIKeys", Role: auth.RoleAdmin, Permission: APIKeysPermission, perms: p}
}

// ModelsPermission is the permission a non-admin needs to create models.
const ModelsPermission = "workspace.models"

// CreateModels lets a caller add models they own: admins and holders of workspace.models.
func CreateModels(p Permissions) Capability {
	return Capability{Name: "CreateModels", Role: auth.RoleAdmin, Permission: ModelsPermission, perms: p}
}

// HasRole is the capability behind @hasRole: a role or any above it.
func HasRole(role auth.Role) Capability {
	return Capability{Name: "HasRole(" + string(role) + ")", Role: role}
}

// HasPermission is the capability behind @hasPermission: a verified caller holding key (admins
// hold every permission).
func HasPermission(p Permissions, key string) Capability {
	return Capability{Name: "HasPermission(" + key + ")", Role: auth.RoleAdmin, Permission: key, perms: p}
}

// roleRank orders roles so that a capability's Role admits it and every role above it.
var roleRank = map[auth.Role]int{auth.RolePending: 1, auth.RoleUser: 2, auth.RoleAdmin: 3}

// Require returns nil when ctx's caller holds c. Otherwise anonymous callers get UNAUTHENTICATED
// and signed-in ones FORBIDDEN (a pending user's message says why).
func Require(ctx context.Context, c Capability) error {
	if a := ActorFrom(ctx); a != nil && (a == Operator || a.holds(c.Name)) {
		return nil
	}
	v := auth.ViewerFrom(ctx)
	if v == nil {
		return errs.Unauthenticated("sign in to do this")
	}
	if c.Role != "" && roleRank[v.Role] >= roleRank[c.Role] {
		return nil
	}
	if c.Owner != "" && v.UserID == c.Owner && (c.AnyRole || v.IsVerified()) {
		return nil
	}
	if v.Role == auth.RolePending {
		return errs.Forbidden("your account is awaiting approval by an administrator")
	}
	if c.Permission != "" && c.perms != nil {
		ok, err := c.perms.Has(ctx, v, c.Permission)
		if err != nil {
			return fmt.Errorf("checking permission %s: %w", c.Permission, err)
		}
		if ok {
			return nil
		}
		return errs.Forbidden("you need the " + c.Permission + " permission")
	}
	if c.Owner != "" {
		return errs.Forbidden("you may only do this for your own account")
	}
	if c.Role != "" {
		return errs.Forbidden("this needs the " + string(c.Role) + " role")
	}
	return errs.Forbidden("you are not allowed to do this")
}

// Allowed reports whether ctx's caller holds c, for decisions that hide rather than refuse.
// Errors count as not allowed.
func Allowed(ctx context.Context, c Capability) bool { return Require(ctx, c) == nil }
