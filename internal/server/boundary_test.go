package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// leaks are texts of the database's identity and driver that must never reach a client.
var leaks = []string{"postgres", "steward_test", "127.0.0.1", "5432", "sql:", "SQLSTATE", "sqlite", "locked", "connect", "dial"}

// wantUnavailable checks that a response says SERVICE_UNAVAILABLE, and nothing more, over 503.
func wantUnavailable(t *testing.T, status int, header http.Header, body string) {
	t.Helper()
	if status != http.StatusServiceUnavailable || header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After: %s", status, header.Get("Retry-After"), body)
	}
	var r st.Response
	if err := json.Unmarshal([]byte(body), &r); err != nil || r.Code() != "SERVICE_UNAVAILABLE" {
		t.Fatalf("body %s, want SERVICE_UNAVAILABLE", body)
	}
	if id := r.Errors[0].Extensions["requestId"]; id == nil || id != header.Get("X-Request-Id") {
		t.Errorf("requestId = %v, want the X-Request-Id header %q", id, header.Get("X-Request-Id"))
	}
	for _, leak := range leaks {
		if strings.Contains(strings.ToLower(body), strings.ToLower(leak)) {
			t.Errorf("body leaks %q: %s", leak, body)
		}
	}
}

func TestStoppedDatabaseIsServiceUnavailable(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		var s *st.Server
		var stop func()
		if b == dbtest.Postgres {
			// The server reaches PostgreSQL through a proxy that then stops, as a database
			// that goes down does: open connections break and new ones are refused.
			target, _ := url.Parse(dbtest.NewURL(t, b))
			proxy := newTCPProxy(t, target.Host)
			target.Host = proxy.addr
			s = st.New(t, b, st.WithDatabaseURL(target.String()))
			stop = func() { proxy.stop(); s.App.DB.SQL.SetMaxIdleConns(0) }
		} else {
			s = st.New(t, b)
			stop = func() { _ = s.App.DB.SQL.Close() }
		}
		s.MustQuery(t, "", `{ plans { id } }`)
		stop()
		// Other queries than the one answered before, which the query cache may still hold.
		for _, method := range []string{http.MethodPost, http.MethodGet} {
			q := "{ plans { id name } }"
			if method == http.MethodGet {
				q = "{ plans { id price } }"
			}
			resp, body := send(t, s, method, "/graphql?query="+url.QueryEscape(q), "application/json", `{"query":"`+q+`"}`, nil)
			wantUnavailable(t, resp.StatusCode, resp.Header, body)
		}
	})
}

func TestLockedDatabaseIsServiceUnavailable(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	s.Signup(t, "Ada")
	// Another process holds SQLite's write lock past the server's busy timeout.
	other, err := sql.Open("sqlite3", "file:"+s.Config.DatabaseURL+"?_busy_timeout=0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck
	body := `{"query":"mutation { signup(input: {name: \"Bob\", email: \"bob@example.com\", password: \"password-of-bob\"}) { token } }"}`
	resp, got := send(t, s, http.MethodPost, "/graphql", "application/json", body, nil)
	wantUnavailable(t, resp.StatusCode, resp.Header, got)
}

// tcpProxy forwards connections to a target until stopped; then it refuses new ones and breaks
// the open ones.
type tcpProxy struct {
	addr  string
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{addr: ln.Addr().String(), ln: ln}
	t.Cleanup(p.stop)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *tcpProxy) stop() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestDriverErrorsNeverReachClients(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		manyIDs := make([]string, 70000) // past SQLite's 32766 variables and PostgreSQL's 65535 parameters
		for i := range manyIDs {
			manyIDs[i] = "u" + strconv.Itoa(i)
		}
		wideOr := make([]map[string]any, 1500) // past SQLite's expression depth of 1000
		for i := range wideOr {
			wideOr[i] = map[string]any{"nameContains": "x" + strconv.Itoa(i)}
		}
		cases := []struct {
			name, query string
			vars        []any
		}{
			{"access control naming 70,000 users", `mutation($in: CreateModelInput!) { createModel(input: $in) { id } }`,
				[]any{"in", map[string]any{"id": "m1", "name": "M", "accessControl": map[string]any{"read": map[string]any{"user_ids": manyIDs}}}}},
			{"a filter of 1,500 alternatives", `query($w: UserWhereInput) { users(first: 5, where: $w) { edges { node { id } } } }`,
				[]any{"w", map[string]any{"or": wideOr}}},
		}
		for _, c := range cases {
			r := s.Query(t, admin.Token, c.query, c.vars...)
			for _, e := range r.Errors {
				code := e.Extensions["code"]
				if code != "INTERNAL_SERVER_ERROR" && code != "BAD_USER_INPUT" {
					t.Errorf("%s: code %v, want INTERNAL_SERVER_ERROR (or a limit's BAD_USER_INPUT): %s", c.name, code, e.Message)
				}
				if code == "INTERNAL_SERVER_ERROR" && (e.Message != "internal server error" || e.Extensions["requestId"] != r.Header.Get("X-Request-Id")) {
					t.Errorf("%s: internal error %q %v, want the bare message and the request id", c.name, e.Message, e.Extensions)
				}
			}
			for _, leak := range []string{"SQL variables", "65535", "Expression tree", "sql:", "SQLSTATE", "ent:"} {
				if strings.Contains(r.Raw, leak) {
					t.Errorf("%s: response leaks %q: %.300s", c.name, leak, r.Raw)
				}
			}
		}
	})
}
