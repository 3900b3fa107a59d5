package auth

import (
	"context"
	"time"
)

// TokenCookieFunc sets (token != "") or clears (token == "") the httpOnly token cookie of the
// current HTTP response.
type TokenCookieFunc func(token string, expiresAt *time.Time)

type cookieKey struct{}

// WithTokenCookie returns ctx carrying the cookie setter of the current HTTP response.
func WithTokenCookie(ctx context.Context, f TokenCookieFunc) context.Context {
	return context.WithValue(ctx, cookieKey{}, f)
}

// SetTokenCookie sets or clears the token cookie; it does nothing where there is no HTTP response
// to set it on (a websocket, a test calling the domain directly).
func SetTokenCookie(ctx context.Context, token string, expiresAt *time.Time) {
	if f, ok := ctx.Value(cookieKey{}).(TokenCookieFunc); ok && f != nil {
		f(token, expiresAt)
	}
}
