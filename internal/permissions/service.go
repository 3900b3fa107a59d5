// Package permissions answers what a user may do: it loads the stored default tree and the user's
// group grants and denials, and hands them to the pure rules of internal/access.
package permissions

import (
	"context"
	"fmt"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/settings"
)

// DefaultsKey is the settings section holding the default permission tree.
const DefaultsKey = "permissions.default"

// Service loads permission data and evaluates it.
type Service struct {
	client   *ent.Client
	settings *settings.Store
	audit    *audit.Log
}

// New returns a Service.
func New(client *ent.Client, store *settings.Store, log *audit.Log) *Service {
	return &Service{client: client, settings: store, audit: log}
}

// Defaults returns the stored default tree, filled with Open WebUI's defaults for any missing key:
// EditDefaults.
func (s *Service) Defaults(ctx context.Context) (access.Tree, error) {
	if err := authz.Require(ctx, authz.EditDefaults); err != nil {
		return nil, err
	}
	return s.defaults(ctx)
}

// defaults is Defaults for the rules that every permission check applies.
func (s *Service) defaults(ctx context.Context) (access.Tree, error) {
	var stored map[string]any
	found, err := s.settings.Get(ctx, DefaultsKey, &stored)
	if err != nil {
		return nil, err
	}
	if !found {
		return access.Defaults(), nil
	}
	return access.Fill(access.Tree(stored), access.Defaults()), nil
}

// UpdateDefaults (EditDefaults) validates a (possibly partial) tree, fills the missing keys from Open WebUI's
// defaults, stores it and returns the stored tree.
func (s *Service) UpdateDefaults(ctx context.Context, tree map[string]any) (access.Tree, error) {
	if err := authz.Require(ctx, authz.EditDefaults); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (access.Tree, error) { return s.updateDefaults(ctx, tree) })
}

// updateDefaults is UpdateDefaults inside its transaction.
func (s *Service) updateDefaults(ctx context.Context, tree map[string]any) (access.Tree, error) {
	if tree == nil {
		return nil, errs.Invalid("permissions", "must be an object")
	}
	if err := access.Validate(tree); err != nil {
		return nil, err
	}
	full := access.Fill(access.Tree(tree), access.Defaults())
	before, err := s.defaults(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.settings.Set(ctx, DefaultsKey, full); err != nil {
		return nil, err
	}
	changes := map[string]audit.Change{}
	old, cur := access.Flatten(before), access.Flatten(full)
	for k, v := range cur {
		if old[k] != v {
			changes[k] = audit.Change{Old: old[k], New: v}
		}
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.DefaultPermissionsUpdated, EntityType: "Config",
		EntityID: DefaultsKey, Description: fmt.Sprintf("default permissions updated (%d keys changed)", len(changes)), Changes: changes})
	if err != nil {
		return nil, err
	}
	return full, nil
}

// groupGrants returns what each of the user's groups grants and denies.
func (s *Service) groupGrants(ctx context.Context, userID string) ([]access.GroupGrant, error) {
	groups, err := db.ClientFrom(ctx, s.client).Group.Query().
		Where(group.HasMembersWith(user.ID(userID))).
		Order(ent.Asc(group.FieldName)).
		All(authz.As(ctx, authz.Directory))
	if err != nil {
		return nil, fmt.Errorf("loading groups of user: %w", err)
	}
	grants := make([]access.GroupGrant, len(groups))
	for i, g := range groups {
		grants[i] = access.GroupGrant{GroupID: g.ID, GroupName: g.Name, Permissions: access.Tree(g.Permissions), Denied: g.DeniedPermissions}
	}
	return grants, nil
}

// Mine returns the viewer's full permission tree: ReadOwnAccount.
func (s *Service) Mine(ctx context.Context) (access.Tree, error) {
	if err := authz.Require(ctx, authz.ReadOwnAccount); err != nil {
		return nil, err
	}
	v := auth.ViewerFrom(ctx)
	return s.effective(ctx, v.UserID, v.Role)
}

// effective returns the full permission tree of a user with the given role.
func (s *Service) effective(ctx context.Context, userID string, role auth.Role) (access.Tree, error) {
	if role == auth.RoleAdmin {
		return access.AllGranted(), nil
	}
	defaults, err := s.defaults(ctx)
	if err != nil {
		return nil, err
	}
	grants, err := s.groupGrants(ctx, userID)
	if err != nil {
		return nil, err
	}
	return access.Effective(false, defaults, grants), nil
}

// Has reports whether the viewer holds key. Admins hold every key; anonymous and pending callers
// hold none.
func (s *Service) Has(ctx context.Context, v *auth.Viewer, key string) (bool, error) {
	if v.IsAdmin() {
		return true, nil
	}
	if !v.IsVerified() {
		return false, nil
	}
	tree, err := s.effective(ctx, v.UserID, v.Role)
	if err != nil {
		return false, err
	}
	return access.Has(tree, key), nil
}

// Explain (ManageUsers) tells whether the user holds key and which sources decided it.
func (s *Service) Explain(ctx context.Context, userID, key string) (access.Explanation, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return access.Explanation{}, err
	}
	u, err := s.client.User.Get(ctx, userID)
	if ent.IsNotFound(err) {
		return access.Explanation{}, errs.NotFound("user")
	}
	if err != nil {
		return access.Explanation{}, fmt.Errorf("loading user: %w", err)
	}
	defaults, err := s.defaults(ctx)
	if err != nil {
		return access.Explanation{}, err
	}
	grants, err := s.groupGrants(ctx, userID)
	if err != nil {
		return access.Explanation{}, err
	}
	return access.Explain(u.Role == user.RoleADMIN, defaults, grants, key), nil
}
