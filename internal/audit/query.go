package audit

import (
	"context"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/ent/predicate"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/third_party/entgql"
)

// Filter narrows a listing of the log; nil fields do not filter. Every filter is served by one of
// the table's indexes.
type Filter struct {
	Action       *Action
	EntityType   *string
	EntityID     *string
	ActorID      *string
	CreatedAtGTE *time.Time
	CreatedAtLT  *time.Time
}

// Validate rejects unknown actions and empty time ranges.
func (f Filter) Validate() error {
	if f.Action != nil && !f.Action.Valid() {
		return errs.Invalid("where.action", "unknown action")
	}
	if f.CreatedAtGTE != nil && f.CreatedAtLT != nil && !f.CreatedAtGTE.Before(*f.CreatedAtLT) {
		return errs.Invalid("where.createdAtLT", "must be after createdAtGTE")
	}
	return nil
}

func (f Filter) predicates() []predicate.AuditLog {
	var ps []predicate.AuditLog
	if f.Action != nil {
		ps = append(ps, auditlog.Action(string(*f.Action)))
	}
	if f.EntityType != nil {
		ps = append(ps, auditlog.EntityType(*f.EntityType))
	}
	if f.EntityID != nil {
		ps = append(ps, auditlog.EntityID(*f.EntityID))
	}
	if f.ActorID != nil {
		ps = append(ps, auditlog.ActorID(*f.ActorID))
	}
	if f.CreatedAtGTE != nil {
		ps = append(ps, auditlog.CreatedAtGTE(f.CreatedAtGTE.UTC()))
	}
	if f.CreatedAtLT != nil {
		ps = append(ps, auditlog.CreatedAtLT(f.CreatedAtLT.UTC()))
	}
	return ps
}

// Page is a Relay page request.
type Page struct {
	After, Before *entgql.Cursor[string]
	First, Last   *int
}

// List returns entries matching f, newest first (by chain position).
func (l *Log) List(ctx context.Context, f Filter, p Page) (*ent.AuditLogConnection, error) {
	if err := authz.Require(ctx, authz.ReadAudit); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if p.First == nil && p.Last == nil {
		def := 50
		p.First = &def
	}
	return l.db.Client.AuditLog.Query().Where(f.predicates()...).
		Paginate(ctx, p.After, p.First, p.Before, p.Last,
			ent.WithAuditLogOrder(&ent.AuditLogOrder{Direction: entgql.OrderDirectionDesc, Field: ent.AuditLogOrderFieldSeq}))
}
