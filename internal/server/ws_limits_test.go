package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// dialStatus opens a websocket and returns the HTTP status of a refused upgrade (0 when it was
// accepted, and then the connection is closed by the test's end).
func dialStatus(t *testing.T, s *st.Server, header http.Header) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(s.URL, "http") + "/graphql"
	conn, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{st.ProtoTransportWS}, HTTPHeader: header})
	if err == nil {
		t.Cleanup(func() { _ = conn.CloseNow() })
		return 0
	}
	if resp == nil {
		t.Fatalf("dialling: %v", err)
	}
	return resp.StatusCode
}

// One address may hold only STEWARD_WS_MAX_PER_IP websockets; others are refused with 429 before
// the handshake, and a closed one frees its place.
func TestWebsocketsPerAddress(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"STEWARD_WS_MAX_PER_IP": "3", "STEWARD_TRUST_PROXY": "true"}))
	admin := s.Signup(t, "Ada")
	auth := http.Header{"Authorization": {"Bearer " + admin.Token}, "X-Forwarded-For": {"203.0.113.9"}}
	var first *st.WS
	for i := range 3 {
		ws, ack, err := s.DialWS(t, st.ProtoTransportWS, nil, auth)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("websocket %d: %v %v", i+1, ack, err)
		}
		if first == nil {
			first = ws
		}
	}
	for i := range 3 {
		if got := dialStatus(t, s, auth); got != http.StatusTooManyRequests {
			t.Fatalf("websocket %d over the limit: status %d, want 429", 4+i, got)
		}
	}
	// Another address is not affected.
	other := http.Header{"Authorization": {"Bearer " + admin.Token}, "X-Forwarded-For": {"198.51.100.7"}}
	if got := dialStatus(t, s, other); got != 0 {
		t.Fatalf("another address: status %d, want an upgrade", got)
	}
	first.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for dialStatus(t, s, auth) != 0 {
		select {
		case <-ctx.Done():
			t.Fatal("a closed websocket did not free its place")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// An anonymous websocket is closed with 4401 once STEWARD_WS_AUTH_TIMEOUT has passed without a
// signed-in viewer; ones authenticated by connection_init or by the upgrade request stay open.
func TestAnonymousWebsocketsAreClosed(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"STEWARD_WS_AUTH_TIMEOUT": "300ms"}))
	admin := s.Signup(t, "Ada")
	byInit, ack, err := s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": admin.Token}, nil)
	if err != nil || ack.Type != "connection_ack" {
		t.Fatalf("websocket with a token: %v %v", ack, err)
	}
	byHeader, ack, err := s.DialWS(t, st.ProtoTransportWS, nil, http.Header{"Authorization": {"Bearer " + admin.Token}})
	if err != nil || ack.Type != "connection_ack" {
		t.Fatalf("websocket with a header: %v %v", ack, err)
	}
	anon, ack, err := s.DialWS(t, st.ProtoTransportWS, nil, nil)
	if err != nil || ack.Type != "connection_ack" {
		t.Fatalf("anonymous websocket: %v %v", ack, err)
	}
	// Generous: the close is due after 300 ms; without it the read waits the whole time.
	_, err = anon.Next(20 * time.Second)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4401 {
		t.Fatalf("anonymous websocket ended with %v, want close code 4401", err)
	}
	for name, ws := range map[string]*st.WS{"connection_init": byInit, "upgrade header": byHeader} {
		ws.Subscribe(t, "1", `{ me { id } }`, nil)
		m, err := ws.Next(10 * time.Second)
		if err != nil || m.Type != "next" || !strings.Contains(string(m.Payload), admin.ID) {
			t.Errorf("authenticated by %s, after the anonymous one was closed: %v %s, want its me", name, err, m.Payload)
		}
	}
}
