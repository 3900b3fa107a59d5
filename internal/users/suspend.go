package users

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// maxSuspensionReason bounds the reason an admin gives, in characters (the column's length).
const maxSuspensionReason = 500

// Suspend suspends an account: every session is revoked (Open WebUI's tokens of the account
// end too), sign-in by any method is refused (sessions.Issue) and its API keys, which stay, are
// refused (sessions.Authenticate), through the gateway as well, until Reinstate. Unlike demoting
// to PENDING, Open WebUI's way, the account keeps its role, and a suspended account is told so
// rather than left waiting for an approval. Nobody suspends themselves or the primary admin:
// ManageUsers.
func (a *Admin) Suspend(ctx context.Context, id string, reason *string) (*ent.User, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	why := ""
	if reason != nil {
		why = strings.TrimSpace(*reason)
	}
	if utf8.RuneCountInString(why) > maxSuspensionReason {
		return nil, errs.Invalid("reason", fmt.Sprintf("at most %d characters", maxSuspensionReason))
	}
	if v := auth.ViewerFrom(ctx); v != nil && v.UserID == id {
		return nil, errs.Forbidden("you cannot suspend your own account")
	}
	return db.InTxResult(ctx, a.client, func(ctx context.Context) (*ent.User, error) {
		c := db.ClientFrom(ctx, a.client)
		if err := a.lockAdmins(ctx, c); err != nil {
			return nil, err
		}
		u, err := a.load(ctx, c, id)
		if err != nil {
			return nil, err
		}
		primary, err := a.primaryAdminID(ctx, c)
		if err != nil {
			return nil, err
		}
		if u.ID == primary {
			return nil, errs.Forbidden("the primary admin (the earliest admin account) cannot be suspended")
		}
		var newReason *string
		if why != "" {
			newReason = &why
		}
		if u.SuspendedAt != nil && ptrEqual(u.SuspensionReason, newReason) {
			return u, nil
		}
		changes := map[string]audit.Change{"suspensionReason": {Old: u.SuspensionReason, New: newReason}}
		upd := c.User.UpdateOneID(id).SetNillableSuspensionReason(newReason)
		if newReason == nil {
			upd.ClearSuspensionReason()
		}
		if u.SuspendedAt == nil {
			now := a.now().UTC()
			upd.SetSuspendedAt(now)
			changes["suspendedAt"] = audit.Change{Old: nil, New: now.Format(time.RFC3339)}
		}
		out, err := upd.Save(authz.As(ctx, authz.Accounts))
		if err != nil {
			return nil, fmt.Errorf("suspending user: %w", err)
		}
		if u.SuspendedAt == nil {
			// Signed out everywhere; the revocation announces the change, so every replica's
			// credential cache forgets the account's API keys too.
			if _, err := a.sessions.RevokeAll(ctx, id, ""); err != nil {
				return nil, err
			}
		}
		description := fmt.Sprintf("admin suspended account %s (%s)", u.Email, u.Role)
		if u.SuspendedAt != nil {
			description = "suspension reason changed for " + u.Email
		}
		if err := a.audit.Record(ctx, audit.Entry{Action: audit.UserSuspended, EntityType: "User", EntityID: id,
			Description: description, Changes: changes}); err != nil {
			return nil, err
		}
		return out, nil
	})
}

// Reinstate ends an account's suspension: it signs in again with the role it kept, and its API
// keys work again. Reinstating an account that is not suspended changes nothing: ManageUsers.
func (a *Admin) Reinstate(ctx context.Context, id string) (*ent.User, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, a.client, func(ctx context.Context) (*ent.User, error) {
		c := db.ClientFrom(ctx, a.client)
		u, err := a.load(ctx, c, id)
		if err != nil {
			return nil, err
		}
		if u.SuspendedAt == nil {
			return u, nil
		}
		out, err := c.User.UpdateOneID(id).ClearSuspendedAt().ClearSuspensionReason().Save(authz.As(ctx, authz.Accounts))
		if err != nil {
			return nil, fmt.Errorf("reinstating user: %w", err)
		}
		a.sessions.CredentialsChanged(ctx, id)
		return out, a.audit.Record(ctx, audit.Entry{Action: audit.UserReinstated, EntityType: "User", EntityID: id,
			Description: "admin reinstated account " + u.Email,
			Changes: map[string]audit.Change{
				"suspendedAt":      {Old: u.SuspendedAt.UTC().Format(time.RFC3339), New: nil},
				"suspensionReason": {Old: u.SuspensionReason, New: nil},
			}})
	})
}

func ptrEqual(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
