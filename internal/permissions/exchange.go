package permissions

import (
	"context"
	"encoding/json"

	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/settings"
)

// ExchangeKey names the default permissions in an exportConfig document.
const ExchangeKey = settings.DefaultPermissionsKey

// Exchanged is the default permissions' part of exportConfig and importConfig: the whole tree on
// export; on import a (possibly partial) tree, filled from Open WebUI's defaults as
// updateDefaultPermissions does.
func (s *Service) Exchanged() settings.Exchanged { return exchange{s} }

type exchange struct{ s *Service }

func (exchange) Key() string { return ExchangeKey }

func (x exchange) Export(ctx context.Context) (any, error) { return x.s.Defaults(ctx) }

func (x exchange) Plan(ctx context.Context, raw json.RawMessage) ([]settings.Change, func(context.Context) error, error) {
	if err := authz.Require(ctx, authz.EditDefaults); err != nil {
		return nil, nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil || tree == nil {
		return nil, nil, errs.Invalid("", "must be an object of permissions")
	}
	if err := access.Validate(tree); err != nil {
		return nil, nil, err
	}
	before, err := x.s.defaults(ctx)
	if err != nil {
		return nil, nil, err
	}
	changes, err := settings.Diff(ExchangeKey, before, access.Fill(access.Tree(tree), access.Defaults()))
	if err != nil || len(changes) == 0 {
		return changes, nil, err
	}
	return changes, func(ctx context.Context) error { _, err := x.s.updateDefaults(ctx, tree); return err }, nil
}
