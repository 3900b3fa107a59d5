package users

import (
	"context"
	"fmt"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
)

// RegisterForwarded creates a pending account, without a password, for a user that Open WebUI
// names in the gateway's forwarded headers and steward does not know yet
// (STEWARD_GATEWAY_UNKNOWN_USERS=pending): RegisterForwardedUsers, which only the gateway holds.
// The account is refused until an administrator approves it, like any pending account; it joins
// DEFAULT_GROUP_ID and gets the default plan as sign-ups do. An email already taken is CONFLICT.
func (a *Admin) RegisterForwarded(ctx context.Context, name, email string) (*ent.User, error) {
	if err := authz.Require(ctx, authz.RegisterForwardedUsers); err != nil {
		return nil, err
	}
	name, err := validateName("name", name)
	if err != nil {
		return nil, err
	}
	if email, err = NormalizeEmail("email", email); err != nil {
		return nil, err
	}
	settingsAuth, err := a.settings.Auth(ctx)
	if err != nil {
		return nil, err
	}
	var u *ent.User
	err = db.InTx(ctx, a.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Accounts)
		if err := a.emailFree(ctx, c, email, ""); err != nil {
			return err
		}
		u, err = c.User.Create().SetName(name).SetEmail(email).SetRole(user.RolePENDING).SetLastActiveAt(a.now().UTC()).Save(sys)
		if err != nil {
			return conflictOr(err, "creating user")
		}
		if err := a.onboard(ctx, c, u, settingsAuth.DefaultGroupID); err != nil {
			return err
		}
		return a.audit.Record(ctx, audit.Entry{Action: audit.UserCreated, EntityType: "User", EntityID: u.ID,
			Description: fmt.Sprintf("gateway registered forwarded account %s as pending", email),
			Changes:     map[string]audit.Change{"name": {New: name}, "email": {New: email}, "role": {New: string(user.RolePENDING)}}})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
