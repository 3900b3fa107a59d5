// Package oidc is sign-in through OpenID Connect providers, for browsers: the authorization code
// flow with state, nonce and PKCE (GET /oauth/{provider}/login and /callback), ending in the
// usual session cookie and a redirect to an allowed front-end URL, and OpenID Connect
// Back-Channel Logout (POST /oauth/{provider}/backchannel-logout), which ends the sessions of the
// account the provider names. The providers come from the "oauth" configuration section; what an
// identity may do once verified is internal/externalauth's.
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/identity"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/externalauth"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
)

// Config wires a Handler.
type Config struct {
	DB       *db.DB
	Settings *settings.Store
	SignIn   *externalauth.Service
	Sessions *sessions.Service
	Audit    *audit.Log
	// Secret is the server's signing secret; the flow cookie's key is derived from it.
	Secret    []byte
	Redirects Redirects
	// SetSession hands the browser the new session (the httpOnly token cookie).
	SetSession func(w http.ResponseWriter, issued sessions.Issued)
	// CookieSecure marks the flow cookie Secure.
	CookieSecure bool
	// HTTPClient talks to the providers; nil means a client with a 10 second timeout.
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.DB == nil || c.Settings == nil || c.SignIn == nil || c.Sessions == nil || c.Audit == nil || c.SetSession == nil {
		return errors.New("oidc: DB, Settings, SignIn, Sessions, Audit and SetSession are required")
	}
	if len(c.Secret) < 32 {
		return errors.New("oidc: Secret must be at least 32 bytes")
	}
	return nil
}

// Handler serves the browser flow and back-channel logout of every configured provider.
type Handler struct {
	cfg    Config
	states stateSigner
	client *http.Client

	// mu guards discovered, the providers' discovery documents and keys by issuer.
	mu         sync.Mutex
	discovered map[string]discovery
}

type discovery struct {
	provider *gooidc.Provider
	at       time.Time
}

// The bounds of the flow: how long a browser may take at the provider, and how long a
// discovery document is trusted before it is read again (key rotation is handled by go-oidc,
// which refetches the keys when a token names an unknown one).
const (
	flowTTL      = 10 * time.Minute
	discoveryTTL = time.Hour
	// flowCookie holds the signed flow state between login and callback.
	flowCookie = "steward_oauth_flow"
)

// New returns a Handler.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Handler{cfg: cfg, states: newStateSigner(cfg.Secret, cfg.Now), client: client,
		discovered: map[string]discovery{}}, nil
}

// LoginPath is the path that starts a sign-in through provider id.
func LoginPath(id string) string { return "/oauth/" + url.PathEscape(id) + "/login" }

// provider returns the configured provider named in the request path.
func (h *Handler) provider(r *http.Request) (settings.OAuthProvider, bool, error) {
	o, err := h.cfg.Settings.OAuth(r.Context())
	if err != nil {
		return settings.OAuthProvider{}, false, err
	}
	p, ok := o.Provider(r.PathValue("provider"))
	return p, ok, nil
}

// discover returns p's discovery document, from the cache when it is fresh.
func (h *Handler) discover(ctx context.Context, p settings.OAuthProvider) (*gooidc.Provider, error) {
	now := h.cfg.Now()
	h.mu.Lock()
	d, ok := h.discovered[p.IssuerURL]
	h.mu.Unlock()
	if ok && now.Sub(d.at) < discoveryTTL {
		return d.provider, nil
	}
	ctx, cancel := context.WithTimeout(gooidc.ClientContext(ctx, h.client), h.client.Timeout+time.Second)
	defer cancel()
	op, err := gooidc.NewProvider(ctx, p.IssuerURL)
	if err != nil {
		return nil, fmt.Errorf("discovering %s: %w", p.IssuerURL, err)
	}
	h.mu.Lock()
	h.discovered[p.IssuerURL] = discovery{provider: op, at: now}
	h.mu.Unlock()
	return op, nil
}

// redirectURI is where the provider sends the browser back: the configured one, or the
// callback path on the front end's origin, or on this request's host.
func (h *Handler) redirectURI(r *http.Request, p settings.OAuthProvider) string {
	if p.RedirectURI != "" {
		return p.RedirectURI
	}
	origin := h.cfg.Redirects.Origin()
	if origin == "" {
		scheme := "http"
		if r.TLS != nil || h.cfg.CookieSecure {
			scheme = "https"
		}
		origin = scheme + "://" + r.Host
	}
	return origin + "/oauth/" + url.PathEscape(p.ID) + "/callback"
}

func (h *Handler) oauth2Config(r *http.Request, p settings.OAuthProvider, op *gooidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(),
		RedirectURL: h.redirectURI(r, p), Scopes: p.Scopes}
}

// Login starts a sign-in: it remembers state, nonce, PKCE verifier and the return URL in the flow
// cookie and sends the browser to the provider. ?redirect= names where to go afterwards; a target
// outside the allow-list is refused with 400.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) {
	p, ok, err := h.provider(r)
	if err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "reading OAuth settings", "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "sign-in is unavailable, try again later")
		return
	}
	if !ok {
		writeJSONError(w, http.StatusNotFound, "NOT_FOUND", "no such sign-in provider")
		return
	}
	target, err := h.cfg.Redirects.Resolve(r.URL.Query().Get("redirect"))
	if err != nil {
		h.cfg.Logger.WarnContext(r.Context(), "OAuth login with a redirect outside the allow-list refused", "provider", p.ID)
		writeJSONError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
		return
	}
	op, err := h.discover(r.Context(), p)
	if err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "identity provider unreachable", "provider", p.ID, "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, "SERVICE_UNAVAILABLE", "the identity provider cannot be reached, try again later")
		return
	}
	st := flowState{Provider: p.ID, State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier(), Return: target}
	signed, err := h.states.sign(st, flowTTL)
	if err != nil {
		h.cfg.Logger.ErrorContext(r.Context(), "signing the OAuth flow state", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", "internal server error")
		return
	}
	http.SetCookie(w, h.flowCookie(signed, int(flowTTL.Seconds())))
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, h.oauth2Config(r, p, op).AuthCodeURL(st.State, gooidc.Nonce(st.Nonce),
		oauth2.S256ChallengeOption(st.Verifier)), http.StatusFound)
}

// flowCookie is the flow state cookie: httpOnly, for the /oauth/ paths only, and Lax so that the
// provider's top-level redirect back carries it.
func (h *Handler) flowCookie(value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: flowCookie, Value: value, Path: "/oauth/", HttpOnly: true, Secure: h.cfg.CookieSecure,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge}
	if value == "" {
		c.MaxAge = -1
	}
	return c
}

// Callback finishes a sign-in: it checks the state against the flow cookie, exchanges the code
// with the PKCE verifier, verifies the ID token and its nonce, and signs the identity in. Every
// failure sends the browser back to the front end with ?error=<reason> and no session.
func (h *Handler) Callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "no-store")
	// The flow cookie is good for one callback, whatever happens next.
	http.SetCookie(w, h.flowCookie("", -1))
	st, err := h.flowFrom(r)
	if err != nil {
		h.cfg.Logger.WarnContext(ctx, "OAuth callback refused", "provider", r.PathValue("provider"), "reason", "invalid_state", "cause", err.Error())
		h.fail(w, r, h.cfg.Redirects.Home(), "invalid_state")
		return
	}
	if e := r.URL.Query().Get("error"); e != "" {
		h.cfg.Logger.WarnContext(ctx, "identity provider refused the sign-in", "provider", st.Provider, "error", truncate(e, 64))
		h.fail(w, r, st.Return, "provider_error")
		return
	}
	p, ok, err := h.provider(r)
	if err != nil || !ok {
		h.cfg.Logger.WarnContext(ctx, "OAuth callback for a provider that is not configured", "provider", st.Provider)
		h.fail(w, r, st.Return, "provider_unavailable")
		return
	}
	id, err := h.identity(r, p, st)
	if err != nil {
		var bad *badIDToken
		if errors.As(err, &bad) {
			// The provider issued a code for this flow, so this is no outsider's noise: audit it.
			h.cfg.SignIn.Refused(ctx, externalauth.Identity{Method: "oidc", Provider: p.Source(), Subject: bad.subject}, "invalid_token", err)
		} else {
			h.cfg.Logger.WarnContext(ctx, "OAuth callback refused", "provider", p.ID, "reason", "invalid_token", "cause", err.Error())
		}
		h.fail(w, r, st.Return, "invalid_token")
		return
	}
	res, err := h.cfg.SignIn.SignIn(ctx, id, Policy(p))
	if err != nil {
		reason := externalauth.ReasonOf(err)
		if reason == "" {
			// Refusals are logged by externalauth; anything else is ours to log.
			h.cfg.Logger.ErrorContext(ctx, "OAuth sign-in failed", "provider", p.ID, "err", err)
			reason = "signin_failed"
		}
		h.fail(w, r, st.Return, reason)
		return
	}
	h.cfg.SetSession(w, res.Issued)
	http.Redirect(w, r, st.Return, http.StatusFound)
}

// flowFrom returns the flow state of the request's cookie after checking that the provider
// echoed its state and that it belongs to the provider in the path.
func (h *Handler) flowFrom(r *http.Request) (flowState, error) {
	c, err := r.Cookie(flowCookie)
	if err != nil {
		return flowState{}, errors.New("no flow cookie")
	}
	st, err := h.states.parse(c.Value)
	if err != nil {
		return flowState{}, err
	}
	if st.Provider != r.PathValue("provider") {
		return flowState{}, errors.New("the flow was started for another provider")
	}
	got := r.URL.Query().Get("state")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(st.State)) != 1 {
		return flowState{}, errors.New("state does not match the flow cookie")
	}
	return st, nil
}

// identity exchanges the code and reads the verified identity: ID token claims, completed by
// userinfo when the provider has it.
func (h *Handler) identity(r *http.Request, p settings.OAuthProvider, st flowState) (externalauth.Identity, error) {
	code := r.URL.Query().Get("code")
	if code == "" {
		return externalauth.Identity{}, errors.New("no code")
	}
	ctx, cancel := context.WithTimeout(gooidc.ClientContext(r.Context(), h.client), 2*h.client.Timeout)
	defer cancel()
	op, err := h.discover(ctx, p)
	if err != nil {
		return externalauth.Identity{}, err
	}
	tok, err := h.oauth2Config(r, p, op).Exchange(ctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return externalauth.Identity{}, fmt.Errorf("exchanging the code: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return externalauth.Identity{}, errors.New("the token response has no id_token")
	}
	idt, err := op.Verifier(&gooidc.Config{ClientID: p.ClientID, Now: h.cfg.Now}).Verify(ctx, raw)
	if err != nil {
		return externalauth.Identity{}, &badIDToken{cause: fmt.Errorf("verifying the ID token: %w", err)}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return externalauth.Identity{}, &badIDToken{subject: idt.Subject, cause: errors.New("the ID token's nonce does not match the flow")}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return externalauth.Identity{}, fmt.Errorf("reading ID token claims: %w", err)
	}
	if op.UserInfoEndpoint() != "" {
		info, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return externalauth.Identity{}, fmt.Errorf("reading userinfo: %w", err)
		}
		if info.Subject != idt.Subject {
			return externalauth.Identity{}, errors.New("userinfo is about another subject")
		}
		extra := map[string]any{}
		if err := info.Claims(&extra); err != nil {
			return externalauth.Identity{}, fmt.Errorf("reading userinfo claims: %w", err)
		}
		// The signed ID token wins; userinfo only fills in what it lacks.
		for k, v := range extra {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	return IdentityFrom(p, idt.Subject, claims), nil
}

// badIDToken is an ID token that the code exchange returned but that failed verification: a
// forged or replayed token, or a misconfigured provider.
type badIDToken struct {
	subject string
	cause   error
}

func (e *badIDToken) Error() string { return e.cause.Error() }
func (e *badIDToken) Unwrap() error { return e.cause }

// IdentityFrom maps a provider's verified claims to an identity, reading each claim at the
// configured dotted path.
func IdentityFrom(p settings.OAuthProvider, subject string, claims map[string]any) externalauth.Identity {
	name := claimString(claims, p.UsernameClaim)
	if name == "" {
		name = claimString(claims, "preferred_username")
	}
	return externalauth.Identity{
		Method: "oidc", Provider: p.Source(), Subject: subject,
		Email: claimString(claims, p.EmailClaim), EmailVerified: claimBool(claims, "email_verified"),
		Name: name, Picture: claimString(claims, p.PictureClaim),
		Roles:  claimList(claims, p.RolesClaim, p.ClaimSeparator),
		Groups: claimList(claims, p.GroupsClaim, p.ClaimSeparator),
	}
}

// Policy is what p's configuration allows its identities.
func Policy(p settings.OAuthProvider) externalauth.Policy {
	return externalauth.Policy{Signup: p.EnableSignup, MergeByEmail: p.MergeAccountsByEmail, AllowedDomains: p.AllowedDomains,
		RoleManagement: p.RoleManagement, RolesClaim: p.RolesClaim, AllowedRoles: p.AllowedRoles, AdminRoles: p.AdminRoles,
		GroupManagement: p.GroupManagement, GroupCreation: p.GroupCreation, BlockedGroups: p.BlockedGroups}
}

// fail sends the browser to target with ?error=reason.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, target, reason string) {
	u, err := url.Parse(target)
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	q := u.Query()
	q.Set("error", reason)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// backchannelLogoutEvent is the event a logout token must carry (OpenID Connect Back-Channel
// Logout 1.0, section 2.4).
const backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// BackchannelLogout ends the sessions of the account a provider's logout token names. The token
// must be signed by the provider, for this client, unexpired, carry the logout event and no
// nonce (so an ID token cannot pass for one), and name a subject.
func (h *Handler) BackchannelLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "no-store")
	p, ok, err := h.provider(r)
	if err != nil {
		h.cfg.Logger.ErrorContext(ctx, "reading OAuth settings", "err", err)
		writeLogoutError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "try again later")
		return
	}
	if !ok {
		writeLogoutError(w, http.StatusNotFound, "invalid_request", "no such provider")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeLogoutError(w, http.StatusBadRequest, "invalid_request", "send logout_token as a form")
		return
	}
	raw := r.PostForm.Get("logout_token")
	if raw == "" {
		writeLogoutError(w, http.StatusBadRequest, "invalid_request", "logout_token is required")
		return
	}
	op, err := h.discover(ctx, p)
	if err != nil {
		h.cfg.Logger.ErrorContext(ctx, "identity provider unreachable", "provider", p.ID, "err", err)
		writeLogoutError(w, http.StatusServiceUnavailable, "temporarily_unavailable", "try again later")
		return
	}
	subject, err := h.logoutSubject(gooidc.ClientContext(ctx, h.client), op, p, raw)
	if err != nil {
		h.cfg.Logger.WarnContext(ctx, "back-channel logout token refused", "provider", p.ID, "cause", err.Error())
		writeLogoutError(w, http.StatusBadRequest, "invalid_request", "the logout token is not valid")
		return
	}
	n, err := h.logout(ctx, p, subject)
	if err != nil {
		h.cfg.Logger.ErrorContext(ctx, "back-channel logout failed", "provider", p.ID, "err", err)
		writeLogoutError(w, http.StatusInternalServerError, "server_error", "the logout could not be applied")
		return
	}
	h.cfg.Logger.InfoContext(ctx, "back-channel logout", "provider", p.ID, "sessions", n)
	w.WriteHeader(http.StatusOK)
}

func (h *Handler) logoutSubject(ctx context.Context, op *gooidc.Provider, p settings.OAuthProvider, raw string) (string, error) {
	t, err := op.Verifier(&gooidc.Config{ClientID: p.ClientID, Now: h.cfg.Now}).Verify(ctx, raw)
	if err != nil {
		return "", err
	}
	var claims struct {
		Events map[string]json.RawMessage `json:"events"`
		Nonce  *string                    `json:"nonce"`
	}
	if err := t.Claims(&claims); err != nil {
		return "", err
	}
	if _, ok := claims.Events[backchannelLogoutEvent]; !ok {
		return "", errors.New("no back-channel logout event")
	}
	if claims.Nonce != nil {
		return "", errors.New("a logout token must not carry a nonce")
	}
	if t.Subject == "" {
		return "", errors.New("logout tokens without sub (sid only) are not supported")
	}
	return t.Subject, nil
}

// logout revokes every session of the account linked to subject at p and audits it; an unknown
// subject is not an error (the user may never have signed in here).
func (h *Handler) logout(ctx context.Context, p settings.OAuthProvider, subject string) (int, error) {
	return db.InTxResult(ctx, h.cfg.DB.Client, func(ctx context.Context) (int, error) {
		ctx = authz.As(ctx, authz.ProviderLogout)
		link, err := db.ClientFrom(ctx, h.cfg.DB.Client).Identity.Query().
			Where(identity.Provider(p.Source()), identity.Subject(subject)).Only(ctx)
		if ent.IsNotFound(err) {
			return 0, nil
		}
		if err != nil {
			return 0, fmt.Errorf("loading identity: %w", err)
		}
		n, err := h.cfg.Sessions.RevokeAll(ctx, link.UserID, "")
		if err != nil {
			return 0, err
		}
		return n, h.cfg.Audit.Record(ctx, audit.Entry{Action: audit.ProviderLogout, EntityType: "User", EntityID: link.UserID,
			Description: fmt.Sprintf("%d sessions ended by back-channel logout from %s", n, p.Source()),
			Changes:     map[string]audit.Change{"method": {New: "oidc"}, "provider": {New: p.Source()}, "sessions": {New: n}}})
	})
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}}})
}

// writeLogoutError answers the provider in OAuth's error format, as the logout spec asks.
func writeLogoutError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
