package authz

import (
	"context"

	"github.com/steward-dev/steward/internal/auth"
)

// FieldRule says who may read a private field of a type whose rows anyone may read.
type FieldRule int

const (
	// OwnerOrAdmin: the user the object belongs to, and admins.
	OwnerOrAdmin FieldRule = iota + 1
	// AdminOnly: admins.
	AdminOnly
)

// Fields is the table of private fields, "Type.field" to rule. Every field in it carries the
// @private directive in the schema and no other does (graph checks both ways when the schema is
// built), so a field that is not private costs nothing when it resolves. A caller the rule does
// not admit reads null, as if the value were unset: the profile stays readable around it.
var Fields = map[string]FieldRule{
	"User.email":               OwnerOrAdmin,
	"User.settings":            OwnerOrAdmin,
	"User.info":                OwnerOrAdmin,
	"User.groups":              OwnerOrAdmin,
	"User.currentSubscription": OwnerOrAdmin,
	"User.usage":               OwnerOrAdmin,
	"User.lockedUntil":         AdminOnly,
	"User.failedSignins":       AdminOnly,
	"User.suspendedAt":         OwnerOrAdmin,
	"User.suspensionReason":    OwnerOrAdmin,
}

// MayReadField reports whether ctx's caller may read field ("Type.field") of an object that
// belongs to ownerID. A field that is not in Fields is public.
func MayReadField(ctx context.Context, field, ownerID string) bool {
	rule, private := Fields[field]
	if !private {
		return true
	}
	v := auth.ViewerFrom(ctx)
	switch rule {
	case OwnerOrAdmin:
		return v.IsAdmin() || (v != nil && ownerID != "" && v.UserID == ownerID)
	case AdminOnly:
		return v.IsAdmin()
	}
	return false
}
