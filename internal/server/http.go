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
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
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

// withRequestInfo records the caller's address, user agent and a request id in the context, and
// answers with the id in X-Request-Id. A caller's own id is kept when it is short and plain, so
// that a proxy's id follows the request into the logs.
func withRequestInfo(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !plainID(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		ctx := auth.WithRequest(r.Context(), auth.Request{IP: clientIP(r, trusted), UserAgent: r.UserAgent(), ID: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// plainID accepts ids of up to 64 letters, digits, '-', '_' and '.', which cannot forge log lines.
func plainID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// outerDeadline is the deadline of a whole HTTP request: the operation's own (gqllimit.Timeout,
// which answers TIMEOUT) plus a margin, so that the operation's decides first while this one
// still bounds what comes before it (authenticating the credential). Zero means none.
func outerDeadline(operation time.Duration) time.Duration {
	if operation <= 0 {
		return 0
	}
	return operation + 5*time.Second
}

// withDeadline gives plain HTTP requests a deadline of d, so that a database that stops answering
// fails requests instead of piling them up. Websockets and SSE streams stay open as long as their
// clients listen. Zero or less is no deadline.
func withDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d <= 0 || isStream(r) {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// isStream reports a websocket upgrade or an SSE subscription, which outlive any deadline.
func isStream(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// clientIP is the address rate limits and audit entries see. It is the peer, unless the peer is
// one of the trusted proxies: then X-Forwarded-For is read from the right, each trusted proxy
// having appended the address it saw, and the first entry that is not a trusted proxy is the
// client. Entries to its left were written by the client and are never believed.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		peer = host
	}
	if len(trusted) == 0 || !isTrusted(peer, trusted) {
		return peer
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		addr, err := netip.ParseAddr(hop)
		if err != nil {
			// Not an address: the proxy chain is misconfigured, so trust nothing further left.
			return client
		}
		client = addr.Unmap().String()
		if !isTrusted(client, trusted) {
			return client
		}
	}
	return client
}

func isTrusted(ip string, trusted []netip.Prefix) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// loopbackProxies is what the deprecated STEWARD_TRUST_PROXY=true means: a proxy on this machine.
var loopbackProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// withAdminsBypass puts the deployment's BYPASS_ADMIN_ACCESS_CONTROL on every request, for the
// Model row rule and internal/models (authz.AdminsBypass).
func withAdminsBypass(on bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(authz.WithAdminBypass(r.Context(), on)))
	})
}

// withViewer authenticates the request from `Authorization: Bearer` or the `token` cookie. A bad
// header is answered at once with UNAUTHENTICATED; a bad cookie is cleared and the request goes on
// anonymously, so a browser with a stale cookie can still sign in.
//
// A cookie is sent by the browser whatever page made the request, so a request that relies on it
// must come from this site or an origin of the allow-list, and as JSON (see crossSiteCookie).
func withViewer(authn authenticator, cookieSecure bool, origins []string, logger *slog.Logger, next http.Handler) http.Handler {
	origins = explicitOrigins(origins)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := auth.WithTokenCookie(r.Context(), func(token string, expiresAt *time.Time) {
			http.SetCookie(w, makeTokenCookie(token, expiresAt, cookieSecure))
		})
		var viewer *auth.Viewer
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, cred, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(cred) == "" {
				refused(r, refusedUnauthenticated)
				writeError(w, http.StatusUnauthorized, errs.Unauthenticated("use Authorization: Bearer <token or API key>"))
				return
			}
			v, err := authn.Authenticate(ctx, strings.TrimSpace(cred))
			if err != nil {
				if errs.CodeOf(err) == errs.CodeUnauthenticated {
					refused(r, refusedUnauthenticated)
				}
				writeAuthError(ctx, w, logger, err)
				return
			}
			viewer = v
		} else if c, err := r.Cookie(tokenCookie); err == nil && c.Value != "" {
			if reason := crossSiteCookie(r, origins); reason != "" {
				refused(r, refusedCSRF)
				writeError(w, http.StatusForbidden, errs.Forbidden(reason))
				return
			}
			v, err := authn.Authenticate(ctx, c.Value)
			switch {
			case err == nil:
				viewer = v
			case errs.CodeOf(err) == errs.CodeUnauthenticated:
				http.SetCookie(w, makeTokenCookie("", nil, cookieSecure))
			default:
				writeAuthError(ctx, w, logger, err)
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

// crossSiteCookie says why a request may not be authenticated by its cookie, or "" when it may.
// A browser sends the cookie with a form post or a navigation from any site, so the cookie counts
// only for requests a page of another site cannot make without the server's consent: a POST in a
// type that needs a CORS preflight (not a form or text/plain), and from this site or an allowed
// origin (Origin, or Sec-Fetch-Site when a browser sends no Origin).
func crossSiteCookie(r *http.Request, allowed []string) string {
	if r.Method == http.MethodPost {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data" || mt == "text/plain" {
			return "a request authenticated by the token cookie must be sent as application/json"
		}
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if sameOrigin(origin, r.Host) || slices.Contains(allowed, origin) {
			return ""
		}
		return "the token cookie is not accepted from this origin: use Authorization: Bearer"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return "the token cookie is not accepted from another site: use Authorization: Bearer"
	}
	return ""
}

// sameOrigin reports whether a browser Origin names this host.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, host)
}

// explicitOrigins are the allowed origins without the wildcard, which never comes with credentials.
func explicitOrigins(origins []string) []string {
	return slices.DeleteFunc(slices.Clone(origins), func(o string) bool { return o == "*" })
}

func writeAuthError(ctx context.Context, w http.ResponseWriter, logger *slog.Logger, err error) {
	if e, ok := errs.As(err); ok {
		writeError(w, http.StatusUnauthorized, e)
		return
	}
	if db.IsUnavailable(err) {
		logger.ErrorContext(ctx, "database unavailable while authenticating", "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(int(unavailableRetry.Seconds())))
		writeError(w, http.StatusServiceUnavailable, errUnavailable)
		return
	}
	if errors.Is(err, context.Canceled) && errors.Is(ctx.Err(), context.Canceled) {
		// The client went away while its credential was being checked: nothing failed here, and
		// nobody reads the answer.
		logger.DebugContext(ctx, "request cancelled by its client during authentication")
		return
	}
	logger.ErrorContext(ctx, "authenticating request", "err", err)
	writeError(w, http.StatusInternalServerError, &errs.Error{Code: errs.CodeInternal, Message: "internal server error"})
}

// writeError answers with a GraphQL-shaped error body, for failures before GraphQL runs.
func writeError(w http.ResponseWriter, status int, e *errs.Error) {
	ext := map[string]any{"code": string(e.Code)}
	if e.Field != "" {
		ext["field"] = e.Field
	}
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
			refused(r, refusedBodyTooLarge)
			writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
			return
		}
		if r.Method == http.MethodPost && r.Body != nil {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
			if err != nil {
				if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
					refused(r, refusedBodyTooLarge)
					writeError(w, http.StatusRequestEntityTooLarge, tooLarge)
					return
				}
				refused(r, refusedBadRequest)
				writeError(w, http.StatusBadRequest, errs.Invalid("", "could not read the request body"))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// withCORS answers browsers from other origins. An origin of the allow-list may call the API
// with credentials (its cookie); the wildcard "*" lets any origin call it without credentials, so
// a page of any site can use a bearer token it holds but never the visitor's cookie.
func withCORS(origins []string, next http.Handler) http.Handler {
	wildcard := slices.Contains(origins, "*")
	explicit := explicitOrigins(origins)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		switch {
		case slices.Contains(explicit, origin):
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
		case wildcard:
			h.Set("Access-Control-Allow-Origin", "*")
		default:
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" && !sameOrigin(origin, r.Host) {
				refused(r, refusedCORS) // answered without CORS headers, so the browser refuses the call
			}
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		h.Set("Access-Control-Expose-Headers", "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Request-Id")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// withGraphQLRequests refuses what no GraphQL transport takes before anything runs, with a code
// like every other error: methods other than GET, POST and OPTIONS (405), and POST bodies that are
// not JSON (415; only JSON needs a CORS preflight).
func withGraphQLRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodOptions:
		case http.MethodPost:
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != mediaJSON {
				refused(r, refusedMediaType)
				writeError(w, http.StatusUnsupportedMediaType, errs.Invalid("", "send GraphQL requests as application/json"))
				return
			}
		default:
			refused(r, refusedMethod)
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, errs.Invalid("", "use POST, or GET for queries"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// apiCSP keeps every API response inert in a browser: it loads nothing and may not be framed.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// withSecurityHeaders sets the headers that keep browsers from sniffing, framing or leaking
// referrers on every response; the embedded pages and their assets get their own policy (webCSP).
func withSecurityHeaders(production bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if isWebPath(r.URL.Path) {
			h.Set("Content-Security-Policy", webCSP)
		} else {
			h.Set("Content-Security-Policy", apiCSP)
		}
		if production {
			h.Set("Strict-Transport-Security", "max-age=31536000")
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
				logger.ErrorContext(r.Context(), "panic in HTTP handler", "panic", p, "path", r.URL.Path)
				writeError(w, http.StatusInternalServerError, &errs.Error{Code: errs.CodeInternal, Message: "internal server error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}
