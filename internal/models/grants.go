package models

import (
	"context"
	"fmt"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/model"
	"github.com/steward-dev/steward/ent/modelgrant"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
)

// A model's grants are its access control as rows, one per principal it admits, so that the
// Model read rule (authz.ModelRows) is a SQL filter. The access_control column stays Open
// WebUI's value and the source of truth; the grants follow it in the same transaction.

// writeGrants replaces the grants of modelID with those of ac (nil: public, everyone reads).
// ctx must act as the models actor and c be inside the transaction that writes the model.
func writeGrants(ctx context.Context, c *ent.Client, modelID string, ac *access.AccessControl) error {
	if _, err := c.ModelGrant.Delete().Where(modelgrant.ModelID(modelID)).Exec(ctx); err != nil {
		return fmt.Errorf("clearing model grants: %w", err)
	}
	rows := grantsOf(modelID, ac)
	if len(rows) == 0 {
		return nil
	}
	creates := make([]*ent.ModelGrantCreate, 0, len(rows))
	for _, g := range rows {
		creates = append(creates, c.ModelGrant.Create().SetModelID(modelID).SetPermission(g.permission).
			SetEveryone(g.everyone).SetNillableUserID(g.userID).SetNillableGroupID(g.groupID))
	}
	if err := c.ModelGrant.CreateBulk(creates...).Exec(ctx); err != nil {
		return fmt.Errorf("writing model grants: %w", err)
	}
	return nil
}

// WriteGrants replaces the grants of modelID with those of ac (nil: public) in c's transaction,
// for a caller that wrote the model row itself (steward import-openwebui) after its own
// capability check.
func WriteGrants(ctx context.Context, c *ent.Client, modelID string, ac *access.AccessControl) error {
	return writeGrants(authz.As(ctx, authz.Models), c, modelID, ac)
}

type grant struct {
	permission      modelgrant.Permission
	everyone        bool
	userID, groupID *string
}

// grantsOf lists the principals ac admits: everyone for a public model, else each user and
// group of its read and write lists. A private model with empty lists has none: only its owner
// (and bypassing admins) read it.
func grantsOf(modelID string, ac *access.AccessControl) []grant {
	if ac == nil {
		return []grant{{permission: modelgrant.PermissionRead, everyone: true}}
	}
	var out []grant
	for _, side := range []struct {
		perm modelgrant.Permission
		p    access.Principals
	}{{modelgrant.PermissionRead, ac.Read}, {modelgrant.PermissionWrite, ac.Write}} {
		for _, id := range side.p.UserIDs {
			out = append(out, grant{permission: side.perm, userID: &id})
		}
		for _, id := range side.p.GroupIDs {
			out = append(out, grant{permission: side.perm, groupID: &id})
		}
	}
	return out
}

// RebuildGrants derives every model's grants from its access control again. It runs at every
// start: models written before grants existed get theirs, and a hand-edited access_control
// column is followed. Touching every model row first makes a concurrent Update, which writes its
// grants after its model row, either finish before the rebuild reads it or wait for the rebuild.
func (s *Service) RebuildGrants(ctx context.Context) error {
	ctx = authz.As(ctx, authz.Models)
	return db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		if _, err := c.ExecContext(ctx, "UPDATE "+model.Table+" SET "+model.FieldIsActive+" = "+model.FieldIsActive); err != nil {
			return fmt.Errorf("locking models: %w", err)
		}
		all, err := c.Model.Query().Select(model.FieldID, model.FieldAccessControl).All(ctx)
		if err != nil {
			return fmt.Errorf("loading models: %w", err)
		}
		for _, m := range all {
			if err := writeGrants(ctx, c, m.ID, controlOf(m)); err != nil {
				return err
			}
		}
		return nil
	})
}
