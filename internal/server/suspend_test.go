package server_test

import (
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const suspendMutation = `mutation($id: ID!, $r: String) { suspendUser(id: $id, reason: $r) { id role suspendedAt suspensionReason } }`

// A suspended account is signed out everywhere, cannot sign in, and its API keys are refused with
// a message that says why, while it keeps its role and keys; reinstating it gives everything
// back. Only admins suspend, never themselves or the primary admin, and the suspension is private
// to the account and admins, audited both ways.
func TestSuspendAndReinstate(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b, st.WithEnv(map[string]string{"ENABLE_API_KEYS": "true"}))
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		carol := s.Signup(t, "Carol")
		cid := s.Signup(t, "Cid")
		s.SetRole(t, bob.ID, "USER")
		s.SetRole(t, carol.ID, "USER")
		s.SetRole(t, cid.ID, "ADMIN")
		s.MustQuery(t, admin.Token, `mutation { updateDefaultPermissions(permissions: {features: {api_keys: true}}) }`)
		key := st.Get(s.MustQuery(t, bob.Token, `mutation { createAPIKey(input: {name: "laptop"}) { key } }`), "createAPIKey.key").(string)
		me := `{ me { id role } }`
		s.MustQuery(t, key, me)

		// Refusals change nothing.
		wantCode(t, s.Query(t, carol.Token, suspendMutation, "id", bob.ID), "FORBIDDEN")
		wantCode(t, s.Query(t, admin.Token, suspendMutation, "id", admin.ID), "FORBIDDEN")
		wantCode(t, s.Query(t, cid.Token, suspendMutation, "id", admin.ID), "FORBIDDEN") // the primary admin
		wantCode(t, s.Query(t, admin.Token, suspendMutation, "id", "no-such-user"), "NOT_FOUND")
		wantCode(t, s.Query(t, admin.Token, suspendMutation, "id", bob.ID, "r", strings.Repeat("x", 501)), "BAD_USER_INPUT")
		// The bound is in characters: 500 of two bytes each fit.
		s.MustQuery(t, admin.Token, suspendMutation, "id", cid.ID, "r", strings.Repeat("я", 500))
		s.MustQuery(t, admin.Token, `mutation($id: ID!) { reinstateUser(id: $id) { id } }`, "id", cid.ID)
		cid.Token = st.Get(s.MustQuery(t, "", signinMutation, "e", cid.Email, "p", cid.Password), "signin.token").(string)
		s.MustQuery(t, bob.Token, me)

		d := s.MustQuery(t, admin.Token, suspendMutation, "id", bob.ID, "r", " chargeback ")
		if st.Get(d, "suspendUser.suspendedAt") == nil || st.Get(d, "suspendUser.suspensionReason") != "chargeback" || st.Get(d, "suspendUser.role") != "USER" {
			t.Fatalf("suspendUser = %v, want a time, the trimmed reason and the role kept", d)
		}
		wantCode(t, s.Query(t, bob.Token, me), "UNAUTHENTICATED") // signed out everywhere
		r := s.Query(t, key, me)
		wantCode(t, r, "FORBIDDEN")
		if !strings.Contains(r.Raw, "suspended") {
			t.Errorf("a suspended account's API key: %s, want a message saying it is suspended", r.Raw)
		}
		wantCode(t, s.Query(t, "", signinMutation, "e", bob.Email, "p", bob.Password), "FORBIDDEN")
		// A wrong password still answers as any wrong password: the suspension is told only to
		// whoever proves the account is theirs.
		wantCode(t, s.Query(t, "", signinMutation, "e", bob.Email, "p", "guess"), "UNAUTHENTICATED")

		// Admins find suspended accounts; other users do not see the suspension.
		d = s.MustQuery(t, admin.Token, `{ users(first: 10, where: {suspendedAtNotNil: true}) { edges { node { id suspensionReason } } } }`)
		if edges := st.Get(d, "users.edges").([]any); len(edges) != 1 || st.Get(edges[0], "node.id") != bob.ID {
			t.Fatalf("suspended accounts = %v, want Bob alone", edges)
		}
		d = s.MustQuery(t, carol.Token, `query($id: ID!) { node(id: $id) { ... on User { suspendedAt suspensionReason } } }`, "id", bob.ID)
		if st.Get(d, "node.suspendedAt") != nil || st.Get(d, "node.suspensionReason") != nil {
			t.Errorf("another user sees %v, want the suspension private", d)
		}

		// Suspending again changes only the reason; an admin other than the primary can be suspended.
		d = s.MustQuery(t, admin.Token, suspendMutation, "id", bob.ID, "r", "chargeback, then abuse")
		if st.Get(d, "suspendUser.suspensionReason") != "chargeback, then abuse" {
			t.Fatalf("second suspendUser = %v", d)
		}
		s.MustQuery(t, admin.Token, suspendMutation, "id", cid.ID)
		wantCode(t, s.Query(t, cid.Token, me), "UNAUTHENTICATED")

		d = s.MustQuery(t, admin.Token, `mutation($id: ID!) { reinstateUser(id: $id) { role suspendedAt suspensionReason } }`, "id", bob.ID)
		if st.Get(d, "reinstateUser.suspendedAt") != nil || st.Get(d, "reinstateUser.suspensionReason") != nil || st.Get(d, "reinstateUser.role") != "USER" {
			t.Fatalf("reinstateUser = %v, want no suspension and the role kept", d)
		}
		s.MustQuery(t, key, me) // the key works again
		if tok := st.Get(s.MustQuery(t, "", signinMutation, "e", bob.Email, "p", bob.Password), "signin.token"); tok == nil {
			t.Fatal("no token after reinstatement")
		}
		wantCode(t, s.Query(t, carol.Token, `mutation($id: ID!) { reinstateUser(id: $id) { id } }`, "id", cid.ID), "FORBIDDEN")

		d = s.MustQuery(t, admin.Token, `query($id: String!) { auditLogs(first: 10, where: {entityId: $id}) { edges { node { action } } } }`, "id", bob.ID)
		var actions []string
		for _, e := range st.Get(d, "auditLogs.edges").([]any) {
			actions = append(actions, st.Get(e, "node.action").(string))
		}
		// Newest first.
		if got := strings.Join(actions, " "); got != "USER_REINSTATED USER_SUSPENDED USER_SUSPENDED" {
			t.Errorf("Bob's audit entries = %s, want a reinstatement after two suspensions", got)
		}
	})
}
