package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const verifyQuery = `mutation($in: ToolServerInput!) { verifyToolServer(input: $in) { type name version specVersion operations } }`

// toolServer is a fake tool server: an OpenAPI document, garbage, a slow answer and MCP.
func toolServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tool-key" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"openapi":"3.1.0","info":{"title":"Weather","version":"2.0"},"paths":{"/now":{"get":{},"post":{}},"/day":{"get":{}}}}`)
	})
	mux.HandleFunc("GET /spec.yaml", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "swagger: \"2.0\"\ninfo:\n  title: Legacy\n  version: \"1\"\npaths:\n  /x:\n    get: {}\n")
	})
	mux.HandleFunc("GET /garbage", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"hello": "world"}`)
	})
	mux.HandleFunc("GET /html", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<html><body>not json: [</body></html>")
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mcp := func(sse bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var req struct {
				JSONRPC string `json:"jsonrpc"`
				ID      int    `json:"id"`
				Method  string `json:"method"`
			}
			if json.NewDecoder(r.Body).Decode(&req) != nil || req.Method != "initialize" ||
				!strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
				http.Error(w, "bad request", http.StatusBadRequest)
				return
			}
			answer := `{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-03-26","capabilities":{"tools":{}},"serverInfo":{"name":"fs-tools","version":"0.3"}}}`
			if sse {
				w.Header().Set("Content-Type", "text/event-stream")
				_, _ = io.WriteString(w, "event: message\ndata: "+answer+"\n\n")
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, answer)
		}
	}
	mux.HandleFunc("POST /mcp", mcp(false))
	mux.HandleFunc("POST /mcp-sse", mcp(true))
	mux.HandleFunc("GET /redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/openapi.json", http.StatusFound)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func TestVerifyToolServer(t *testing.T) {
	tools := toolServer(t)
	s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"STEWARD_ALLOW_PRIVATE_TOOL_SERVERS": "true"}), st.WithVerifyTimeout(300*time.Millisecond))
	admin := s.Signup(t, "Ada")
	// A stored key is used when the input carries none.
	s.MustQuery(t, admin.Token, `mutation($u: String!) { setToolServers(servers: [{id: "w", url: $u, type: OPENAPI, key: "tool-key"}]) { id } }`, "u", tools.URL)

	cases := []struct {
		name       string
		in         map[string]any
		wantReason string
		want       map[string]any
	}{
		{"openapi with stored key", map[string]any{"id": "w", "url": tools.URL, "type": "OPENAPI"}, "",
			map[string]any{"type": "OPENAPI", "name": "Weather", "version": "2.0", "specVersion": "3.1.0", "operations": float64(3)}},
		{"openapi with given key", map[string]any{"url": tools.URL + "/", "path": "/openapi.json", "type": "OPENAPI", "key": "tool-key"}, "",
			map[string]any{"name": "Weather"}},
		{"wrong key", map[string]any{"url": tools.URL, "type": "OPENAPI", "key": "nope"}, "HTTP_STATUS", nil},
		{"yaml swagger", map[string]any{"url": tools.URL, "path": "spec.yaml", "type": "OPENAPI"}, "",
			map[string]any{"name": "Legacy", "specVersion": "2.0", "operations": float64(1)}},
		{"redirect", map[string]any{"url": tools.URL, "path": "redirect", "type": "OPENAPI", "key": "tool-key"}, "", map[string]any{"name": "Weather"}},
		{"json that is not openapi", map[string]any{"url": tools.URL, "path": "garbage", "type": "OPENAPI"}, "NOT_OPENAPI", nil},
		{"html", map[string]any{"url": tools.URL, "path": "html", "type": "OPENAPI"}, "NOT_OPENAPI", nil},
		{"missing", map[string]any{"url": tools.URL, "path": "nothing-here", "type": "OPENAPI"}, "HTTP_STATUS", nil},
		{"timeout", map[string]any{"url": tools.URL, "path": "slow", "type": "OPENAPI"}, "TIMEOUT", nil},
		{"connection refused", map[string]any{"url": "http://127.0.0.1:1", "type": "OPENAPI"}, "UNREACHABLE", nil},
		{"mcp json", map[string]any{"url": tools.URL + "/mcp", "type": "MCP"}, "",
			map[string]any{"type": "MCP", "name": "fs-tools", "version": "0.3", "specVersion": "2025-03-26", "operations": float64(0)}},
		{"mcp sse", map[string]any{"url": tools.URL + "/mcp-sse", "type": "MCP"}, "", map[string]any{"name": "fs-tools"}},
		{"openapi server is not mcp", map[string]any{"url": tools.URL, "path": "garbage", "type": "MCP"}, "HTTP_STATUS", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.Query(t, admin.Token, verifyQuery, "in", c.in)
			if c.wantReason != "" {
				wantInvalid(t, r, "url")
				if got := r.Errors[0].Extensions["reason"]; got != c.wantReason {
					t.Fatalf("reason = %v, want %s: %s", got, c.wantReason, r.Raw)
				}
				return
			}
			if len(r.Errors) > 0 {
				t.Fatalf("unexpected error: %s", r.Raw)
			}
			for k, want := range c.want {
				if got := st.Get(r.Data, "verifyToolServer."+k); got != want {
					t.Errorf("%s = %v, want %v", k, got, want)
				}
			}
			if strings.Contains(r.Raw, "tool-key") {
				t.Fatalf("the key leaked: %s", r.Raw)
			}
		})
	}
}

// TestVerifyToolServerRefusesPrivateAddresses: without the allowance, loopback, private and
// link-local addresses are refused at dial time, whatever the host name resolves to.
func TestVerifyToolServerRefusesPrivateAddresses(t *testing.T) {
	tools := toolServer(t)
	s := st.New(t, dbtest.SQLite)
	admin := s.Signup(t, "Ada")
	port := tools.URL[strings.LastIndex(tools.URL, ":"):]
	for _, u := range []string{
		tools.URL,                          // 127.0.0.1
		"http://localhost" + port,          // a name resolving to loopback
		"http://[::1]" + port,              // IPv6 loopback
		"http://169.254.169.254",           // cloud metadata
		"http://10.1.2.3",                  // private
		"http://[::ffff:127.0.0.1]" + port, // IPv4-mapped loopback
	} {
		t.Run(u, func(t *testing.T) {
			r := s.Query(t, admin.Token, verifyQuery, "in", map[string]any{"url": u, "type": "OPENAPI"})
			wantInvalid(t, r, "url")
			if got := r.Errors[0].Extensions["reason"]; got != "PRIVATE_ADDRESS" {
				t.Fatalf("reason = %v, want PRIVATE_ADDRESS: %s", got, r.Raw)
			}
			if !strings.Contains(r.Errors[0].Message, "STEWARD_ALLOW_PRIVATE_TOOL_SERVERS") {
				t.Fatalf("the message does not say how to allow it: %s", r.Errors[0].Message)
			}
		})
	}
}
