package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const auditSub = `subscription { auditLogAdded { action entityType actor { id } } }`

func changeDefaults(t *testing.T, s *st.Server, token string, deleteAllowed bool) {
	t.Helper()
	s.MustQuery(t, token, `mutation($p: JSON!) { updateDefaultPermissions(permissions: $p) }`,
		"p", map[string]any{"chat": map[string]any{"delete": deleteAllowed}})
}

// waitGoroutines waits for the goroutine count to settle back to at most want.
func waitGoroutines(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > want {
		buf := make([]byte, 1<<16)
		t.Fatalf("goroutines = %d, want <= %d (leak?)\n%s", n, want, buf[:runtime.Stack(buf, true)])
	}
}

func TestSubscriptionsOverBothWebsocketProtocols(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		for _, proto := range []string{st.ProtoTransportWS, st.ProtoLegacyWS} {
			t.Run(proto, func(t *testing.T) {
				s := st.New(t, b)
				admin := s.Signup(t, "Ada")
				before := runtime.NumGoroutine()

				ws, ack, err := s.DialWS(t, proto, map[string]any{"token": admin.Token}, nil)
				if err != nil || ack.Type != "connection_ack" {
					t.Fatalf("init: %+v, %v", ack, err)
				}
				ws.Subscribe(t, "1", auditSub, nil)
				time.Sleep(500 * time.Millisecond) // let the subscription register before the change
				changeDefaults(t, s, admin.Token, false)
				m, err := ws.Next(5 * time.Second)
				if err != nil {
					t.Fatalf("waiting for event: %v", err)
				}
				wantType := map[string]string{st.ProtoTransportWS: "next", st.ProtoLegacyWS: "data"}[proto]
				if m.Type != wantType || m.ID != "1" || !strings.Contains(string(m.Payload), "DEFAULT_PERMISSIONS_UPDATED") ||
					!strings.Contains(string(m.Payload), admin.ID) {
					t.Fatalf("event = %s %s, want %s with the audit entry", m.Type, m.Payload, wantType)
				}
				ws.Close()
				waitGoroutines(t, before+2)
			})
		}
	})
}

func TestSubscriptionAuthorization(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) { testSubscriptionAuthorization(t, b) })
}

func testSubscriptionAuthorization(t *testing.T, b dbtest.Backend) {
	s := st.New(t, b)
	admin := s.Signup(t, "Ada")
	bob := s.Signup(t, "Bob")
	s.SetRole(t, bob.ID, "USER")

	t.Run("bad token in connection_init is refused", func(t *testing.T) {
		_, m, err := s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": "forged"}, nil)
		if err == nil && m.Type == "connection_ack" {
			t.Fatalf("forged token got %+v", m)
		}
	})
	cases := []struct {
		name, token, code string
	}{
		{"anonymous", "", "UNAUTHENTICATED"},
		{"non-admin", bob.Token, "FORBIDDEN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			payload := map[string]any{}
			if c.token != "" {
				payload["token"] = c.token
			}
			ws, ack, err := s.DialWS(t, st.ProtoTransportWS, payload, nil)
			if err != nil || ack.Type != "connection_ack" {
				t.Fatalf("init: %+v, %v", ack, err)
			}
			ws.Subscribe(t, "1", auditSub, nil)
			// gqlgen reports a refused subscription as a result with errors and no data.
			m, err := ws.Next(5 * time.Second)
			if err != nil || (m.Type != "error" && m.Type != "next") || !strings.Contains(string(m.Payload), `"code":"`+c.code+`"`) ||
				strings.Contains(string(m.Payload), `"action"`) {
				t.Fatalf("got %s %s (%v), want a refusal with %s", m.Type, m.Payload, err, c.code)
			}
		})
	}
	t.Run("cookie on the upgrade request authenticates", func(t *testing.T) {
		h := http.Header{}
		h.Set("Cookie", "token="+admin.Token)
		ws, ack, err := s.DialWS(t, st.ProtoTransportWS, nil, h)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		ws.Subscribe(t, "c", auditSub, nil)
		time.Sleep(500 * time.Millisecond) // let the subscription register (slower on a busy PostgreSQL)
		changeDefaults(t, s, admin.Token, true)
		if m, err := ws.Next(5 * time.Second); err != nil || m.Type != "next" {
			t.Fatalf("got %+v, %v; want next", m, err)
		}
	})
}

func TestRevokedTokenEndsSubscriptions(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		watcher := s.Signin(t, admin)
		ws, ack, err := s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": watcher}, nil)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		ws.Subscribe(t, "1", auditSub, nil)
		time.Sleep(500 * time.Millisecond)
		s.MustQuery(t, watcher, `mutation { signout }`)
		m, err := ws.Next(5 * time.Second)
		if err != nil || m.Type != "complete" || m.ID != "1" {
			t.Fatalf("after signout got %+v, %v; want complete", m, err)
		}
	})
}

func TestRevokedTokenRunsNothingMoreOverItsWebsocket(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		for _, proto := range []string{st.ProtoTransportWS, st.ProtoLegacyWS} {
			t.Run(proto, func(t *testing.T) {
				tok := s.Signin(t, admin)
				ws, ack, err := s.DialWS(t, proto, map[string]any{"token": tok}, nil)
				if err != nil || ack.Type != "connection_ack" {
					t.Fatalf("init: %+v, %v", ack, err)
				}
				defer ws.Close()
				ws.Subscribe(t, "before", `{ me { id } }`, nil)
				if m, err := ws.Next(5 * time.Second); err != nil || !strings.Contains(string(m.Payload), admin.ID) {
					t.Fatalf("query before signout: %+v, %v", m, err)
				}
				if m, err := ws.Next(5 * time.Second); err != nil || m.Type != "complete" {
					t.Fatalf("query before signout, then: %+v, %v; want complete", m, err)
				}
				s.MustQuery(t, tok, `mutation { signout }`)
				for _, op := range []string{`{ me { id } }`, `mutation { updateProfile(input: {name: "Eve"}) { id } }`, auditSub} {
					ws.Subscribe(t, "after", op, nil)
					m, err := ws.Next(5 * time.Second)
					if err != nil || !strings.Contains(string(m.Payload), "UNAUTHENTICATED") {
						t.Fatalf("%s after signout: %+v, %v; want UNAUTHENTICATED", op, m, err)
					}
					if m, err := ws.Next(5 * time.Second); err != nil || m.Type != "complete" {
						t.Fatalf("%s after signout, then: %+v, %v; want complete", op, m, err)
					}
				}
			})
		}
		if got := st.Get(s.MustQuery(t, admin.Token, `{ me { name } }`), "me.name"); got != "Ada" {
			t.Errorf("name = %v: a revoked socket changed the profile", got)
		}
	})
}

func TestSubscriptionOverSSE(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) { testSubscriptionOverSSE(t, b) })
}

func testSubscriptionOverSSE(t *testing.T, b dbtest.Backend) {
	s := st.New(t, b)
	admin := s.Signup(t, "Ada")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events := s.SSE(ctx, t, admin.Token, auditSub)
	time.Sleep(200 * time.Millisecond)
	changeDefaults(t, s, admin.Token, false)
	select {
	case data, ok := <-events:
		var got struct {
			Data struct {
				AuditLogAdded struct{ Action string } `json:"auditLogAdded"`
			} `json:"data"`
		}
		if !ok || json.Unmarshal(data, &got) != nil || got.Data.AuditLogAdded.Action != "DEFAULT_PERMISSIONS_UPDATED" {
			t.Fatalf("SSE event = %s (open %v)", data, ok)
		}
	case <-ctx.Done():
		t.Fatal("no SSE event")
	}
}

// TestWebsocketKeepAlive: idle connections get pings in both protocols, so proxies keep them open.
func TestWebsocketKeepAlive(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithKeepAlive(50*time.Millisecond))
	admin := s.Signup(t, "Ada")
	for proto, ping := range map[string]string{st.ProtoTransportWS: "ping", st.ProtoLegacyWS: "ka"} {
		t.Run(proto, func(t *testing.T) {
			ws, ack, err := s.DialWS(t, proto, map[string]any{"token": admin.Token}, nil)
			if err != nil || ack.Type != "connection_ack" {
				t.Fatalf("init: %+v, %v", ack, err)
			}
			m, err := ws.NextRaw(2 * time.Second)
			for err == nil && m.Type != ping {
				m, err = ws.NextRaw(2 * time.Second)
			}
			if err != nil {
				t.Fatalf("no %q keep-alive on an idle connection: %v", ping, err)
			}
		})
	}
}

// TestQueriesAndMutationsOverWebsocket: operations other than subscriptions run over a websocket
// as over HTTP, a mutation in its own committed transaction.
func TestQueriesAndMutationsOverWebsocket(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		for _, proto := range []string{st.ProtoTransportWS, st.ProtoLegacyWS} {
			t.Run(proto, func(t *testing.T) {
				s := st.New(t, b)
				admin := s.Signup(t, "Ada")
				ws, ack, err := s.DialWS(t, proto, map[string]any{"token": admin.Token}, nil)
				if err != nil || ack.Type != "connection_ack" {
					t.Fatalf("init: %+v, %v", ack, err)
				}
				next := map[string]string{st.ProtoTransportWS: "next", st.ProtoLegacyWS: "data"}[proto]
				ws.Subscribe(t, "m", `mutation($p: JSON!) { updateDefaultPermissions(permissions: $p) }`,
					map[string]any{"p": map[string]any{"chat": map[string]any{"delete": false}}})
				if m, err := ws.Next(5 * time.Second); err != nil || m.Type != next || m.ID != "m" || strings.Contains(string(m.Payload), "errors") {
					t.Fatalf("mutation: %s %s (%v), want %s with data", m.Type, m.Payload, err, next)
				}
				if m, err := ws.Next(5 * time.Second); err != nil || m.Type != "complete" || m.ID != "m" {
					t.Fatalf("after the mutation: %+v (%v), want complete", m, err)
				}
				got := st.Get(s.MustQuery(t, admin.Token, `{ defaultPermissions }`), "defaultPermissions.chat.delete")
				if got != false {
					t.Fatalf("defaultPermissions.chat.delete over HTTP = %v, want the websocket mutation's false", got)
				}
				// A sign-in over the socket is the viewer of its own result only, not of the connection.
				bob := s.Signup(t, "Bob")
				ws.Subscribe(t, "s", `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`,
					map[string]any{"e": bob.Email, "p": bob.Password})
				if m, err := ws.Next(5 * time.Second); err != nil || m.Type != next || !strings.Contains(string(m.Payload), "token") {
					t.Fatalf("signin: %s %s (%v), want %s with a token", m.Type, m.Payload, err, next)
				}
				if m, err := ws.Next(5 * time.Second); err != nil || m.Type != "complete" {
					t.Fatalf("after signin: %+v (%v), want complete", m, err)
				}
				ws.Subscribe(t, "q", `{ me { id } }`, nil)
				if m, err := ws.Next(5 * time.Second); err != nil || m.Type != next || !strings.Contains(string(m.Payload), admin.ID) {
					t.Fatalf("query: %s %s (%v), want %s with the connection's viewer %s", m.Type, m.Payload, err, next, admin.ID)
				}
			})
		}
	})
}

// TestWebsocketOrigins: browsers of other origins may open a websocket only when allowed, since
// a websocket is not subject to CORS.
func TestWebsocketOrigins(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"CORS_ALLOW_ORIGIN": "https://app.example.com"}))
	tests := []struct {
		name, origin string
		allowed      bool
	}{
		{"no origin (not a browser)", "", true},
		{"same origin", s.URL, true},
		{"allowed origin", "https://app.example.com", true},
		{"other origin", "https://evil.example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			_, ack, err := s.DialWS(t, st.ProtoTransportWS, nil, h)
			if got := err == nil && ack.Type == "connection_ack"; got != tt.allowed {
				t.Errorf("connected = %v (%+v, %v), want %v", got, ack, err, tt.allowed)
			}
		})
	}
}
