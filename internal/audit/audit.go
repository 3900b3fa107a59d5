// Package audit writes the append-only, hash-chained audit log. Record runs inside the
// transaction of the change it describes, so there is no change without its entry and no entry
// without its change; Verify walks the chain and reports the first entry that does not match.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
)

// Topic is the events topic of appended entries; the event's Key is the entry id.
const Topic = "audit"

// Change is one field's old and new value. Secrets are recorded with Redacted, never in clear.
type Change struct {
	Old any `json:"old"`
	New any `json:"new"`
}

// Redacted records that a secret changed without recording it.
func Redacted() Change { return Change{Old: "[redacted]", New: "[changed]"} }

// Entry is what a domain service records about one change.
type Entry struct {
	Action      Action
	EntityType  string
	EntityID    string
	Description string
	Changes     map[string]Change
}

// Log appends entries to the audit log.
type Log struct {
	db  *db.DB
	now func() time.Time
	// onAppend runs after the commit of each appended entry (the live tail subscription).
	onAppend func(*ent.AuditLog)
}

// New returns a Log over d. now may be nil for time.Now.
func New(d *db.DB, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{db: d, now: now}
}

// OnAppend registers fn to run after each appended entry's transaction commits.
func (l *Log) OnAppend(fn func(*ent.AuditLog)) { l.onAppend = fn }

// chainLockKey serialises appends on PostgreSQL: each entry needs the previous one's hash, so two
// concurrent transactions must not both read the same tail. SQLite's single writer already does.
const chainLockKey = 0x5354455741524441

// Record appends e in ctx's transaction (or its own when there is none). The actor and the
// request's IP, user agent and id come from ctx.
func (l *Log) Record(ctx context.Context, e Entry) error {
	if e.Action == "" || e.EntityType == "" {
		return errors.New("audit: Action and EntityType are required")
	}
	return db.InTx(ctx, l.db.Client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.AuditWriter)
		if l.db.Dialect == dialect.Postgres {
			if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(chainLockKey)); err != nil {
				return fmt.Errorf("audit: locking chain: %w", err)
			}
		}
		last, err := c.AuditLog.Query().Order(ent.Desc(auditlog.FieldSeq)).First(sys)
		if err != nil && !ent.IsNotFound(err) {
			return fmt.Errorf("audit: reading chain tail: %w", err)
		}
		var seq int64 = 1
		prev := ""
		if last != nil {
			seq, prev = last.Seq+1, last.Hash
		}
		row := &ent.AuditLog{
			Seq: seq, Action: string(e.Action), EntityType: e.EntityType, EntityID: e.EntityID,
			Description: e.Description, Changes: changesMap(e.Changes), PrevHash: prev,
			CreatedAt: l.now().UTC().Truncate(time.Microsecond),
		}
		req := auth.RequestFrom(ctx)
		if v := auth.ViewerFrom(ctx); v != nil {
			id := v.UserID
			row.ActorID = &id
		} else if req.Principal != "" {
			row.ActorID = &req.Principal
		}
		row.IP, row.UserAgent, row.RequestID = req.IP, truncate(req.UserAgent, 512), req.ID
		row.Hash = Hash(row)
		saved, err := c.AuditLog.Create().
			SetSeq(row.Seq).SetNillableActorID(row.ActorID).SetAction(row.Action).
			SetEntityType(row.EntityType).SetEntityID(row.EntityID).SetDescription(row.Description).
			SetChanges(row.Changes).SetIP(row.IP).SetUserAgent(row.UserAgent).SetRequestID(row.RequestID).
			SetPrevHash(row.PrevHash).SetHash(row.Hash).SetCreatedAt(row.CreatedAt).
			Save(sys)
		if err != nil {
			return fmt.Errorf("audit: appending entry: %w", err)
		}
		if l.onAppend != nil {
			db.AfterCommit(ctx, func() { l.onAppend(saved) })
		}
		return nil
	})
}

func changesMap(c map[string]Change) map[string]any {
	if len(c) == 0 {
		return nil
	}
	out := make(map[string]any, len(c))
	for k, v := range c {
		out[k] = map[string]any{"old": v.Old, "new": v.New}
	}
	return out
}

// hashed is the exact content an entry's hash covers; field order is fixed by the struct.
type hashed struct {
	Seq         int64          `json:"seq"`
	ActorID     string         `json:"actorId"`
	Action      string         `json:"action"`
	EntityType  string         `json:"entityType"`
	EntityID    string         `json:"entityId"`
	Description string         `json:"description"`
	Changes     map[string]any `json:"changes"`
	IP          string         `json:"ip"`
	UserAgent   string         `json:"userAgent"`
	RequestID   string         `json:"requestId"`
	CreatedAt   string         `json:"createdAt"`
	PrevHash    string         `json:"prevHash"`
}

// Hash is the SHA-256 of an entry's content and its predecessor's hash. JSON encoding sorts map
// keys, so the same content always hashes the same, whichever database it was read back from.
func Hash(r *ent.AuditLog) string {
	h := hashed{Seq: r.Seq, Action: r.Action, EntityType: r.EntityType, EntityID: r.EntityID,
		Description: r.Description, Changes: r.Changes, IP: r.IP, UserAgent: r.UserAgent, RequestID: r.RequestID,
		CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339Nano), PrevHash: r.PrevHash}
	if r.ActorID != nil {
		h.ActorID = *r.ActorID
	}
	b, _ := json.Marshal(h)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Verification is the result of walking the chain.
type Verification struct {
	Intact  bool
	Checked int
	// FirstBroken is the first entry whose hash or link does not match, when not intact.
	FirstBroken *ent.AuditLog
	Reason      string
}

// Verify walks the whole chain in order, a page at a time.
func (l *Log) Verify(ctx context.Context) (Verification, error) {
	if err := authz.Require(ctx, authz.VerifyAudit); err != nil {
		return Verification{}, err
	}
	var (
		res      = Verification{Intact: true}
		prevHash string
		nextSeq  int64 = 1
	)
	const page = 1000
	for {
		rows, err := l.db.Client.AuditLog.Query().Where(auditlog.SeqGTE(nextSeq)).
			Order(ent.Asc(auditlog.FieldSeq)).Limit(page).All(ctx)
		if err != nil {
			return Verification{}, fmt.Errorf("audit: reading chain: %w", err)
		}
		for _, r := range rows {
			res.Checked++
			switch {
			case r.Seq != nextSeq:
				return broken(res, r, fmt.Sprintf("entry %d is missing before this one", nextSeq)), nil
			case r.PrevHash != prevHash:
				return broken(res, r, "its link to the previous entry does not match"), nil
			case Hash(r) != r.Hash:
				return broken(res, r, "its content does not match its hash"), nil
			}
			prevHash, nextSeq = r.Hash, r.Seq+1
		}
		if len(rows) < page {
			return res, nil
		}
	}
}

func broken(res Verification, r *ent.AuditLog, reason string) Verification {
	res.Intact, res.FirstBroken, res.Reason = false, r, reason
	return res
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
