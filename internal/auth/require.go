package auth

import (
	"context"

	"github.com/steward-dev/steward/internal/errs"
)

// roleRank orders roles so that Require(ctx, X) admits X and every role above it.
var roleRank = map[Role]int{RolePending: 1, RoleUser: 2, RoleAdmin: 3}

// Require returns the viewer of ctx when its role is at least role (ADMIN > USER > PENDING):
// anonymous callers get UNAUTHENTICATED, signed-in callers below the role FORBIDDEN (a pending
// user's message says why). It is the one check behind @hasRole and the domain packages' own
// guards, so non-GraphQL callers meet the same rule.
func Require(ctx context.Context, role Role) (*Viewer, error) {
	v := ViewerFrom(ctx)
	switch {
	case v == nil:
		return nil, errs.Unauthenticated("sign in to do this")
	case roleRank[v.Role] >= roleRank[role]:
		return v, nil
	case v.Role == RolePending:
		return nil, errs.Forbidden("your account is awaiting approval by an administrator")
	default:
		return nil, errs.Forbidden("this needs the " + string(role) + " role")
	}
}

// SelfOrAdmin reports whether the viewer is the user userID or an admin: who may see and act on
// that user's private data. False for nil.
func (v *Viewer) SelfOrAdmin(userID string) bool {
	return v != nil && (v.UserID == userID || v.IsAdmin())
}
