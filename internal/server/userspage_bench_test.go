package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
)

// usersPageQuery is the bench's users page (../shared/bench-postgraphile/queries).
const usersPageQuery = `{ users(first: 50) { totalCount edges { node { id name email role profileImageUrl lastActiveAt createdAt groups { id name } } } pageInfo { hasNextPage endCursor } } }`

// BenchmarkUsersPage executes the bench's users page (50 users with their groups) through the
// real handler on SQLite, the query cache off, so every iteration resolves every field:
// allocations per page (-benchmem) are the figure to compare; wall-clock time is noisy.
func BenchmarkUsersPage(b *testing.B) {
	s := st.New(b, dbtest.SQLite, func(_ *config.Config, o *server.Options) { o.QueryCacheTTL = -1 })
	admin := s.Signup(b, "Ada")
	sys := authz.AsOperator(context.Background())
	c := s.App.DB.Client
	var groups []string
	for i := range 5 {
		g, err := c.Group.Create().SetName(fmt.Sprintf("group %d", i)).Save(sys)
		if err != nil {
			b.Fatal(err)
		}
		groups = append(groups, g.ID)
	}
	creates := make([]*ent.UserCreate, 200)
	for i := range creates {
		creates[i] = c.User.Create().SetName(fmt.Sprintf("user %03d", i)).SetEmail(fmt.Sprintf("u%03d@example.com", i)).
			SetRole(user.RoleUSER).SetSettings(map[string]any{"ui": map[string]any{"theme": "dark", "models": []any{"a", "b"}}})
	}
	users, err := c.User.CreateBulk(creates...).Save(sys)
	if err != nil {
		b.Fatal(err)
	}
	var ms []*ent.MembershipCreate
	for i, u := range users {
		ms = append(ms, c.Membership.Create().SetUserID(u.ID).SetGroupID(groups[i%5]),
			c.Membership.Create().SetUserID(u.ID).SetGroupID(groups[(i+2)%5]))
	}
	if err := c.Membership.CreateBulk(ms...).Exec(sys); err != nil {
		b.Fatal(err)
	}
	do := poster(s.App.Handler(), admin.Token, map[string]any{"query": usersPageQuery})
	if w := do(); w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("users page: %d %s", w.Code, w.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		do()
	}
}

// poster returns a function that posts payload to h's /graphql as the holder of token, without a
// network, and returns the recorded response.
func poster(h http.Handler, token string, payload map[string]any) func() *httptest.ResponseRecorder {
	body, _ := json.Marshal(payload)
	return func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
}
