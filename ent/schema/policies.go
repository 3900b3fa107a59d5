package schema

import (
	"entgo.io/ent"

	"github.com/steward-dev/steward/internal/authz"
)

// The privacy policy of every entity, in one file, each built from internal/authz's row rules:
// that package is where who may read and write which rows is decided.

// Policy of the User: anyone reads the public profile; private fields are authz field rules.
func (User) Policy() ent.Policy { return authz.PublicRows("User") }

// Policy of the Credential: password hashes, read and written by the accounts actor only.
func (Credential) Policy() ent.Policy { return authz.SecretRows("Credential") }

// Policy of the SigninFailure: failed sign-ins per address, the accounts actor's bookkeeping.
func (SigninFailure) Policy() ent.Policy { return authz.SecretRows("SigninFailure") }

// Policy of the Session.
func (Session) Policy() ent.Policy { return authz.OwnedRows("Session") }

// Policy of the APIKey.
func (APIKey) Policy() ent.Policy { return authz.OwnedRows("APIKey") }

// Policy of the Identity: the user's own links to external providers; admins read them all.
func (Identity) Policy() ent.Policy { return authz.OwnedRows("Identity") }

// Policy of the Group.
func (Group) Policy() ent.Policy { return authz.GroupRows() }

// Policy of the Membership.
func (Membership) Policy() ent.Policy { return authz.OwnedRows("Membership") }

// Policy of the Model: a viewer reads the models its access control admits them to.
func (Model) Policy() ent.Policy { return authz.ModelRows() }

// Policy of the ModelGrant: the models actor's bookkeeping, read by the Model rule in SQL.
func (ModelGrant) Policy() ent.Policy { return authz.SecretRows("ModelGrant") }

// Policy of the ConfigEntry.
func (ConfigEntry) Policy() ent.Policy { return authz.AdminRows("ConfigEntry") }

// Policy of the Plan.
func (Plan) Policy() ent.Policy { return authz.PlanRows() }

// Policy of the PlanSubscription.
func (PlanSubscription) Policy() ent.Policy { return authz.OwnedRows("PlanSubscription") }

// Policy of the UsageEvent.
func (UsageEvent) Policy() ent.Policy { return authz.OwnedRows("UsageEvent") }

// Policy of the UsageCounter.
func (UsageCounter) Policy() ent.Policy { return authz.OwnedRows("UsageCounter") }

// Policy of the QuotaReservation.
func (QuotaReservation) Policy() ent.Policy { return authz.OwnedRows("QuotaReservation") }

// Policy of the UsageDaily: derived analytics data, written by the rollup actor.
func (UsageDaily) Policy() ent.Policy { return authz.AdminRows("UsageDaily") }

// Policy of the RevenueDaily: derived analytics data, written by the rollup actor.
func (RevenueDaily) Policy() ent.Policy { return authz.AdminRows("RevenueDaily") }

// Policy of the Transaction.
func (Transaction) Policy() ent.Policy { return authz.OwnedRows("Transaction") }

// Policy of the PaymentMethod: the user's own saved method; admins read them all.
func (PaymentMethod) Policy() ent.Policy { return authz.OwnedRows("PaymentMethod") }

// Policy of the AuditLog.
func (AuditLog) Policy() ent.Policy { return authz.AuditRows() }
