package servertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// The two websocket subprotocols steward speaks.
const (
	ProtoTransportWS = "graphql-transport-ws" // the graphql-ws library
	ProtoLegacyWS    = "graphql-ws"           // subscriptions-transport-ws
)

// WS is a minimal GraphQL-over-websocket client for either subprotocol.
type WS struct {
	conn  *websocket.Conn
	proto string
}

// Message is one server message.
type Message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// DialWS opens a websocket with proto and sends connection_init with payload. It returns the
// client and the server's first answer to the init (connection_ack, or an error / close).
func (s *Server) DialWS(t testing.TB, proto string, payload map[string]any, header http.Header) (*WS, Message, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(s.URL, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{proto}, HTTPHeader: header})
	if err != nil {
		return nil, Message{}, err
	}
	w := &WS{conn: conn, proto: proto}
	t.Cleanup(func() { _ = conn.CloseNow() })
	if err := wsjson.Write(ctx, conn, map[string]any{"type": "connection_init", "payload": payload}); err != nil {
		return nil, Message{}, err
	}
	m, err := w.Next(5 * time.Second)
	return w, m, err
}

// Subscribe starts operation id with query and variables.
func (w *WS) Subscribe(t testing.TB, id, query string, vars map[string]any) {
	t.Helper()
	typ := "subscribe"
	if w.proto == ProtoLegacyWS {
		typ = "start"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := wsjson.Write(ctx, w.conn, map[string]any{"id": id, "type": typ, "payload": map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatalf("sending subscribe: %v", err)
	}
}

// NextRaw returns the next message as sent, keep-alives included.
func (w *WS) NextRaw(timeout time.Duration) (Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var m Message
	err := wsjson.Read(ctx, w.conn, &m)
	return m, err
}

// Next returns the next message that is not a keep-alive, or an error after timeout or close.
func (w *WS) Next(timeout time.Duration) (Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		var m Message
		if err := wsjson.Read(ctx, w.conn, &m); err != nil {
			return Message{}, err
		}
		switch m.Type {
		case "ka", "pong":
			continue
		case "ping":
			_ = wsjson.Write(ctx, w.conn, map[string]any{"type": "pong"})
			continue
		}
		return m, nil
	}
}

// Close closes the connection normally.
func (w *WS) Close() { _ = w.conn.Close(websocket.StatusNormalClosure, "") }

// SSE posts a subscription with Accept: text/event-stream and returns the data of each "next"
// event on a channel, closed when the stream ends or ctx is done.
func (s *Server) SSE(ctx context.Context, t testing.TB, token, query string) <-chan json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatalf("opening SSE: %v", err)
	}
	out := make(chan json.RawMessage, 16)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && event == "next":
				select {
				case out <- json.RawMessage(strings.TrimPrefix(line, "data: ")):
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
