package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
)

// boundedServer is a test server whose client gives up after 10 s, so that a request the limits
// fail to stop fails the test instead of hanging it.
func boundedServer(t *testing.T, b dbtest.Backend, opts ...st.Option) *st.Server {
	t.Helper()
	s := st.New(t, b, opts...)
	s.HTTP.Timeout = 10 * time.Second
	return s
}

// withLimits adjusts the request limits of a test server.
func withLimits(f func(c *config.Config)) st.Option {
	return func(c *config.Config, _ *server.Options) { f(c) }
}

// world is a bounded server with an admin and a user.
func limitsWorld(t *testing.T, b dbtest.Backend, opts ...st.Option) (s *st.Server, admin, bob st.Account) {
	t.Helper()
	s = boundedServer(t, b, opts...)
	admin = s.Signup(t, "Ada")
	bob = s.Signup(t, "Bob")
	s.SetRole(t, bob.ID, "USER")
	return s, admin, bob
}

// postJSON posts payload as the request body and decodes the answer, whatever its status.
func postJSON(t *testing.T, s *st.Server, token string, payload any) *st.Response {
	t.Helper()
	body, _ := json.Marshal(payload)
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return sendRequest(t, s, req)
}

func sendRequest(t *testing.T, s *st.Server, req *http.Request) *st.Response {
	t.Helper()
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatalf("posting: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &st.Response{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("decoding response %q: %v", raw, err)
	}
	return out
}

// wantRefused checks a refusal made before anything ran: the code, no data, no internals.
func wantRefused(t *testing.T, r *st.Response, code string) {
	t.Helper()
	wantCode(t, r, code)
	if r.Data != nil {
		t.Fatalf("a refused request returned data: %s", r.Raw)
	}
	for _, leak := range []string{"goroutine", "panic", "sql:", "SQLSTATE", ".go:"} {
		if strings.Contains(r.Raw, leak) {
			t.Fatalf("body leaks %q: %s", leak, r.Raw)
		}
	}
}

// nestedFragments is ~1 KB whose expanded tree has 2^levels leaves: each fragment spreads the
// next twice.
func nestedFragments(levels int) string {
	var b strings.Builder
	b.WriteString("query { ...F0 }")
	for i := 0; i < levels; i++ {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Query { __typename }", levels)
	return b.String()
}

func TestNestedFragmentsAreRefusedBeforeExpansion(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, _, bob := limitsWorld(t, b)
		q := nestedFragments(25)
		if len(q) > 1100 {
			t.Fatalf("query is %d bytes, want about 1 KB", len(q))
		}
		// Anonymous callers meet the spread limit; signed-in ones (more spreads allowed) the
		// complexity, computed once per fragment instead of over the 2^25 expanded leaves.
		wantRefused(t, s.Query(t, "", q), "QUERY_TOO_COMPLEX")
		wantRefused(t, s.Query(t, bob.Token, q), "QUERY_TOO_COMPLEX")
	})
}

func TestFragmentChainIsRefused(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, admin, _ := limitsWorld(t, b)
		var q strings.Builder
		q.WriteString("query { ...F0 }")
		for i := 0; i < 90; i++ {
			fmt.Fprintf(&q, " fragment F%d on Query { me { id name } ...F%d }", i, i+1)
		}
		q.WriteString(" fragment F90 on Query { me { id } }")
		// Every fragment's `me` merges into the root: validation would compare each pair.
		wantRefused(t, s.Query(t, admin.Token, q.String()), "QUERY_TOO_COMPLEX")
	})
}

func TestDuplicatedFieldsAreRefusedBeforeValidation(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, _, bob := limitsWorld(t, b)
		huge := "{ me {" + strings.Repeat(" id", 110<<10/3) + " } }" // 110 KB
		wantRefused(t, s.Query(t, "", huge), "QUERY_TOO_LARGE")
		wantRefused(t, s.Query(t, bob.Token, huge), "QUERY_TOO_LARGE")
		// Within the size and token limits, the repetition itself is refused.
		many := "{ me {" + strings.Repeat(" id", 3000) + " } }"
		wantRefused(t, s.Query(t, bob.Token, many), "QUERY_TOO_COMPLEX")
		wantRefused(t, s.Query(t, "", "{ me {"+strings.Repeat(" id", 300)+" } }"), "QUERY_TOO_COMPLEX")
	})
}

// seedUsers creates n users in the database and returns their ids.
func seedUsers(t *testing.T, s *st.Server, n int) []string {
	t.Helper()
	c := s.App.DB.Client
	creates := make([]*ent.UserCreate, n)
	for i := range creates {
		creates[i] = c.User.Create().SetName(fmt.Sprintf("user %03d", i)).SetEmail(fmt.Sprintf("u%03d@example.com", i)).SetRole(user.RoleUSER)
	}
	users, err := c.User.CreateBulk(creates...).Save(sysCtx())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}

// seedGroups creates n groups that every one of userIDs belongs to.
func seedGroups(t *testing.T, s *st.Server, n int, userIDs []string) {
	t.Helper()
	c := s.App.DB.Client
	for i := 0; i < n; i++ {
		g, err := c.Group.Create().SetName(fmt.Sprintf("group %d", i)).Save(sysCtx())
		if err != nil {
			t.Fatal(err)
		}
		ms := make([]*ent.MembershipCreate, len(userIDs))
		for j, id := range userIDs {
			ms[j] = c.Membership.Create().SetUserID(id).SetGroupID(g.ID)
		}
		if err := c.Membership.CreateBulk(ms...).Exec(sysCtx()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGroupMemberFanOutIsRefused(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, admin, _ := limitsWorld(t, b)
		seedGroups(t, s, 8, seedUsers(t, s, 21))
		const fields = `id name email role createdAt updatedAt lastActiveAt profileImageUrl`
		fanOut := `{ groups { edges { node { id members { edges { node { ` + fields + ` groups { id name members { edges { node { ` + fields +
			` groups { id name members { edges { node { ` + fields + ` } } } } } } } } } } } } } } }`
		wantRefused(t, s.Query(t, admin.Token, fanOut), "QUERY_TOO_COMPLEX")
		// The same shape with small pages is answered.
		small := `{ groups(first: 2) { edges { node { id members(first: 3) { edges { node { id name groups { id name } } } } } } } }`
		d := s.MustQuery(t, admin.Token, small)
		if got := len(st.Get(d, "groups.edges").([]any)); got != 2 {
			t.Fatalf("groups = %d, want 2", got)
		}
		if got := len(st.Get(d, "groups.edges.0.node.members.edges").([]any)); got != 3 {
			t.Fatalf("members of the first group = %d, want 3", got)
		}
	})
}

func TestNodesIDsAndAliasesAreBounded(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, _, bob := limitsWorld(t, b)
		ids := seedUsers(t, s, 100)
		many := make([]string, 1000)
		for i := range many {
			many[i] = ids[i%len(ids)]
		}
		r := s.Query(t, bob.Token, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, "ids", many)
		wantRefused(t, r, "BAD_USER_INPUT")
		if f := r.Errors[0].Extensions["field"]; f != "ids" {
			t.Fatalf("field = %v, want ids", f)
		}
		// 999 aliases of nodes(ids:) in 14 KB: refused for its size before it is read further.
		var q strings.Builder
		q.WriteString("query($i: [ID!]!) {")
		for i := 0; i < 999; i++ {
			fmt.Fprintf(&q, "a%d:nodes(ids:$i){id}", i)
		}
		q.WriteString("}")
		wantRefused(t, s.Query(t, bob.Token, q.String(), "i", ids), "QUERY_TOO_LARGE")
		// Within the alias limit, each alias weighs its ids times what it selects.
		q.Reset()
		q.WriteString("query($i: [ID!]!) {")
		for i := 0; i < 40; i++ {
			fmt.Fprintf(&q, " a%d: nodes(ids: $i) { id ... on User { name role groups { id name } } }", i)
		}
		q.WriteString(" }")
		wantRefused(t, s.Query(t, bob.Token, q.String(), "i", ids), "QUERY_TOO_COMPLEX")
		var aliases strings.Builder
		aliases.WriteString("{")
		for i := 0; i < 60; i++ {
			fmt.Fprintf(&aliases, " a%d: me { id }", i)
		}
		aliases.WriteString(" }")
		wantRefused(t, s.Query(t, bob.Token, aliases.String()), "QUERY_TOO_COMPLEX")
	})
}

func TestPageSizesHaveAMaximum(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, admin, bob := limitsWorld(t, b)
		cases := []struct {
			name, token, query, field string
			vars                      []any
		}{
			{"auditLogs first", admin.Token, `{ auditLogs(first: 100000000) { totalCount } }`, "first", nil},
			{"auditLogs first in a variable", admin.Token, `query($n: Int) { auditLogs(first: $n) { totalCount } }`, "first", []any{"n", 100000000}},
			{"myTransactions last", bob.Token, `{ myTransactions(last: 100000000) { edges { node { id } } } }`, "last", nil},
			{"nested members", admin.Token, `{ groups(first: 1) { edges { node { members(first: 1000) { totalCount } } } } }`, "first", nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := s.Query(t, c.token, c.query, c.vars...)
				wantRefused(t, r, "BAD_USER_INPUT")
				if f := r.Errors[0].Extensions["field"]; f != c.field {
					t.Fatalf("field = %v, want %s; response: %s", f, c.field, r.Raw)
				}
			})
		}
	})
}

func TestOmittedFirstGetsTheDefaultPage(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, admin, _ := limitsWorld(t, b, withLimits(func(c *config.Config) { c.Limits.Pages.Default = 7 }))
		seedGroups(t, s, 1, seedUsers(t, s, 20))
		d := s.MustQuery(t, admin.Token, `{ users { totalCount pageInfo { hasNextPage } edges { node { id } } }
			groups { edges { node { members { totalCount edges { node { id } } } } } } }`)
		if got := len(st.Get(d, "users.edges").([]any)); got != 7 {
			t.Fatalf("users page = %d, want the default 7 (of %v)", got, st.Get(d, "users.totalCount"))
		}
		if st.Get(d, "users.pageInfo.hasNextPage") != true {
			t.Fatalf("hasNextPage = false on a default page of 7 out of 22 users")
		}
		// Nested connections are loaded with their parent, from the document's arguments.
		if got := len(st.Get(d, "groups.edges.0.node.members.edges").([]any)); got != 7 {
			t.Fatalf("members page = %d, want the default 7 (of %v)", got, st.Get(d, "groups.edges.0.node.members.totalCount"))
		}
		// last alone still works: the default applies only when neither is given.
		d = s.MustQuery(t, admin.Token, `{ users(last: 3) { edges { node { id } } } }`)
		if got := len(st.Get(d, "users.edges").([]any)); got != 3 {
			t.Fatalf("users(last: 3) = %d, want 3", got)
		}
	})
}

// zeros is an endless body that costs no memory to send.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestHugeBodyIsRefusedUnread(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := boundedServer(t, b)
		const size = 100 << 20
		for _, declared := range []bool{true, false} {
			t.Run(fmt.Sprintf("declared length %v", declared), func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", io.LimitReader(zeros{}, size))
				req.Header.Set("Content-Type", "application/json")
				if declared {
					req.ContentLength = size
				} else {
					req.ContentLength = -1 // chunked: the server learns the size only by reading
				}
				r := sendRequest(t, s, req)
				if r.Status != http.StatusRequestEntityTooLarge {
					t.Fatalf("status = %d, want 413; body %s", r.Status, r.Raw)
				}
				wantRefused(t, r, "QUERY_TOO_LARGE")
			})
		}
	})
}

func TestAliasedSigninsAreRefusedBeforeHashing(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		limits := st.LooseRateLimits()
		limits.SigninPerIP.Rate, limits.SigninPerIP.PeriodSeconds = 3, 3600
		s, admin, _ := limitsWorld(t, b, st.WithRateLimits(limits))
		var q strings.Builder
		q.WriteString("mutation($e: String!, $p: String!) {")
		for i := 0; i < 60; i++ {
			fmt.Fprintf(&q, " s%d: signin(input: {email: $e, password: $p}) { token }", i)
		}
		q.WriteString(" }")
		r := s.Query(t, "", q.String(), "e", admin.Email, "p", "wrong password")
		wantRefused(t, r, "RATE_LIMITED")
		// Two are enough to be refused, sign-up included.
		two := `mutation($e: String!, $p: String!) { a: signin(input: {email: $e, password: $p}) { token }
			b: signup(input: {name: "Eve", email: "eve@example.com", password: "password-of-eve"}) { token } }`
		wantRefused(t, s.Query(t, "", two, "e", admin.Email, "p", admin.Password), "RATE_LIMITED")
		// Nothing of those ran: the three sign-ins per address the limit allows are all left.
		for i := 0; i < 3; i++ {
			s.Signin(t, admin)
		}
		wantCode(t, s.Query(t, "", `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`,
			"e", admin.Email, "p", admin.Password), "RATE_LIMITED")
	})
}

func TestRequestTimeout(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		// A deadline already past when the operation starts: every statement it makes fails.
		s := boundedServer(t, b, withLimits(func(c *config.Config) { c.Limits.Timeout = time.Nanosecond }))
		wantRefused(t, s.Query(t, "", `{ plans { id name } }`), "TIMEOUT")
		wantRefused(t, s.Query(t, "", `mutation { signup(input: {name: "Eve", email: "eve@example.com", password: "password-of-eve"}) { token } }`), "TIMEOUT")
		n, err := s.App.DB.Client.User.Query().Count(sysCtx())
		if err != nil || n != 0 {
			t.Fatalf("users after a timed-out sign-up = %d (%v), want 0", n, err)
		}
	})
}

func TestResponseSizeIsBounded(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := boundedServer(t, b, withLimits(func(c *config.Config) { c.Limits.ResponseBytes = 200 }))
		wantRefused(t, s.Query(t, "", `{ __schema { types { name } } }`), "QUERY_TOO_LARGE")
		if r := s.Query(t, "", `{ __typename }`); len(r.Errors) > 0 {
			t.Fatalf("a small answer was refused: %s", r.Raw)
		}
	})
}

// introspectionQuery is what GraphiQL (the playground) sends first.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

func TestProductionMode(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		dev, devAdmin, devBob := limitsWorld(t, b)
		prod, admin, bob := limitsWorld(t, b, withLimits(func(c *config.Config) { c.Production, c.Introspection = true, false }))
		// Outside production the playground's introspection fits anonymous limits.
		for _, token := range []string{"", devBob.Token, devAdmin.Token} {
			if r := dev.Query(t, token, introspectionQuery); len(r.Errors) > 0 {
				t.Fatalf("introspection outside production: %s", r.Raw)
			}
		}
		for name, token := range map[string]string{"anonymous": "", "user": bob.Token} {
			wantRefused(t, prod.Query(t, token, introspectionQuery), "FORBIDDEN")
			wantRefused(t, prod.Query(t, token, `{ __type(name: "User") { name } }`), "FORBIDDEN")
			r := prod.Query(t, token, `{ me { nmae } }`)
			if len(r.Errors) == 0 || strings.Contains(r.Raw, "Did you mean") {
				t.Fatalf("%s: misspelt field answered %s, want an error without suggestions", name, r.Raw)
			}
		}
		if r := prod.Query(t, admin.Token, introspectionQuery); len(r.Errors) > 0 {
			t.Fatalf("admin introspection in production: %s", r.Raw)
		}
		if r := prod.Query(t, admin.Token, `{ me { nmae } }`); !strings.Contains(r.Raw, `Did you mean \"name\"`) {
			t.Fatalf("admin's misspelt field = %s, want a suggestion", r.Raw)
		}
		if r := dev.Query(t, devBob.Token, `{ me { nmae } }`); !strings.Contains(r.Raw, `Did you mean \"name\"`) {
			t.Fatalf("misspelt field outside production = %s, want a suggestion", r.Raw)
		}
	})
}

func TestPersistedOnly(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		const signup = `mutation($in: SignupInput!) { signup(input: $in) { token user { id } } }`
		const me = `{ me { name } }`
		ops := map[string]string{hashOf(signup): signup, hashOf(me): me}
		file := t.TempDir() + "/operations.json"
		raw, _ := json.Marshal(ops)
		if err := os.WriteFile(file, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		s, admin, bob := limitsWorld(t, b, withLimits(func(c *config.Config) { c.PersistedOnly, c.PersistedOperations = true, file }))
		apq := func(hash string) map[string]any {
			return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
		}
		// Known text and known hashes run; any other text is refused.
		if r := s.Query(t, bob.Token, me); len(r.Errors) > 0 {
			t.Fatalf("allowed text: %s", r.Raw)
		}
		if r := postJSON(t, s, bob.Token, map[string]any{"extensions": apq(hashOf(me))}); st.Get(r.Data, "me.name") != "Bob" {
			t.Fatalf("allowed hash: %s", r.Raw)
		}
		other := `{ me { id } }`
		wantRefused(t, s.Query(t, bob.Token, other), "PERSISTED_QUERY_REQUIRED")
		wantRefused(t, s.Query(t, "", other), "PERSISTED_QUERY_REQUIRED")
		wantRefused(t, postJSON(t, s, bob.Token, map[string]any{"extensions": apq(hashOf(other))}), "PERSISTED_QUERY_NOT_FOUND")
		// A user may not register an operation; an admin may, and then anyone may run it.
		wantRefused(t, postJSON(t, s, bob.Token, map[string]any{"query": other, "extensions": apq(hashOf(other))}), "PERSISTED_QUERY_REQUIRED")
		if r := postJSON(t, s, admin.Token, map[string]any{"query": other, "extensions": apq(hashOf(other))}); len(r.Errors) > 0 {
			t.Fatalf("admin registering: %s", r.Raw)
		}
		if r := postJSON(t, s, bob.Token, map[string]any{"extensions": apq(hashOf(other))}); st.Get(r.Data, "me.id") != bob.ID {
			t.Fatalf("operation an admin registered: %s", r.Raw)
		}
		wantRefused(t, postJSON(t, s, bob.Token, map[string]any{"query": other, "extensions": apq(hashOf(me))}), "BAD_USER_INPUT")
	})
}

// hashOf is how APQ clients name an operation: the hex SHA-256 of its text.
func hashOf(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// TestBatchedRequestsAreRefused: a JSON array of operations is not supported, so one request is
// always one operation.
func TestBatchedRequestsAreRefused(t *testing.T) {
	s := boundedServer(t, dbtest.SQLite)
	batch := []map[string]any{{"query": "{ __typename }"}, {"query": "{ __typename }"}}
	r := postJSON(t, s, "", batch)
	if r.Status != http.StatusBadRequest || len(r.Errors) != 1 || r.Data != nil {
		t.Fatalf("batch = %d %s, want 400 with one error", r.Status, r.Raw)
	}
}

// TestDefaultLimitsFitRealClients: what the public pricing page, the admin users table at the
// largest page and the playground ask for is answered under the default limits.
func TestDefaultLimitsFitRealClients(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, admin, _ := limitsWorld(t, b)
		pricing := `{ plans { id name description price currency interval features isActive displayOrder
			quotas { metric limit } translations { locale name description } } }`
		if r := s.Query(t, "", pricing); len(r.Errors) > 0 {
			t.Fatalf("pricing page: %s", r.Raw)
		}
		users := `query($first: Int!) { users(first: $first) { totalCount
			edges { node { id name email role profileImageUrl lastActiveAt isActive groups { id name } currentSubscription { id } } }
			pageInfo { hasNextPage endCursor } } }`
		if r := s.Query(t, admin.Token, users, "first", 200); len(r.Errors) > 0 {
			t.Fatalf("users table: %s", r.Raw)
		}
		if r := s.Query(t, "", introspectionQuery); len(r.Errors) > 0 {
			t.Fatalf("playground introspection: %s", r.Raw)
		}
	})
}
