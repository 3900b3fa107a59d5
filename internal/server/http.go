package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// authenticator turns a bearer credential into a Viewer; internal/sessions implements it.
type authenticator interface {
	Authenticate(ctx context.Context, credential string) (*auth.Viewer, error)
	// StillValid reports whether an authenticated viewer's credential still holds with the same
	// role, for connections that outlive a request.
	StillValid(ctx context.Context, v *auth.Viewer) bool
}

// tokenCookie is the name Open WebUI's front end uses.
const tokenCookie = "token"

// withRequestInfo records the caller's address, user agent and a request id in the context.
func withRequestInfo(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		ctx := auth.WithRequest(r.Context(), auth.Request{IP: clientIP(r, trustProxy), UserAgent: r.UserAgent(), ID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientIP is the peer address, or the first X-Forwarded-For hop when steward runs behind a
// trusted proxy.
func clientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			return strings.TrimSpace(strings.Split(xff, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// withViewer authenticates the request from `Authorization: Bearer` or the `token` cookie. A bad
// header is answered at once with UNAUTHENTICATED; a bad cookie is cleared and the request goes on
// anonymously, so a browser with a stale cookie can still sign in.
func withViewer(authn authenticator, cookieSecure bool, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := auth.WithTokenCookie(r.Context(), func(token string, expiresAt *time.Time) {
			http.SetCookie(w, makeTokenCookie(token, expiresAt, cookieSecure))
		})
		var viewer *auth.Viewer
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, cred, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(cred) == "" {
				writeError(w, http.StatusUnauthorized, errs.Unauthenticated("use Authorization: Bearer <token or API key>"))
				return
			}
			v, err := authn.Authenticate(ctx, strings.TrimSpace(cred))
			if err != nil {
				writeAuthError(w, logger, err)
				return
			}
			viewer = v
		} else if c, err := r.Cookie(tokenCookie); err == nil && c.Value != "" {
			v, err := authn.Authenticate(ctx, c.Value)
			switch {
			case err == nil:
				viewer = v
			case errs.CodeOf(err) == errs.CodeUnauthenticated:
				http.SetCookie(w, makeTokenCookie("", nil, cookieSecure))
			default:
				writeAuthError(w, logger, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(auth.WithViewer(ctx, viewer)))
	})
}

func makeTokenCookie(token string, expiresAt *time.Time, secure bool) *http.Cookie {
	c := &http.Cookie{Name: tokenCookie, Value: token, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	switch {
	case token == "":
		c.MaxAge = -1
	case expiresAt != nil:
		c.Expires = *expiresAt
	}
	return c
}

func writeAuthError(w http.ResponseWriter, logger *slog.Logger, err error) {
	if e, ok := errs.As(err); ok {
		writeError(w, http.StatusUnauthorized, e)
		return
	}
	logger.Error("authenticating request", "err", err)
	writeError(w, http.StatusInternalServerError, &errs.Error{Code: errs.CodeInternal, Message: "internal server error"})
}

// writeError answers with a GraphQL-shaped error body, for failures before GraphQL runs.
func writeError(w http.ResponseWriter, status int, e *errs.Error) {
	ext := map[string]any{"code": string(e.Code)}
	if e.RetryAfter > 0 {
		ext["retryAfter"] = int(e.RetryAfter.Round(time.Second).Seconds())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": e.Message, "extensions": ext}}})
}

// withBodyLimit refuses a body larger than limit with 413 before anything reads it: a declared
// length at once, and otherwise as soon as the read passes the limit, so an oversized body is
// never held in memory.
func withBodyLimit(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tooLarge := &errs.Error{Code: errs.CodeQueryTooLarge, Message: fmt.Sprintf("the request body is larger than %d bytes", limit)}
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
			return
		}
		if r.Method == http.MethodPost && r.Body != nil {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
			if err != nil {
				if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
					writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
					return
				}
				writeError(w, http.StatusBadRequest, errs.Invalid("", "could not read the request body"))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// withCORS lets the configured browser origins call the API with credentials.
func withCORS(origins []string, next http.Handler) http.Handler {
	any := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && (any || slices.Contains(origins, origin)) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Expose-Headers", "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Request-Id")
			h.Add("Vary", "Origin")
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withRecover keeps a panic outside GraphQL from killing the connection without an answer.
func withRecover(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.Error("panic in HTTP handler", "panic", p, "path", r.URL.Path)
				writeError(w, http.StatusInternalServerError, &errs.Error{Code: errs.CodeInternal, Message: "internal server error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}
