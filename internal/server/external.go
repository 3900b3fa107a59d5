package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/externalauth"
	"github.com/steward-dev/steward/internal/ldapauth"
	"github.com/steward-dev/steward/internal/metrics"
	"github.com/steward-dev/steward/internal/oidc"
	"github.com/steward-dev/steward/internal/ratelimit"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/internal/trustedheader"
)

// external is sign-in through external identities: the shared rules, the OpenID Connect browser
// flow and the trusted-header middleware (nil when the headers are not configured).
type external struct {
	service *externalauth.Service
	ldap    *ldapauth.Service
	oidc    *oidc.Handler
	header  *trustedheader.Middleware
	limits  *ratelimit.Policy
	timeout time.Duration
}

type externalDeps struct {
	cfg      config.Config
	db       *db.DB
	store    *settings.Store
	sessions *sessions.Service
	audit    *audit.Log
	onSignup func(ctx context.Context, c *ent.Client, u *ent.User) error
	limits   *ratelimit.Policy
	metrics  *metrics.ExternalSignins
	logger   *slog.Logger
	now      func() time.Time
}

func newExternal(d externalDeps) (*external, error) {
	svc, err := externalauth.New(externalauth.Config{DB: d.db, Sessions: d.sessions, Settings: d.store, Audit: d.audit,
		Logger: d.logger, Now: d.now, OnSignup: d.onSignup, Observe: d.metrics.Observe})
	if err != nil {
		return nil, err
	}
	setSession := func(w http.ResponseWriter, issued sessions.Issued) {
		http.SetCookie(w, makeTokenCookie(issued.Token, issued.ExpiresAt, d.cfg.CookieSecure))
	}
	secret, err := d.cfg.Secret()
	if err != nil {
		return nil, err
	}
	redirects, err := oidc.NewRedirects(d.cfg.External.WebUIURL, d.cfg.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	flow, err := oidc.New(oidc.Config{DB: d.db, Settings: d.store, SignIn: svc, Sessions: d.sessions, Audit: d.audit,
		Secret: secret, Redirects: redirects, SetSession: setSession, CookieSecure: d.cfg.CookieSecure, Logger: d.logger, Now: d.now})
	if err != nil {
		return nil, err
	}
	e := d.cfg.External
	header, err := trustedheader.New(trustedheader.Config{EmailHeader: e.TrustedEmailHeader, NameHeader: e.TrustedNameHeader,
		GroupsHeader: e.TrustedGroupsHeader, Proxies: d.cfg.TrustedProxies, Client: d.db.Client, SignIn: svc, Settings: d.store,
		SetSession: setSession, Logger: d.logger})
	if err != nil {
		return nil, fmt.Errorf("trusted header sign-in: %w", err)
	}
	directory, err := ldapauth.NewService(ldapauth.Config{Settings: d.store, SignIn: svc, Limits: d.limits, Logger: d.logger})
	if err != nil {
		return nil, err
	}
	return &external{service: svc, ldap: directory, oidc: flow, header: header, limits: d.limits, timeout: outerDeadline(d.cfg.Limits.Timeout)}, nil
}

// mount adds the browser flow's routes (the API contract's /oauth/{provider}/login and
// /callback) and the provider's back-channel logout.
func (e *external) mount(mux *http.ServeMux) {
	route := func(f http.HandlerFunc) http.Handler { return withDeadline(e.timeout, withRequestLimit(e.limits, f)) }
	mux.Handle("GET /oauth/{provider}/login", route(e.oidc.Login))
	mux.Handle("GET /oauth/{provider}/callback", route(e.oidc.Callback))
	mux.Handle("POST /oauth/{provider}/backchannel-logout", route(e.oidc.BackchannelLogout))
}

// withRequestLimit counts the request against its address's request ceiling, as GraphQL requests
// are: each of these routes may cost a call to the identity provider.
func withRequestLimit(limits *ratelimit.Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if limits != nil {
			ctx := ratelimit.WithHeaders(r.Context(), ratelimit.NewHeaderSink(w.Header().Set))
			if err := limits.Request(ctx); err != nil {
				e, ok := errs.As(err)
				if !ok {
					e = &errs.Error{Code: errs.CodeRateLimited, Message: "too many requests from this address"}
				}
				writeError(w, http.StatusTooManyRequests, e)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
