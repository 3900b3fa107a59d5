package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// TestPlainFieldsAnswerAsGqlgenDid covers the executor's rewrite (internal/gqlexec/rewrite)
// through the API: plain fields marshalled directly give the stored values, lists of rows with
// and without resolvers under them give the same answer, and a non-null time that cannot be
// given (a zero time written behind steward's back) is still reported at its own path, as an
// internal error (the presenter hides gqlgen's message), with its row nulled, as before the rewrite.
func TestPlainFieldsAnswerAsGqlgenDid(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		sys := authz.AsOperator(context.Background())
		c := s.App.DB.Client
		g, err := c.Group.Create().SetName("Readers").Save(sys)
		if err != nil {
			t.Fatal(err)
		}
		zed, err := c.User.Create().SetName("Zed").SetEmail("zed@example.com").SetRole(user.RoleUSER).
			SetStatusMessage("away").AddGroupIDs(g.ID).Save(sys)
		if err != nil {
			t.Fatal(err)
		}
		if zed, err = c.User.Get(sys, zed.ID); err != nil { // as stored (PostgreSQL keeps microseconds)
			t.Fatal(err)
		}

		const page = `{ users(first: 10) { edges { node { id name role statusMessage statusEmoji createdAt groups { id name } } } } }`
		d := s.MustQuery(t, admin.Token, page)
		edges := st.Get(d, "users.edges").([]any)
		if len(edges) != 2 {
			t.Fatalf("edges = %v", edges)
		}
		var node map[string]any
		for _, e := range edges {
			if n := e.(map[string]any)["node"].(map[string]any); n["id"] == zed.ID {
				node = n
			}
		}
		want := map[string]any{"id": zed.ID, "name": "Zed", "role": "USER", "statusMessage": "away", "statusEmoji": "",
			"createdAt": zed.CreatedAt.UTC().Format(time.RFC3339Nano), "groups": []any{map[string]any{"id": g.ID, "name": "Readers"}}}
		if fmt.Sprint(node) != fmt.Sprint(want) {
			t.Fatalf("Zed = %v\nwant %v", node, want)
		}

		update := "UPDATE users SET created_at = ? WHERE id = ?"
		if b == dbtest.Postgres {
			update = "UPDATE users SET created_at = $1 WHERE id = $2"
		}
		if _, err := c.ExecContext(sys, update, time.Time{}, zed.ID); err != nil {
			t.Fatal(err)
		}
		r := s.Query(t, admin.Token, page)
		if len(r.Errors) != 1 {
			t.Fatalf("errors = %s", r.Raw)
		}
		e := r.Errors[0]
		edges = st.Get(r.Data, "users.edges").([]any)
		i := len(edges) - 1 // the zero time sorts last (newest accounts first)
		if e.Message != "internal server error" || r.Code() != "INTERNAL_SERVER_ERROR" ||
			fmt.Sprint(e.Path) != fmt.Sprint([]any{"users", "edges", float64(i), "node", "createdAt"}) {
			t.Fatalf("error = %+v", e)
		}
		if edges[i].(map[string]any)["node"] != nil || st.Get(edges[0].(map[string]any), "node.name") != "Ada" {
			t.Fatalf("edges = %v", edges)
		}
	})
}
