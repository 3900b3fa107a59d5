package audit

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Action names what an audit entry records; the GraphQL enum AuditAction lists the same values.
type Action string

// Every audited action. Add new ones here (and to the GraphQL enum) rather than inventing strings.
const (
	UserCreated               Action = "USER_CREATED"
	UserUpdated               Action = "USER_UPDATED"
	UserRoleChanged           Action = "USER_ROLE_CHANGED"
	UserSuspended             Action = "USER_SUSPENDED"
	UserReinstated            Action = "USER_REINSTATED"
	UserDeleted               Action = "USER_DELETED"
	UserUnlocked              Action = "USER_UNLOCKED"
	GroupCreated              Action = "GROUP_CREATED"
	GroupUpdated              Action = "GROUP_UPDATED"
	GroupDeleted              Action = "GROUP_DELETED"
	GroupMembersAdded         Action = "GROUP_MEMBERS_ADDED"
	GroupMembersRemoved       Action = "GROUP_MEMBERS_REMOVED"
	DefaultPermissionsUpdated Action = "DEFAULT_PERMISSIONS_UPDATED"
	ConfigUpdated             Action = "CONFIG_UPDATED"
	ModelCreated              Action = "MODEL_CREATED"
	ModelUpdated              Action = "MODEL_UPDATED"
	ModelDeleted              Action = "MODEL_DELETED"
	PlanCreated               Action = "PLAN_CREATED"
	PlanUpdated               Action = "PLAN_UPDATED"
	PlanDeleted               Action = "PLAN_DELETED"
	PlanActivated             Action = "PLAN_ACTIVATED"
	PlanDeactivated           Action = "PLAN_DEACTIVATED"
	PlanDuplicated            Action = "PLAN_DUPLICATED"
	SubscriptionAssigned      Action = "SUBSCRIPTION_ASSIGNED"
	SubscriptionCanceled      Action = "SUBSCRIPTION_CANCELED"
	SubscriptionRenewed       Action = "SUBSCRIPTION_RENEWED"
	PaymentSucceeded          Action = "PAYMENT_SUCCEEDED"
	PaymentFailed             Action = "PAYMENT_FAILED"
	PaymentCanceled           Action = "PAYMENT_CANCELED"
	PaymentRefunded           Action = "PAYMENT_REFUNDED"
	// RenewalCharged is one attempt to charge a saved payment method for a renewal (its outcome
	// follows as PAYMENT_SUCCEEDED or PAYMENT_CANCELED).
	RenewalCharged       Action = "RENEWAL_CHARGED"
	PaymentMethodSaved   Action = "PAYMENT_METHOD_SAVED"
	PaymentMethodRemoved Action = "PAYMENT_METHOD_REMOVED"
	APIKeyRevoked        Action = "API_KEY_REVOKED"
	SessionRevoked       Action = "SESSION_REVOKED"
	// The external sign-in methods (OpenID Connect, LDAP, trusted headers); each entry's changes
	// name the method and provider.
	ExternalSignin        Action = "EXTERNAL_SIGNIN"
	ExternalSigninRefused Action = "EXTERNAL_SIGNIN_REFUSED"
	IdentityLinked        Action = "IDENTITY_LINKED"
	GroupsSynced          Action = "GROUPS_SYNCED"
	ProviderLogout        Action = "PROVIDER_LOGOUT"
	// DataImported summarises one `steward import-openwebui` run: counts per table in changes.
	DataImported Action = "DATA_IMPORTED"
	// ImportedAuditEntry carries an entry of another system's audit log (the Open WebUI billing
	// fork's) into the chain: the original actor, action, entity and time are in changes.
	ImportedAuditEntry Action = "IMPORTED_AUDIT_ENTRY"
)

// Actions lists every action, in the order above.
var Actions = []Action{
	UserCreated, UserUpdated, UserRoleChanged, UserSuspended, UserReinstated, UserDeleted, UserUnlocked,
	GroupCreated, GroupUpdated, GroupDeleted, GroupMembersAdded, GroupMembersRemoved,
	DefaultPermissionsUpdated, ConfigUpdated, ModelCreated, ModelUpdated, ModelDeleted,
	PlanCreated, PlanUpdated, PlanDeleted, PlanActivated, PlanDeactivated, PlanDuplicated,
	SubscriptionAssigned, SubscriptionCanceled, SubscriptionRenewed,
	PaymentSucceeded, PaymentFailed, PaymentCanceled, PaymentRefunded,
	RenewalCharged, PaymentMethodSaved, PaymentMethodRemoved,
	APIKeyRevoked, SessionRevoked,
	ExternalSignin, ExternalSigninRefused, IdentityLinked, GroupsSynced, ProviderLogout,
	DataImported, ImportedAuditEntry,
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return slices.Contains(Actions, a) }

// MarshalGQL writes the enum value.
func (a Action) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(a))) }

// UnmarshalGQL reads the enum value.
func (a *Action) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !Action(s).Valid() {
		return fmt.Errorf("%v is not a valid AuditAction", v)
	}
	*a = Action(s)
	return nil
}
