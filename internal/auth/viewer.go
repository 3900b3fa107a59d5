// Package auth holds the caller's identity and the credentials' pure logic: the Viewer in the
// request context, password hashing, JWT encoding and API key formats. It imports no database code,
// so every other package, ent's privacy rules included, can depend on it.
package auth

import (
	"context"
	"sync/atomic"
)

// Role is an account's role; the values are those stored in the users table.
type Role string

// The three roles of Open WebUI.
const (
	RoleAdmin   Role = "ADMIN"
	RoleUser    Role = "USER"
	RolePending Role = "PENDING"
)

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleUser || r == RolePending }

// Viewer is the authenticated caller of a request. A nil *Viewer is an anonymous caller.
type Viewer struct {
	UserID string
	Role   Role
	// SessionID is the token's jti when the caller used a token, empty for API keys.
	SessionID string
	// APIKeyID is set when the caller used an API key.
	APIKeyID string
	// OpenWebUIToken is set when the caller used a token Open WebUI issued, accepted during the
	// migration window (STEWARD_ACCEPT_OPENWEBUI_TOKENS).
	OpenWebUIToken bool
}

// IsAdmin reports whether the viewer is a signed-in admin; false for nil.
func (v *Viewer) IsAdmin() bool { return v != nil && v.Role == RoleAdmin }

// IsVerified reports whether the viewer is signed in and approved (admin or user); false for nil.
func (v *Viewer) IsVerified() bool { return v != nil && (v.Role == RoleAdmin || v.Role == RoleUser) }

type viewerKey struct{}
type requestKey struct{}

// viewerSlot holds the viewer of one request. It is a slot rather than a plain value so that a
// sign-in can make the new account the viewer for the rest of its own response (the payload's
// private fields then resolve as the account's own).
type viewerSlot struct{ v atomic.Pointer[Viewer] }

// WithViewer returns ctx carrying v (nil for an anonymous caller) in a fresh slot.
func WithViewer(ctx context.Context, v *Viewer) context.Context {
	s := &viewerSlot{}
	s.v.Store(v)
	return context.WithValue(ctx, viewerKey{}, s)
}

// ViewerFrom returns the viewer of ctx, or nil for an anonymous caller.
func ViewerFrom(ctx context.Context) *Viewer {
	s, _ := ctx.Value(viewerKey{}).(*viewerSlot)
	if s == nil {
		return nil
	}
	return s.v.Load()
}

// SignedIn makes v the viewer for the rest of the request, after a sign-in or sign-up.
func SignedIn(ctx context.Context, v *Viewer) {
	if s, _ := ctx.Value(viewerKey{}).(*viewerSlot); s != nil {
		s.v.Store(v)
	}
}

// Request describes where a request came from, for sessions, rate limits and the audit log.
type Request struct {
	IP        string
	UserAgent string
	ID        string
	// Principal names who acts when no user is signed in, for the audit log: "console" for the
	// steward admin commands. Empty on requests.
	Principal string
}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request info of ctx; the zero Request when there is none.
func RequestFrom(ctx context.Context) Request { r, _ := ctx.Value(requestKey{}).(Request); return r }
