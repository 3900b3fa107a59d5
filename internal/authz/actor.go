package authz

import (
	"context"
	"slices"
)

// Actor is a named part of steward that acts on its own authority rather than a viewer's: a
// background job, a webhook, or a domain's internal look-ups after its capability check (reading a
// credential to verify a password, appending to the audit chain). Each holds only the
// capabilities and the tables it needs; the row rules and Require consult it.
type Actor struct {
	name   string
	caps   []string
	reads  []string
	writes []string
}

func (a *Actor) String() string { return a.name }

func (a *Actor) holds(capability string) bool { return slices.Contains(a.caps, capability) }

func (a *Actor) mayRead(entity string) bool {
	return slices.Contains(a.reads, entity) || slices.Contains(a.writes, entity)
}

func (a *Actor) mayWrite(entity string) bool { return slices.Contains(a.writes, entity) }

// The tables of billing's internal bookkeeping, shared by the actors that keep it.
var billingTables = []string{"Plan", "PlanSubscription", "UsageEvent", "UsageCounter", "QuotaReservation", "Transaction", "PaymentMethod"}

// The actors. A table an actor writes it may also read.
var (
	// Accounts signs up, signs in and locks out: it reads credentials to verify passwords, and
	// writes accounts, credentials, memberships of the default group and sessions.
	Accounts = &Actor{name: "accounts", caps: []string{IssueSessions.Name},
		reads:  []string{"Group", "Plan"},
		writes: []string{"User", "Credential", "Membership", "Session", "SigninFailure"}}
	// Credentials issues, authenticates and revokes sessions and API keys once the caller's
	// capability has been checked, and records when each was last used. It also follows and ends
	// the links of accounts imported from Open WebUI, whose old tokens name them.
	Credentials = &Actor{name: "credentials",
		writes: []string{"Session", "APIKey", "User", "Identity"}}
	// Billing keeps subscriptions, counters, reservations and payments once a billing capability
	// has been checked: a user's usage report touches counters they may not write themselves.
	Billing = &Actor{name: "billing", reads: []string{"User"}, writes: billingTables}
	// Renewer is billing's background job: renewals, expiries, falling back to the default plan.
	Renewer = &Actor{name: "renewer", caps: []string{RunBillingJobs.Name},
		reads: []string{"User"}, writes: billingTables}
	// Webhook applies the payment states a provider reports (the provider is re-asked, never
	// believed from the request).
	Webhook = &Actor{name: "webhook", caps: []string{ProcessPayments.Name},
		reads: []string{"User"}, writes: billingTables}
	// AuditWriter appends to the audit chain on behalf of whoever made the change (a user's own
	// sign-in is audited too), reading its tail to link the next entry.
	AuditWriter = &Actor{name: "audit writer", writes: []string{"AuditLog"}}
	// Rollup maintains derived analytics rows (daily usage and revenue) from the rows that an
	// authorised write just created.
	Rollup = &Actor{name: "rollup",
		reads:  []string{"UsageEvent", "PlanSubscription", "Transaction"},
		writes: []string{"UsageDaily", "RevenueDaily"}}
	// Settings reads and writes stored configuration for the service that asked for a
	// configuration capability, and for rules every request needs (sign-up settings, limits).
	Settings = &Actor{name: "settings", writes: []string{"ConfigEntry"}}
	// Seeder writes the configuration that the environment seeds on first start.
	Seeder = &Actor{name: "seeder", caps: []string{SeedSettings.Name}, writes: []string{"ConfigEntry"}}
	// Directory answers look-ups across every account and group that a rule needs whoever asks:
	// whether an email or a group name is taken, the primary admin, member counts, a user's
	// groups and their grants.
	Directory = &Actor{name: "directory",
		reads: []string{"User", "Group", "Membership"}}
	// ExternalSignin signs in the accounts an identity provider vouched for (OpenID Connect, LDAP,
	// a trusted proxy): it finds, links or creates the account, follows the provider's role and
	// groups (creating synced groups with no grants) and issues the session.
	ExternalSignin = &Actor{name: "external sign-in", caps: []string{IssueSessions.Name},
		reads:  []string{"Plan"},
		writes: []string{"User", "Identity", "Group", "Membership", "Session"}}
	// ProviderLogout ends the sessions of the account an identity provider's logout token names
	// (OpenID Connect back-channel logout), once the token's signature has been checked.
	ProviderLogout = &Actor{name: "provider logout", caps: []string{"ManageCredentials"},
		reads: []string{"Identity"}, writes: []string{"Session"}}
	// Models checks that a new model's id is free and that an access list names accounts and
	// groups that exist, lists the accounts that have access, writes the models the viewer may
	// change and keeps each model's grants (the rows the Model read rule filters on) in step.
	Models = &Actor{name: "models",
		reads: []string{"Model", "ModelGrant", "Membership", "User", "Group"}, writes: []string{"Model", "ModelGrant"}}
	// Gateway meters the model calls it forwards (reserve, settle, release) for the user a call is
	// made for, once that user was checked for CallModels, finds the user a service key's
	// forwarded headers name, and registers an unknown one as pending when configured to.
	Gateway = &Actor{name: "gateway", caps: []string{MeterUsage(nil).Name, RegisterForwardedUsers.Name}, reads: []string{"User"}}
)

// Console is an operator at the server's console (`steward admin`): it manages accounts without
// signing in, so that whoever is locked out of the only admin account gets back in. Its changes
// are audited with the actor "console" (auth.Request.Principal).
var Console = &Actor{name: "console", caps: []string{ManageUsers.Name, "ManageCredentials"}}

// Importer is `steward import-openwebui` at the console: it copies an Open WebUI deployment's
// accounts, credentials, groups, models, configuration and billing rows into steward in one
// transaction. It holds the import capability, and those of the configuration it reads and
// stores through the settings service (whose export carries the default permissions and the
// groups), and the tables it copies into.
var Importer = &Actor{name: "importer", caps: []string{ImportData.Name, ManageConfig.Name, EditDefaults.Name, ManageGroups.Name},
	writes: append([]string{"User", "Credential", "Identity", "APIKey", "Group", "Membership", "Model", "ModelGrant",
		"ConfigEntry"}, billingTables...)}

// Operator is whoever holds the database itself: operator commands, benchmarks and test
// fixtures. It holds every capability and table. Nothing that serves a request may use it.
var Operator = &Actor{name: "operator"}

type actorKey struct{}

// As returns ctx acting as a: the rules admit what a holds in addition to the viewer's own
// rights.
func As(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor ctx acts as, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

type adminBypassKey struct{}

// WithAdminBypass returns ctx carrying the deployment's BYPASS_ADMIN_ACCESS_CONTROL: whether
// admins read and write every access-controlled resource. The server sets it on every request.
func WithAdminBypass(ctx context.Context, on bool) context.Context {
	return context.WithValue(ctx, adminBypassKey{}, on)
}

// AdminsBypass reports whether ctx's deployment lets admins bypass access control. Where the
// setting is absent (a command, a job) admins follow access control like anyone: it fails closed.
func AdminsBypass(ctx context.Context) bool {
	on, _ := ctx.Value(adminBypassKey{}).(bool)
	return on
}

func actorReads(ctx context.Context, entity string) bool {
	a := ActorFrom(ctx)
	return a != nil && (a == Operator || a.mayRead(entity))
}

func actorWrites(ctx context.Context, entity string) bool {
	a := ActorFrom(ctx)
	return a != nil && (a == Operator || a.mayWrite(entity))
}

// AsOperator returns ctx acting as the Operator.
func AsOperator(ctx context.Context) context.Context { return As(ctx, Operator) }
