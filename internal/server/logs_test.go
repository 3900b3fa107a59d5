package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// syncBuffer is a buffer the server's goroutines may log to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestLogsAreStructuredAndCarryNoSecrets captures everything the server logs (its slog logger,
// as JSON, and the standard logger libraries write to) while accounts sign up and in, an API key
// is made, tool servers are configured with a key and headers and verified against a server that
// quotes them back in its error, requests fail with an internal error and with bodies that do not
// decode: every line is a JSON record, the internal error is logged with its request id, and no
// password, token, key, header value or signing secret appears.
func TestLogsAreStructuredAndCarryNoSecrets(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		var logs, stdlog syncBuffer
		prev := log.Writer()
		log.SetOutput(&stdlog)
		defer log.SetOutput(prev)
		s := st.New(t, b, st.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
			st.WithEnv(map[string]string{"ENABLE_API_KEYS": "true", "STEWARD_ALLOW_PRIVATE_TOOL_SERVERS": "true"}))
		secrets := map[string]string{"signing secret": st.TestSecret}

		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		secrets["admin password"], secrets["admin token"], secrets["bob password"], secrets["bob token"] = admin.Password, admin.Token, bob.Password, bob.Token
		secrets["signin token"] = s.Signin(t, admin)
		secrets["wrong password"] = "a-wrong-password-77"
		s.Query(t, "", `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`, "e", admin.Email, "p", secrets["wrong password"])
		secrets["inline password"] = "an-inline-password-99"
		s.Query(t, "", `mutation { signin(input: {email: "`+bob.Email+`", password: "`+secrets["inline password"]+`"}) { token } }`)
		secrets["API key"] = st.Get(s.MustQuery(t, admin.Token, `mutation { createAPIKey(input: {name: "gateway"}) { key } }`), "createAPIKey.key").(string)

		// A tool server that fails, quoting the credentials it was sent.
		tools := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "denied: "+r.Header.Get("Authorization")+" "+r.Header.Get("X-Tool-Secret"), http.StatusInternalServerError)
		}))
		defer tools.Close()
		secrets["tool key"], secrets["tool header"] = "tool-key-4f1c9a", "tool-header-8e2b77"
		server := map[string]any{"url": tools.URL, "type": "OPENAPI", "key": secrets["tool key"], "headers": map[string]any{"X-Tool-Secret": secrets["tool header"]}}
		s.MustQuery(t, admin.Token, `mutation($in: [ToolServerInput!]!) { setToolServers(servers: $in) { id } }`, "in", []any{server})
		s.Query(t, admin.Token, `mutation($in: ToolServerInput!) { verifyToolServer(input: $in) { name } }`, "in", server)

		// An internal error: the database refuses a statement with more parameters than it takes.
		secrets["id in a failing statement"] = "id-secret-5d3a"
		ids := []string{secrets["id in a failing statement"]}
		for i := range 70000 {
			ids = append(ids, "u"+strconv.Itoa(i))
		}
		failed := s.Query(t, admin.Token, `mutation($in: CreateModelInput!) { createModel(input: $in) { id } }`,
			"in", map[string]any{"id": "m1", "name": "M", "accessControl": map[string]any{"read": map[string]any{"user_ids": ids}}})

		// Bodies that do not decode, over plain HTTP and SSE, and a bearer credential that is not one.
		secrets["password in a broken body"] = "broken-body-password-31"
		broken := `{"query": "mutation { signin(input: {email: \"x@y.z\", password: \"` + secrets["password in a broken body"] + `\"}) { token } }", `
		send(t, s, "POST", "/graphql", "application/json", broken, nil)
		send(t, s, "POST", "/graphql", "application/json", broken, map[string]string{"Accept": "text/event-stream"})
		secrets["bad bearer"] = "not-a-token-but-secret-62"
		send(t, s, "POST", "/graphql", "application/json", `{"query": "{ me { id } }"}`, map[string]string{"Authorization": "Bearer " + secrets["bad bearer"]})
		_ = s.App.Close()

		all := logs.String() + stdlog.String()
		for name, secret := range secrets {
			if secret != "" && strings.Contains(all, secret) {
				t.Errorf("the logs contain the %s", name)
			}
		}
		internal := false
		sc := bufio.NewScanner(strings.NewReader(logs.String()))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec["msg"] == nil || rec["level"] == nil {
				t.Errorf("log line is not a structured record: %.200s", sc.Text())
				continue
			}
			if rec["msg"] == "internal error" && rec["requestId"] == failed.Header.Get("X-Request-Id") {
				internal = true
			}
		}
		if failed.Code() == "INTERNAL_SERVER_ERROR" && !internal {
			t.Errorf("the internal error (request %s) was not logged with its request id:\n%s", failed.Header.Get("X-Request-Id"), logs.String())
		}
		if failed.Code() != "INTERNAL_SERVER_ERROR" {
			t.Logf("createModel with 70,001 ids answered %s on %s, not an internal error", failed.Code(), b)
		}
	})
}
