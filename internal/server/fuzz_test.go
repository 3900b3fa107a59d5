package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// FuzzGraphQL posts request bodies to the real handler on a throwaway SQLite database, as an
// admin, as a user or anonymously. Whatever the body, the server must not panic or fail (no 5xx
// but SERVICE_UNAVAILABLE), every error carries extensions.code, and nothing internal (SQL, driver
// text, stacks, source positions) appears that the request did not contain itself.
func FuzzGraphQL(f *testing.F) {
	s := st.New(f, dbtest.SQLite)
	admin := s.Signup(f, "Ada")
	user := s.Signup(f, "Bob")
	s.SetRole(f, user.ID, "USER")
	for _, seed := range []string{
		`{"query": "{ me { id name email role } }"}`,
		`{"query": "mutation($in: SignupInput!) { signup(input: $in) { token } }", "variables": {"in": {"name": "Eve\u0000", "email": "eve@example.com", "password": "password-of-eve"}}}`,
		`{"query": "{ users(query: \"\\u0000\") { totalCount edges { node { id } } } }"}`,
		`{"query": "query($q: String) { users(first: 2, query: $q, orderBy: {field: CREATED_AT, direction: DESC}) { edges { cursor node { id groups { id } } } pageInfo { hasNextPage } } }", "variables": {"q": "ada"}}`,
		`{"query": "mutation($in: RecordUsageInput!) { recordUsage(input: $in) { replayed quota { used } } }", "variables": {"in": {"userId": "x", "metric": "TOKENS_INPUT", "amount": 9223372036854775807}}}`,
		`{"query": "mutation { createPlan(input: {name: \"W\", price: \"92233720368547758.07\", currency: \"USD\"}) { id } }"}`,
		`{"query": "mutation($c: JSON!) { importConfig(config: $c, dryRun: true) { changes { section field } } }", "variables": {"c": {"version": 1, "sections": {"banners": [{"id": "b", "type": "info", "content": "x"}]}}}}`,
		`{"query": "{ exportConfig }"}`,
		`{"query": "query($k: String!) { hasPermission(key: $k) }", "variables": {"k": "features.api_keys"}}`,
		`{"query": "{ node(id: \"x\") { id } nodes(ids: [\"a\", \"b\"]) { id } }"}`,
		`{"query": "{ ...F } fragment F on Query { me { id } }"}`,
		`{"query": "mutation { updateUserSettings(settings: {a: [1, 2.5, \"x\", null, {b: true}]}) }"}`,
		`{"query": "{ plans { id price quotas { metric limit } stats { mrr } } billingOverview { mrr { amount currency } } }"}`,
		`{"query": "{ auditLogs(first: 5) { edges { node { id action } } } }"}`,
		`{"query": 1}`, `{"query": "{"}`, `{"variables": []}`, `[]`, `null`, ``,
	} {
		for who := range 3 {
			f.Add(seed, uint8(who))
		}
	}
	tokens := []string{admin.Token, user.Token, ""}
	f.Fuzz(func(t *testing.T, body string, who uint8) {
		// The only outbound connection the API can make is a tool server check; a fuzzer must not
		// point it at the internet.
		if strings.Contains(body, "verifyToolServer") {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/graphql", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if tok := tokens[int(who)%len(tokens)]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := s.HTTP.Do(req)
		if err != nil {
			t.Fatalf("posting %q: %v", body, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		checkGraphQLResponse(t, body, resp.StatusCode, raw)
	})
}

// checkGraphQLResponse applies FuzzGraphQL's assertions to one answer.
func checkGraphQLResponse(t *testing.T, body string, status int, raw []byte) {
	t.Helper()
	var out struct {
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("body %q: answer is not JSON (status %d): %q", body, status, raw)
	}
	unavailable := false
	for _, e := range out.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			t.Fatalf("body %q: error without extensions.code: %s", body, raw)
		}
		unavailable = unavailable || code == "SERVICE_UNAVAILABLE"
	}
	if status >= 500 && !unavailable {
		t.Fatalf("body %q: status %d: %s", body, status, raw)
	}
	for _, leak := range []string{"sql:", "SQLSTATE", "sqlite", "goroutine", ".go:", "panic"} {
		if strings.Contains(string(raw), leak) && !strings.Contains(body, leak) {
			t.Fatalf("body %q: answer leaks %q: %s", body, leak, raw)
		}
	}
}
