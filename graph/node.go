package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// maxNodes bounds nodes(ids:) so one request cannot ask for an unbounded number of lookups.
const maxNodes = 100

// node loads any entity by id under the same row rules as every other path, for verified users
// (UseAccount). An id the viewer may not read is NOT_FOUND, exactly like an id that does not
// exist, so ids reveal nothing.
func (r *Resolver) node(ctx context.Context, id string) (ent.Noder, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	n, err := db.ClientFrom(ctx, r.Client).Noder(ctx, id, ent.WithNodeType(r.DB.NodeType))
	switch {
	case err == nil:
		return n, nil
	case ent.IsNotFound(err), errors.Is(err, privacy.Deny), errors.Is(err, db.ErrNodeNotFound):
		return nil, errs.NotFound("node")
	default:
		return nil, err
	}
}

// nodes loads each id like node does; an id the viewer may not read is a null entry, as Relay
// expects, rather than failing the whole list.
func (r *Resolver) nodes(ctx context.Context, ids []string) ([]ent.Noder, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	if len(ids) > maxNodes {
		return nil, errs.Invalid("ids", fmt.Sprintf("at most %d ids per call", maxNodes))
	}
	out := make([]ent.Noder, len(ids))
	for i, id := range ids {
		n, err := r.node(ctx, id)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
