package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

// entry is a fully populated stored entry, to check what its hash covers.
func entry() *ent.AuditLog {
	actor := "u1"
	return &ent.AuditLog{Seq: 7, ActorID: &actor, Action: "PLAN_UPDATED", EntityType: "Plan", EntityID: "pro",
		Description: "updated plan", Changes: map[string]any{"name": map[string]any{"old": "a", "new": "b"}},
		IP: "10.0.0.1", UserAgent: "curl", RequestID: "r1", CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 123000, time.UTC),
		PrevHash: strings.Repeat("0", 64)}
}

// TestHashCoversEveryField: changing any recorded field changes the hash, so no field can be
// rewritten unnoticed.
func TestHashCoversEveryField(t *testing.T) {
	base := audit.Hash(entry())
	other := "u2"
	tests := []struct {
		name string
		edit func(*ent.AuditLog)
	}{
		{"seq", func(e *ent.AuditLog) { e.Seq++ }},
		{"actor", func(e *ent.AuditLog) { e.ActorID = &other }},
		{"no actor", func(e *ent.AuditLog) { e.ActorID = nil }},
		{"action", func(e *ent.AuditLog) { e.Action = "PLAN_DELETED" }},
		{"entity type", func(e *ent.AuditLog) { e.EntityType = "User" }},
		{"entity id", func(e *ent.AuditLog) { e.EntityID = "free" }},
		{"description", func(e *ent.AuditLog) { e.Description += "." }},
		{"a changed value", func(e *ent.AuditLog) { e.Changes["name"] = map[string]any{"old": "a", "new": "c"} }},
		{"a dropped change", func(e *ent.AuditLog) { e.Changes = nil }},
		{"ip", func(e *ent.AuditLog) { e.IP = "10.0.0.2" }},
		{"user agent", func(e *ent.AuditLog) { e.UserAgent = "wget" }},
		{"request id", func(e *ent.AuditLog) { e.RequestID = "r2" }},
		{"time, by a microsecond", func(e *ent.AuditLog) { e.CreatedAt = e.CreatedAt.Add(time.Microsecond) }},
		{"previous hash", func(e *ent.AuditLog) { e.PrevHash = strings.Repeat("1", 64) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := entry()
			tt.edit(e)
			if audit.Hash(e) == base {
				t.Errorf("changing the %s kept the hash", tt.name)
			}
		})
	}
}

// TestHashIsStable: the same content hashes the same whichever way it was read back: map order,
// time zone and the stored hash itself do not matter.
func TestHashIsStable(t *testing.T) {
	a, b := entry(), entry()
	b.Changes = map[string]any{}
	b.Changes["name"] = map[string]any{"new": "b", "old": "a"}
	b.CreatedAt = b.CreatedAt.In(time.FixedZone("MSK", 3*3600))
	b.Hash, b.ID = "whatever", "another-row-id"
	if audit.Hash(a) != audit.Hash(b) {
		t.Errorf("equal content hashed differently")
	}
	if h := audit.Hash(a); len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Errorf("hash %q is not hex SHA-256", h)
	}
}

// chain is an audit log on a throwaway database, appended to through Record.
type chain struct {
	log *audit.Log
	d   *db.DB
	ctx context.Context
}

func newChain(t *testing.T, b dbtest.Backend) *chain {
	t.Helper()
	d := dbtest.NewDB(t, b)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return &chain{d: d, ctx: authz.AsOperator(context.Background()), log: audit.New(d, func() time.Time {
		now = now.Add(time.Second)
		return now
	})}
}

// fill empties the log (straight on the database) and appends n entries, so that each case of a
// table starts from a fresh chain without the cost of a fresh database.
func (c *chain) fill(t *testing.T, n int) {
	t.Helper()
	c.exec(t, "DELETE FROM audit_logs")
	ctx := auth.WithRequest(auth.WithViewer(context.Background(), &auth.Viewer{UserID: "admin-1", Role: auth.RoleAdmin}),
		auth.Request{IP: "192.0.2.1", UserAgent: "test", ID: "req"})
	for i := range n {
		err := c.log.Record(ctx, audit.Entry{Action: audit.ConfigUpdated, EntityType: "Config", EntityID: "auth",
			Description: fmt.Sprintf("change %d", i+1), Changes: map[string]audit.Change{"n": {Old: i, New: i + 1}}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// exec runs a statement straight on the database, as someone bypassing steward would: the data
// layer itself refuses to update or delete audit entries.
func (c *chain) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := c.d.SQL.Exec(db.Rebind(c.d.Dialect, q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (c *chain) verify(t *testing.T) audit.Verification {
	t.Helper()
	v, err := c.log.Verify(c.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestChainLinks(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			c := newChain(t, b)
			c.fill(t, 4)
			rows, err := c.d.Client.AuditLog.Query().Order(ent.Asc(auditlog.FieldSeq)).All(c.ctx)
			if err != nil {
				t.Fatal(err)
			}
			prev := ""
			for i, r := range rows {
				if r.Seq != int64(i+1) || r.PrevHash != prev || r.Hash != audit.Hash(r) {
					t.Fatalf("entry %d: seq %d, prev %q, hash ok %v; want seq %d linked to %q", i, r.Seq, r.PrevHash, r.Hash == audit.Hash(r), i+1, prev)
				}
				if r.ActorID == nil || *r.ActorID != "admin-1" || r.IP != "192.0.2.1" || r.RequestID != "req" {
					t.Errorf("entry %d lost who made it: actor %v, ip %q, request %q", i, r.ActorID, r.IP, r.RequestID)
				}
				prev = r.Hash
			}
			if v := c.verify(t); !v.Intact || v.Checked != 4 || v.FirstBroken != nil {
				t.Fatalf("verify = %+v, want intact with 4 checked", v)
			}
		})
	}
}

func TestEmptyChainVerifies(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			if v := newChain(t, b).verify(t); !v.Intact || v.Checked != 0 {
				t.Fatalf("verify = %+v, want intact with nothing checked", v)
			}
		})
	}
}

// TestVerifyFindsTampering: each way of rewriting history is reported at the first entry it
// breaks.
func TestVerifyFindsTampering(t *testing.T) {
	tests := []struct {
		name       string
		tamper     func(t *testing.T, c *chain)
		wantSeq    int64
		wantReason string
	}{
		{"a changed description", func(t *testing.T, c *chain) {
			c.exec(t, "UPDATE audit_logs SET description = 'nothing happened' WHERE seq = 3")
		}, 3, "content"},
		{"a changed actor", func(t *testing.T, c *chain) {
			c.exec(t, "UPDATE audit_logs SET actor_id = 'someone-else' WHERE seq = 2")
		}, 2, "content"},
		{"a changed time", func(t *testing.T, c *chain) {
			c.exec(t, "UPDATE audit_logs SET created_at = ? WHERE seq = 4", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
		}, 4, "content"},
		{"a rewritten entry with a recomputed hash breaks the next link", func(t *testing.T, c *chain) {
			r, err := c.d.Client.AuditLog.Query().Where(auditlog.Seq(2)).Only(c.ctx)
			if err != nil {
				t.Fatal(err)
			}
			r.Description = "nothing happened"
			c.exec(t, "UPDATE audit_logs SET description = ?, hash = ? WHERE seq = 2", r.Description, audit.Hash(r))
		}, 3, "link"},
		{"a deleted entry", func(t *testing.T, c *chain) {
			c.exec(t, "DELETE FROM audit_logs WHERE seq = 2")
		}, 3, "missing"},
		{"the first entry deleted", func(t *testing.T, c *chain) {
			c.exec(t, "DELETE FROM audit_logs WHERE seq = 1")
		}, 2, "missing"},
		{"two entries swapped", func(t *testing.T, c *chain) {
			c.exec(t, "UPDATE audit_logs SET seq = -2 WHERE seq = 2")
			c.exec(t, "UPDATE audit_logs SET seq = 2 WHERE seq = 3")
			c.exec(t, "UPDATE audit_logs SET seq = 3 WHERE seq = -2")
		}, 2, "link"},
		{"a forged entry appended outside the chain", func(t *testing.T, c *chain) {
			c.exec(t, `INSERT INTO audit_logs (id, seq, action, entity_type, entity_id, description, ip, user_agent, request_id, prev_hash, hash, created_at)
VALUES ('forged', 6, 'USER_DELETED', 'User', 'x', 'forged', '', '', '', 'not-the-tail', 'forged', ?)`, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
		}, 6, "link"},
	}
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			c := newChain(t, b)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					c.fill(t, 5)
					tt.tamper(t, c)
					v := c.verify(t)
					var seq int64
					if v.FirstBroken != nil {
						seq = v.FirstBroken.Seq
					}
					if v.Intact || seq != tt.wantSeq || !strings.Contains(v.Reason, tt.wantReason) {
						t.Fatalf("verify = intact %v, first broken at %d, reason %q; want broken at %d (%s)", v.Intact, seq, v.Reason, tt.wantSeq, tt.wantReason)
					}
				})
			}
		})
	}
}
