package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// urqlAccept is what urql and other fetch-based clients send with every request.
const urqlAccept = "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed"

func post(t *testing.T, s *st.Server, accept, token, query string) *http.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestStreamOnlyWhenPreferred: a client that lists text/event-stream after the JSON types gets
// plain answers to queries and mutations (so sign-in sets its cookie) and a stream for a
// subscription; a client that asks for text/event-stream first gets a stream.
func TestStreamOnlyWhenPreferred(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	admin := s.Signup(t, "Ada")

	resp := post(t, s, urqlAccept, "", `mutation { signin(input: {email: "`+admin.Email+`", password: "`+admin.Password+`"}) { token } }`)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/graphql-response+json") {
		t.Fatalf("a mutation from a client preferring JSON was answered as %q", ct)
	}
	if !strings.Contains(resp.Header.Get("Set-Cookie"), "token=") {
		t.Fatalf("sign-in set no cookie: %v", resp.Header)
	}

	resp = post(t, s, urqlAccept, admin.Token, `subscription { auditLogAdded { action } }`)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("a subscription was answered as %q, want a stream", ct)
	}
	resp.Body.Close()

	resp = post(t, s, "text/event-stream", admin.Token, `{ me { id } }`)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("a query asking for a stream was answered as %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	deadline := time.Now().Add(5 * time.Second)
	for sc.Scan() && time.Now().Before(deadline) {
		if strings.Contains(sc.Text(), admin.ID) {
			return
		}
	}
	t.Fatal("the stream did not carry the answer")
}
