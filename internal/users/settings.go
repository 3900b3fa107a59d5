package users

import (
	"context"
	"encoding/json"
	"fmt"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// maxDocumentBytes bounds a user's settings or info document, encoded as JSON.
const maxDocumentBytes = 64 << 10

// MergeSettings merges patch into the viewer's own settings and returns the result: each
// top-level key of patch replaces the stored one, a null value removes the key, and keys patch
// does not name stay as they are (Open WebUI replaces the whole document; merging lets two
// clients change different keys without losing each other's).
func (a *Admin) MergeSettings(ctx context.Context, patch map[string]any) (map[string]any, error) {
	return a.mergeDocument(ctx, "settings", patch)
}

// MergeInfo merges patch into the viewer's own info, with the rules of MergeSettings.
func (a *Admin) MergeInfo(ctx context.Context, patch map[string]any) (map[string]any, error) {
	return a.mergeDocument(ctx, "info", patch)
}

func (a *Admin) mergeDocument(ctx context.Context, field string, patch map[string]any) (map[string]any, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	v := auth.ViewerFrom(ctx)
	if patch == nil {
		return nil, errs.Invalid(field, "must be an object")
	}
	var out map[string]any
	err := db.InTx(ctx, a.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Accounts)
		q := c.User.Query().Where(user.ID(v.UserID))
		if a.db.Dialect == dialect.Postgres {
			// Read-modify-write: lock the row so concurrent merges do not lose each other's keys.
			q.ForUpdate()
		}
		u, err := q.Only(sys)
		if ent.IsNotFound(err) {
			return errs.NotFound("user")
		}
		if err != nil {
			return fmt.Errorf("loading user: %w", err)
		}
		cur := u.Settings
		if field == "info" {
			cur = u.Info
		}
		out = make(map[string]any, len(cur)+len(patch))
		for k, val := range cur {
			out[k] = val
		}
		for k, val := range patch {
			if val == nil {
				delete(out, k)
			} else {
				out[k] = val
			}
		}
		raw, err := json.Marshal(out)
		if err != nil {
			return errs.Invalid(field, "must be JSON")
		}
		if len(raw) > maxDocumentBytes {
			return errs.Invalid(field, fmt.Sprintf("must be at most %d bytes as JSON", maxDocumentBytes))
		}
		upd := c.User.UpdateOneID(v.UserID)
		if field == "info" {
			upd.SetInfo(out)
		} else {
			upd.SetSettings(out)
		}
		if err := upd.Exec(sys); err != nil {
			return fmt.Errorf("storing %s: %w", field, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
