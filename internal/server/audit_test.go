package server_test

import (
	"context"
	"testing"

	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/db"
	st "github.com/steward-dev/steward/internal/servertest"
)

const auditQuery = `query($w: AuditLogWhere, $first: Int) { auditLogs(where: $w, first: $first) {
  totalCount edges { node { id seq action entityType entityID description changes ip userAgent requestID actor { id } } } } }`

func TestAuditLogChainAndFilters(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b db.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		upd := `mutation($p: JSON!) { updateDefaultPermissions(permissions: $p) }`
		s.MustQuery(t, admin.Token, upd, "p", map[string]any{"chat": map[string]any{"delete": false}})
		s.MustQuery(t, admin.Token, upd, "p", map[string]any{"chat": map[string]any{"delete": false, "edit": false}})
		s.MustQuery(t, admin.Token, `mutation($id: ID!) { revokeSession(id: $id) }`, "id", sessionOf(t, bob.Token))

		d := s.MustQuery(t, admin.Token, auditQuery)
		if got := st.Get(d, "auditLogs.totalCount"); got != float64(3) {
			t.Fatalf("entries = %v, want 3: %v", got, d)
		}
		newest := st.Get(d, "auditLogs.edges.0.node").(map[string]any)
		if newest["action"] != "SESSION_REVOKED" || st.Get(newest, "actor.id") != admin.ID || newest["requestID"] == "" || newest["ip"] == "" {
			t.Fatalf("newest entry = %v, want SESSION_REVOKED by the admin with request info", newest)
		}
		second := st.Get(d, "auditLogs.edges.1.node").(map[string]any)
		wantChange := map[string]any{"old": true, "new": false}
		if got := second["changes"].(map[string]any)["chat.edit"]; toString(got) != toString(wantChange) {
			t.Fatalf("changes of the second update = %v, want chat.edit %v", second["changes"], wantChange)
		}

		filters := []struct {
			name  string
			where map[string]any
			want  float64
		}{
			{"by action", map[string]any{"action": "DEFAULT_PERMISSIONS_UPDATED"}, 2},
			{"by entity type", map[string]any{"entityType": "Session"}, 1},
			{"by entity id", map[string]any{"entityId": sessionOf(t, bob.Token)}, 1},
			{"by actor", map[string]any{"userId": admin.ID}, 3},
			{"by other actor", map[string]any{"userId": bob.ID}, 0},
			{"by time range", map[string]any{"createdAtGTE": "2000-01-01T00:00:00Z", "createdAtLT": "2001-01-01T00:00:00Z"}, 0},
		}
		for _, f := range filters {
			t.Run(f.name, func(t *testing.T) {
				got := st.Get(s.MustQuery(t, admin.Token, auditQuery, "w", f.where), "auditLogs.totalCount")
				if got != f.want {
					t.Fatalf("totalCount = %v, want %v", got, f.want)
				}
			})
		}
		wantCode(t, s.Query(t, admin.Token, auditQuery, "w", map[string]any{"action": "NOPE"}), "BAD_USER_INPUT")
		wantCode(t, s.Query(t, s.Signin(t, bob), auditQuery), "FORBIDDEN")

		verify := `{ verifyAuditChain { intact checked reason firstBroken { seq } } }`
		v := s.MustQuery(t, admin.Token, verify)
		if st.Get(v, "verifyAuditChain.intact") != true || st.Get(v, "verifyAuditChain.checked") != float64(3) {
			t.Fatalf("fresh chain: %v", v)
		}

		ctx := auth.System(context.Background())
		if err := s.App.DB.Client.AuditLog.Update().Where(auditlog.Seq(1)).Exec(ctx); err == nil {
			t.Fatal("the data layer let an audit entry be updated")
		}
		if _, err := s.App.DB.Client.AuditLog.Delete().Where(auditlog.Seq(1)).Exec(ctx); err == nil {
			t.Fatal("the data layer let an audit entry be deleted")
		}

		// Someone with database access quietly rewrites entry 2: verification catches it.
		if _, err := s.App.DB.SQL.Exec("UPDATE audit_logs SET description = 'nothing happened' WHERE seq = 2"); err != nil {
			t.Fatal(err)
		}
		v = s.MustQuery(t, admin.Token, verify)
		if st.Get(v, "verifyAuditChain.intact") != false || st.Get(v, "verifyAuditChain.firstBroken.seq") != float64(2) {
			t.Fatalf("after tampering: %v, want broken at seq 2", v)
		}
	})
}
