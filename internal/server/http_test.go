package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

func TestMalformedRequestsGetCleanErrors(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) { testMalformedRequestsGetCleanErrors(t, b) })
}

func testMalformedRequestsGetCleanErrors(t *testing.T, b dbtest.Backend) {
	s := st.New(t, b)
	cases := []struct {
		name, method, body, contentType string
		wantInBody                      string
	}{
		{"broken JSON", http.MethodPost, `{"query": `, "application/json", `"errors"`},
		{"unknown field", http.MethodPost, `{"query": "{ nothing }"}`, "application/json", "GRAPHQL_VALIDATION_FAILED"},
		{"syntax error", http.MethodPost, `{"query": "{ me { "}`, "application/json", "GRAPHQL_PARSE_FAILED"},
		{"mutation over GET", http.MethodGet, "", "", `"errors"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := s.URL + "/graphql"
			if c.method == http.MethodGet {
				url += "?query=" + strings.ReplaceAll("mutation { signout }", " ", "%20")
			}
			req, _ := http.NewRequest(c.method, url, strings.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			resp, err := s.HTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(body), c.wantInBody) {
				t.Fatalf("body %s does not contain %s", body, c.wantInBody)
			}
			for _, leak := range []string{"goroutine", "panic", "sql:", "SQLSTATE", ".go:"} {
				if strings.Contains(string(body), leak) {
					t.Fatalf("body leaks %q: %s", leak, body)
				}
			}
		})
	}
}

func TestBadAuthorizationHeader(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) { testBadAuthorizationHeader(t, b) })
}

func testBadAuthorizationHeader(t *testing.T, b dbtest.Backend) {
	s := st.New(t, b)
	r := s.Do(t, st.Request{Query: meQuery, Header: map[string]string{"Authorization": "Basic abc"}})
	wantCode(t, r, "UNAUTHENTICATED")
}

func TestHealthAndPlayground(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) { testHealthAndPlayground(t, b) })
}

func testHealthAndPlayground(t *testing.T, b dbtest.Backend) {
	s := st.New(t, b)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/": "steward", "/metrics": "go_goroutines"} {
		resp, err := s.HTTP.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
}

func TestNodeDoesNotLeakOtherUsersCredentials(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		adminSession := sessionOf(t, admin.Token)
		r := s.Query(t, bob.Token, `query($id: ID!) { node(id: $id) { id ... on Session { userID ip } } }`, "id", adminSession)
		wantCode(t, r, "NOT_FOUND")
		d := s.MustQuery(t, bob.Token, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, "ids", []string{adminSession, sessionOf(t, bob.Token)})
		list := d["nodes"].([]any)
		if list[0] != nil || st.Get(list[1], "id") != sessionOf(t, bob.Token) {
			t.Fatalf("nodes = %v, want [null, own session]", list)
		}
		// Another user's record through node shows the public profile only.
		u := s.MustQuery(t, bob.Token, `query($id: ID!) { node(id: $id) { ... on User { name email settings } } }`, "id", admin.ID)
		if st.Get(u, "node.name") != "Ada" || st.Get(u, "node.email") != nil {
			t.Fatalf("node(user) for a non-admin = %v, want name and no email", u)
		}
		wantCode(t, s.Query(t, "", `query($id: ID!) { node(id: $id) { id } }`, "id", admin.ID), "UNAUTHENTICATED")
	})
}
