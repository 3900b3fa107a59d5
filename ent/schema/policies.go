package schema

import (
	"entgo.io/ent"

	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/internal/policy"
)

// The privacy policies of every entity, in one file so the whole authorization backstop reads in
// one place. Domain packages make the finer checks (and use auth.System once they have); these
// rules hold even when a resolver, a nested edge or node(id) forgets.

// ownerReadable: admins and system read everything, everyone else only their own rows.
func ownerReadable() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), policy.FilterToOwnRows(), privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), privacy.AlwaysDenyRule()},
	}
}

// systemOnly: only trusted internal paths read or write (password hashes).
func systemOnly() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowIfSystem(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{policy.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}

// adminOnly: admins and system read and write; nobody else sees a row.
func adminOnly() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), privacy.AlwaysDenyRule()},
	}
}

// publicReadable: any caller reads (field-level rules live in the resolvers), admins write.
func publicReadable() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), privacy.AlwaysDenyRule()},
	}
}

// Policy of the User.
func (User) Policy() ent.Policy { return publicReadable() }

// Policy of the Credential.
func (Credential) Policy() ent.Policy { return systemOnly() }

// Policy of the Session.
func (Session) Policy() ent.Policy { return ownerReadable() }

// Policy of the APIKey.
func (APIKey) Policy() ent.Policy { return ownerReadable() }

// Policy of the Group: admins and system read every group, other signed-in users only the groups
// they belong to (myGroups, their own User.groups, node(id)); only admins and system write.
func (Group) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), policy.FilterToMemberGroups(), privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), privacy.AlwaysDenyRule()},
	}
}

// Policy of the Membership.
func (Membership) Policy() ent.Policy { return ownerReadable() }

// Policy of the Model.
func (Model) Policy() ent.Policy { return publicReadable() }

// Policy of the ConfigEntry.
func (ConfigEntry) Policy() ent.Policy { return adminOnly() }

// Policy of the Plan: anyone reads the active catalogue; inactive plans only admins and their
// subscribers.
func (Plan) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), policy.FilterPlansToVisible(), privacy.AlwaysAllowRule()},
		Mutation: privacy.MutationPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), privacy.AlwaysDenyRule()},
	}
}

// Policy of the PlanSubscription.
func (PlanSubscription) Policy() ent.Policy { return ownerReadable() }

// Policy of the UsageEvent.
func (UsageEvent) Policy() ent.Policy { return ownerReadable() }

// Policy of the UsageCounter.
func (UsageCounter) Policy() ent.Policy { return ownerReadable() }

// Policy of the QuotaReservation.
func (QuotaReservation) Policy() ent.Policy { return ownerReadable() }

// Policy of the UsageDaily: derived analytics data; the UsageEvent hook writes it as system.
func (UsageDaily) Policy() ent.Policy { return adminOnly() }

// Policy of the RevenueDaily: derived analytics data; the Transaction hook writes it as system.
func (RevenueDaily) Policy() ent.Policy { return adminOnly() }

// Policy of the Transaction.
func (Transaction) Policy() ent.Policy { return ownerReadable() }

// Policy of the AuditLog: admins read; only the system appends; nobody updates or deletes.
func (AuditLog) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowIfSystem(), policy.AllowIfAdmin(), privacy.AlwaysDenyRule()},
		Mutation: privacy.MutationPolicy{policy.DenyChangesToExisting(), policy.AllowIfSystem(), privacy.AlwaysDenyRule()},
	}
}
