package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const auditQuery = `query($w: AuditLogWhere, $first: Int) { auditLogs(where: $w, first: $first) {
  totalCount edges { node { id seq action entityType entityID description changes ip userAgent requestID actor { id } } } } }`

func TestAuditLogChainAndFilters(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
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

		ctx := authz.AsOperator(context.Background())
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

// TestAuditDiffs checks the recorded changes of the actions whose diff matters most, and that a
// secret is recorded only as changed.
func TestAuditDiffs(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b, st.WithEnv(map[string]string{"ENABLE_API_KEYS": "true"}))
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		entries := func(where map[string]any) []map[string]any {
			t.Helper()
			d := s.MustQuery(t, admin.Token, auditQuery, "w", where, "first", 50)
			var out []map[string]any
			for _, e := range st.Get(d, "auditLogs.edges").([]any) {
				out = append(out, st.Get(e, "node").(map[string]any))
			}
			return out
		}

		s.MustQuery(t, admin.Token, `mutation($id: ID!) { updateUser(id: $id, input: {name: "Robert", password: "a brand new secret"}) { id } }`, "id", bob.ID)
		upd := entries(map[string]any{"action": "USER_UPDATED", "entityId": bob.ID})
		if len(upd) != 1 {
			t.Fatalf("USER_UPDATED entries = %d, want 1", len(upd))
		}
		changes := upd[0]["changes"].(map[string]any)
		if toString(changes["name"]) != `{"new":"Robert","old":"Bob"}` {
			t.Errorf("name change = %s", toString(changes["name"]))
		}
		if raw := toString(upd[0]); strings.Contains(raw, "a brand new secret") || !strings.Contains(toString(changes["password"]), "[changed]") {
			t.Errorf("password change recorded as %s", toString(changes["password"]))
		}

		s.SetRole(t, bob.ID, "USER")
		s.MustQuery(t, admin.Token, `mutation { updateDefaultPermissions(permissions: {features: {api_keys: true}}) }`)
		bobToken := s.Signin(t, st.Account{Email: bob.Email, Password: "a brand new secret"})
		keyID := st.Get(s.MustQuery(t, bobToken, createKey, "name", "laptop"), "createAPIKey.apiKey.id").(string)
		s.MustQuery(t, admin.Token, `mutation($id: ID!) { revokeAPIKey(id: $id) }`, "id", keyID)
		if got := entries(map[string]any{"action": "API_KEY_REVOKED", "entityId": keyID}); len(got) != 1 {
			t.Errorf("API_KEY_REVOKED entries = %d, want 1", len(got))
		}

		plan := st.Get(s.MustQuery(t, admin.Token, `mutation { createPlan(input: {name: "Pro", price: "5.00", currency: "USD"}) { id } }`), "createPlan.id").(string)
		for range 2 {
			s.MustQuery(t, admin.Token, `mutation($id: ID!) { togglePlan(id: $id) { isActive } }`, "id", plan)
		}
		var actions []string
		for _, e := range entries(map[string]any{"entityId": plan}) {
			actions = append(actions, e["action"].(string))
		}
		if got := strings.Join(actions, " "); got != "PLAN_ACTIVATED PLAN_DEACTIVATED PLAN_CREATED" {
			t.Errorf("plan entries, newest first = %s", got)
		}
	})
}
