package wsgraphql

import (
	"encoding/json"
	"strings"

	"github.com/coder/websocket"
)

// The subprotocols, in the order the server prefers them when a client offers both (as gqlgen's
// transport did). A client that offers neither gets the legacy one.
var subprotocols = []string{legacyWS, transportWS}

const (
	// transportWS is graphql-transport-ws, the protocol of the graphql-ws library:
	// https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
	transportWS = "graphql-transport-ws"
	// legacyWS is graphql-ws, the protocol of the retired subscriptions-transport-ws:
	// https://github.com/apollographql/subscriptions-transport-ws/blob/master/PROTOCOL.md
	legacyWS = "graphql-ws"
)

// message is one protocol message, in either direction.
type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// kind is what a client message asks for, whichever protocol named it.
type kind uint8

const (
	kindInit      kind = iota + 1 // connection_init
	kindStart                     // subscribe, start
	kindStop                      // complete, stop
	kindPing                      // ping
	kindPong                      // pong
	kindTerminate                 // connection_terminate
)

// protocol is the subprotocol a connection speaks.
type protocol struct{ legacy bool }

func protocolOf(subprotocol string) protocol { return protocol{legacy: subprotocol != transportWS} }

// kind returns what the client message type t asks for in p, or false for a type p does not let
// clients send.
func (p protocol) kind(t string) (kind, bool) {
	switch t {
	case "connection_init":
		return kindInit, true
	case "subscribe":
		return kindStart, !p.legacy
	case "start":
		return kindStart, p.legacy
	case "complete":
		return kindStop, !p.legacy
	case "stop":
		return kindStop, p.legacy
	case "ping":
		return kindPing, !p.legacy
	case "pong":
		return kindPong, !p.legacy
	case "connection_terminate":
		return kindTerminate, p.legacy
	}
	return 0, false
}

// next is the type of a message carrying a result.
func (p protocol) next() string {
	if p.legacy {
		return "data"
	}
	return "next"
}

// keepAlive is the message the server sends an idle connection every interval. Only a
// graphql-transport-ws client answers it (with a pong).
func (p protocol) keepAlive() message {
	if p.legacy {
		return message{Type: "ka"}
	}
	return message{Type: "ping"}
}

// failure is why the server ends a connection. graphql-transport-ws names a close code for each;
// the legacy protocol has none of its own, so its client first gets a connection_error with the
// reason, then the close code gqlgen's transport used.
type failure struct {
	code       websocket.StatusCode
	legacyCode websocket.StatusCode
	reason     string
}

// maxReason is the longest close reason a close frame can carry.
const maxReason = 123

func badRequest(reason string) failure {
	return failure{code: 4400, legacyCode: websocket.StatusProtocolError, reason: reason}
}

func unauthorized() failure {
	return failure{code: 4401, legacyCode: websocket.StatusProtocolError, reason: "Unauthorized"}
}

// forbidden is a connection_init the server refused; reason is the error for the client.
func forbidden(reason string) failure {
	return failure{code: 4403, legacyCode: websocket.StatusNormalClosure, reason: reason}
}

func initTimeout() failure {
	return failure{code: 4408, legacyCode: websocket.StatusProtocolError, reason: "Connection initialisation timeout"}
}

// duplicateID ends a graphql-transport-ws connection that reused the id of a running operation;
// a legacy client may reuse one, which restarts the operation.
func duplicateID(id string) failure {
	return failure{code: 4409, legacyCode: websocket.StatusProtocolError, reason: "Subscriber for " + id + " already exists"}
}

func tooManyInits() failure {
	return failure{code: 4429, legacyCode: websocket.StatusProtocolError, reason: "Too many initialisation requests"}
}

// goingAway is the server shutting down.
func goingAway() failure {
	return failure{code: websocket.StatusGoingAway, legacyCode: websocket.StatusGoingAway, reason: "server shutting down"}
}

// closeCode is f's code in p.
func (f failure) closeCode(p protocol) websocket.StatusCode {
	if p.legacy {
		return f.legacyCode
	}
	return f.code
}

// closeReason is f's reason cut to what a close frame can carry.
func (f failure) closeReason() string {
	if len(f.reason) <= maxReason {
		return f.reason
	}
	return strings.ToValidUTF8(f.reason[:maxReason], "")
}
