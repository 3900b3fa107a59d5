// Package trustedheader signs in users whom an authenticating reverse proxy names in a header
// (WEBUI_AUTH_TRUSTED_EMAIL_HEADER, with the name and groups headers). The headers are believed
// only from the proxies of STEWARD_TRUSTED_PROXIES, as seen on the connection itself; from
// anyone else they are ignored and logged. A request whose token or API key belongs to another
// user than the header names is refused, so a stale cookie cannot outlive the proxy's session.
package trustedheader

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/externalauth"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/internal/users"
)

// Provider is the identity provider name and membership source of header sign-ins.
const Provider = "header"

// Config wires a Middleware.
type Config struct {
	// EmailHeader turns the method on; NameHeader and GroupsHeader are optional. GroupsHeader is
	// a comma-separated list of group names; when set, group memberships follow it.
	EmailHeader, NameHeader, GroupsHeader string
	// Proxies are the addresses the headers are believed from.
	Proxies  []netip.Prefix
	Client   *ent.Client
	SignIn   *externalauth.Service
	Settings *settings.Store
	// SetSession hands the browser the new session (the httpOnly token cookie).
	SetSession func(w http.ResponseWriter, issued sessions.Issued)
	Logger     *slog.Logger
}

// Middleware applies the trusted headers to requests.
type Middleware struct{ cfg Config }

// New returns a Middleware, or nil when EmailHeader is not set (the method is off).
func New(cfg Config) (*Middleware, error) {
	if cfg.EmailHeader == "" {
		return nil, nil
	}
	if cfg.Client == nil || cfg.SignIn == nil || cfg.Settings == nil || cfg.SetSession == nil {
		return nil, errors.New("trustedheader: Client, SignIn, Settings and SetSession are required")
	}
	if len(cfg.Proxies) == 0 {
		return nil, errors.New("WEBUI_AUTH_TRUSTED_EMAIL_HEADER needs STEWARD_TRUSTED_PROXIES: the header is believed only from your proxy's addresses")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Middleware{cfg: cfg}, nil
}

// Wrap runs after the viewer is known (from a token, a cookie or an API key): a request from a
// trusted proxy that names a user signs that user in when there is no viewer, and is refused when
// the viewer is someone else. A nil Middleware passes requests through.
func (m *Middleware) Wrap(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := strings.TrimSpace(r.Header.Get(m.cfg.EmailHeader))
		if raw == "" {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		if peer := peerAddr(r); !m.trusted(peer) {
			m.cfg.Logger.WarnContext(ctx, "trusted identity header from an address that is not a trusted proxy ignored",
				"header", m.cfg.EmailHeader, "peer", peer)
			next.ServeHTTP(w, r)
			return
		}
		email, err := users.NormalizeEmail("email", raw)
		if err != nil {
			m.cfg.Logger.WarnContext(ctx, "trusted identity header is not an email address", "header", m.cfg.EmailHeader)
			writeError(w, http.StatusUnauthorized, errs.Unauthenticated("the proxy's identity header is not a valid email address"))
			return
		}
		if v := auth.ViewerFrom(ctx); v != nil {
			u, err := m.cfg.Client.User.Get(authz.As(ctx, authz.Directory), v.UserID)
			if err != nil && !ent.IsNotFound(err) {
				m.cfg.Logger.ErrorContext(ctx, "loading the viewer for the trusted header", "err", err)
				writeError(w, http.StatusInternalServerError, &errs.Error{Code: errs.CodeInternal, Message: "internal server error"})
				return
			}
			if u == nil || u.Email != email {
				m.cfg.Logger.WarnContext(ctx, "credential of another user than the trusted header refused", "viewer", v.UserID)
				writeError(w, http.StatusUnauthorized, errs.Unauthenticated("this credential belongs to another user than the one your proxy signed in; sign out and try again"))
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		res, err := m.signIn(ctx, r, email)
		if err != nil {
			if e, ok := errs.As(err); ok {
				writeError(w, http.StatusForbidden, e)
				return
			}
			m.cfg.Logger.ErrorContext(ctx, "trusted header sign-in failed", "err", err)
			writeError(w, http.StatusInternalServerError, &errs.Error{Code: errs.CodeInternal, Message: "internal server error"})
			return
		}
		m.cfg.SetSession(w, res.Issued)
		v := &auth.Viewer{UserID: res.User.ID, Role: auth.Role(res.User.Role), SessionID: res.Issued.SessionID}
		next.ServeHTTP(w, r.WithContext(auth.WithViewer(ctx, v)))
	})
}

// signIn signs the header's user in under the password sign-up rules (ENABLE_SIGNUP, the default
// role, the first account becomes admin). The proxy vouches for the email, so an existing
// account with it is the same person.
func (m *Middleware) signIn(ctx context.Context, r *http.Request, email string) (externalauth.Result, error) {
	a, err := m.cfg.Settings.Auth(ctx)
	if err != nil {
		return externalauth.Result{}, err
	}
	id := externalauth.Identity{Method: "header", Provider: Provider, Subject: email, Email: email, EmailVerified: true}
	if m.cfg.NameHeader != "" {
		id.Name = strings.TrimSpace(r.Header.Get(m.cfg.NameHeader))
	}
	p := externalauth.Policy{Signup: a.EnableSignup, MergeByEmail: true}
	if m.cfg.GroupsHeader != "" {
		p.GroupManagement = true
		for _, g := range strings.Split(r.Header.Get(m.cfg.GroupsHeader), ",") {
			if g = strings.TrimSpace(g); g != "" {
				id.Groups = append(id.Groups, g)
			}
		}
	}
	return m.cfg.SignIn.SignIn(ctx, id, p)
}

func (m *Middleware) trusted(peer string) bool {
	addr, err := netip.ParseAddr(peer)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range m.cfg.Proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// peerAddr is the address of the connection itself: the proxy, never X-Forwarded-For.
func peerAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeError(w http.ResponseWriter, status int, e *errs.Error) {
	ext := map[string]any{"code": string(e.Code)}
	for k, v := range e.Extra {
		ext[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": e.Message, "extensions": ext}}})
}
