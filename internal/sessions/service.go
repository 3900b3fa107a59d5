// Package sessions issues, authenticates and revokes credentials: signed tokens, each backed by a
// session row so that revocation works on the database alone, and hashed API keys.
package sessions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/apikey"
	"github.com/steward-dev/steward/ent/privacy"
	"github.com/steward-dev/steward/ent/session"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/settings"
)

// PermissionChecker answers permission questions; internal/permissions implements it.
type PermissionChecker interface {
	Has(ctx context.Context, v *auth.Viewer, key string) (bool, error)
}

// Config wires a Service.
type Config struct {
	Client      *ent.Client
	Tokens      *auth.Tokens
	Settings    *settings.Store
	Permissions PermissionChecker
	// Audit records revocations an admin makes of someone else's credentials.
	Audit *audit.Log
	// Bus announces revocations, so live subscriptions of a revoked credential end at once.
	Bus events.Bus
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OpenWebUI accepts the tokens Open WebUI issued, for the accounts imported from it, until
	// the window ends.
	OpenWebUI OpenWebUIWindow
	// CacheTTL, when positive, caches authenticated credentials for that long (see
	// credentialCache). Replicas keep their caches coherent through Bus (every replica's
	// credential changes reach it there); TTL bounds what a lost event can outlive.
	CacheTTL time.Duration
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	switch {
	case c.Client == nil:
		return errors.New("sessions: Client is required")
	case c.Tokens == nil:
		return errors.New("sessions: Tokens is required")
	case c.Settings == nil:
		return errors.New("sessions: Settings is required")
	case c.Permissions == nil:
		return errors.New("sessions: Permissions is required")
	case c.Audit == nil:
		return errors.New("sessions: Audit is required")
	case c.Bus == nil:
		return errors.New("sessions: Bus is required")
	}
	return nil
}

// Service manages sessions and API keys.
type Service struct {
	client   *ent.Client
	tokens   *auth.Tokens
	settings *settings.Store
	perms    PermissionChecker
	audit    *audit.Log
	bus      events.Bus
	now      func() time.Time
	cache    *credentialCache // nil when disabled
	// openWebUI is the window in which Open WebUI's tokens are accepted.
	openWebUI OpenWebUIWindow

	// touchMu guards lastTouch, which throttles last-used writes to one per credential a minute,
	// so authentication stays a read on the hot path.
	touchMu   sync.Mutex
	lastTouch map[string]time.Time
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{client: cfg.Client, tokens: cfg.Tokens, settings: cfg.Settings, perms: cfg.Permissions,
		audit: cfg.Audit, bus: cfg.Bus, now: cfg.Now, lastTouch: map[string]time.Time{},
		cache: newCredentialCache(cfg.CacheTTL), openWebUI: cfg.OpenWebUI}
	if err := s.cache.follow(cfg.Bus); err != nil {
		return nil, err
	}
	return s, nil
}

// Issued is a freshly signed token.
type Issued struct {
	Token     string
	SessionID string
	// ExpiresAt is nil for tokens that never expire.
	ExpiresAt *time.Time
}

// Issue creates a session row for userID and signs its token, in ctx's transaction.
func (s *Service) Issue(ctx context.Context, userID string) (Issued, error) {
	if err := authz.Require(ctx, authz.IssueSessions); err != nil {
		return Issued{}, err
	}
	a, err := s.settings.Auth(ctx)
	if err != nil {
		return Issued{}, err
	}
	u, err := db.ClientFrom(ctx, s.client).User.Query().Where(user.ID(userID)).Select(user.FieldSuspendedAt).Only(authz.As(ctx, authz.Credentials))
	if err != nil {
		return Issued{}, fmt.Errorf("loading account: %w", err)
	}
	if err := authz.NotSuspended(u.SuspendedAt); err != nil {
		return Issued{}, err
	}
	req := auth.RequestFrom(ctx)
	create := db.ClientFrom(ctx, s.client).Session.Create().SetUserID(userID).
		SetIP(truncate(req.IP, 64)).SetUserAgent(truncate(req.UserAgent, 512))
	ttl := a.TokenTTL()
	var expires *time.Time
	if ttl > 0 {
		e := s.now().UTC().Add(ttl)
		expires = &e
		create.SetExpiresAt(e)
	}
	row, err := create.Save(authz.As(ctx, authz.Credentials))
	if err != nil {
		return Issued{}, fmt.Errorf("creating session: %w", err)
	}
	token, _, err := s.tokens.Issue(userID, row.ID, ttl)
	if err != nil {
		return Issued{}, err
	}
	return Issued{Token: token, SessionID: row.ID, ExpiresAt: expires}, nil
}

// errBadCredential is the one answer for every refused credential, so callers cannot tell a
// revoked token from a forged one.
var errBadCredential = errs.Unauthenticated("invalid or expired credentials")

// Authenticate turns a bearer credential (a JWT or an sk- API key) into a Viewer with the owner's
// current role. Revoked or expired sessions and keys, deleted users and tampered tokens are all
// UNAUTHENTICATED.
func (s *Service) Authenticate(ctx context.Context, credential string) (*auth.Viewer, error) {
	sys := authz.As(ctx, authz.Credentials)
	now := s.now().UTC()
	if auth.LooksLikeAPIKey(credential) {
		return s.authenticateAPIKey(ctx, credential, now)
	}
	claims, err := s.tokens.Parse(credential)
	if err != nil {
		// Open WebUI's tokens carry no jti, so only this path can accept one.
		return s.authenticateOpenWebUI(ctx, credential, now)
	}
	if v, ok := s.cache.get("s:"+claims.ID, now); ok && v.UserID == claims.UserID {
		s.touchViewer(ctx, v, now)
		return v, nil
	}
	gen := s.cache.begin()
	row, err := s.client.Session.Query().Where(session.ID(claims.ID)).WithUser().Only(sys)
	if err != nil {
		if ent.IsNotFound(err) {
			// Newer Open WebUI versions add a jti, which names no session here.
			return s.authenticateOpenWebUI(ctx, credential, now)
		}
		return nil, fmt.Errorf("loading session: %w", err)
	}
	u := row.Edges.User
	if row.RevokedAt != nil || row.UserID != claims.UserID || u == nil ||
		(row.ExpiresAt != nil && !now.Before(*row.ExpiresAt)) {
		return nil, errBadCredential
	}
	if err := authz.NotSuspended(u.SuspendedAt); err != nil {
		return nil, err // its sessions were revoked when it was suspended: belt and braces
	}
	v := &auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role), SessionID: row.ID}
	s.cache.put("s:"+row.ID, v, gen, now, row.ExpiresAt)
	s.touchViewer(ctx, v, now)
	return v, nil
}

// touchViewer records that v's credential (session or API key) and user were just active
// (lastUsedAt, User.lastActiveAt and isActive).
func (s *Service) touchViewer(ctx context.Context, v *auth.Viewer, now time.Time) {
	switch {
	case v.SessionID != "":
		s.touch(ctx, "s:"+v.SessionID, now, func(c context.Context) error {
			return s.client.Session.UpdateOneID(v.SessionID).SetLastUsedAt(now).Exec(c)
		})
	case v.APIKeyID != "":
		s.touch(ctx, "k:"+v.APIKeyID, now, func(c context.Context) error {
			return s.client.APIKey.UpdateOneID(v.APIKeyID).SetLastUsedAt(now).Exec(c)
		})
	}
	s.touch(ctx, "u:"+v.UserID, now, func(c context.Context) error {
		return s.client.User.UpdateOneID(v.UserID).SetLastActiveAt(now).Exec(c)
	})
}

func (s *Service) authenticateAPIKey(ctx context.Context, secret string, now time.Time) (*auth.Viewer, error) {
	a, err := s.settings.Auth(ctx)
	if err != nil {
		return nil, err
	}
	if !a.EnableAPIKeys {
		return nil, errs.Unauthenticated("API keys are disabled on this server")
	}
	hash := auth.HashAPIKey(secret)
	if v, ok := s.cache.get("k:"+hash, now); ok {
		s.touchViewer(ctx, v, now)
		return v, nil
	}
	gen := s.cache.begin()
	key, err := s.client.APIKey.Query().Where(apikey.KeyHash(hash)).WithUser().Only(authz.As(ctx, authz.Credentials))
	if err != nil {
		if ent.IsNotFound(err) {
			return nil, errBadCredential
		}
		return nil, fmt.Errorf("loading API key: %w", err)
	}
	u := key.Edges.User
	if u == nil || (key.ExpiresAt != nil && !now.Before(*key.ExpiresAt)) {
		return nil, errBadCredential
	}
	if err := authz.NotSuspended(u.SuspendedAt); err != nil {
		return nil, err
	}
	v := &auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role), APIKeyID: key.ID}
	s.cache.put("k:"+hash, v, gen, now, key.ExpiresAt)
	s.touchViewer(ctx, v, now)
	return v, nil
}

// touch runs write at most once a minute per key, off the request's critical path.
func (s *Service) touch(ctx context.Context, key string, now time.Time, write func(context.Context) error) {
	s.touchMu.Lock()
	last, seen := s.lastTouch[key]
	if seen && now.Sub(last) < time.Minute {
		s.touchMu.Unlock()
		return
	}
	s.lastTouch[key] = now
	if len(s.lastTouch) > 100_000 {
		// Bounded memory: forgetting entries only costs an extra write.
		s.lastTouch = map[string]time.Time{key: now}
	}
	s.touchMu.Unlock()
	bg := authz.As(context.WithoutCancel(ctx), authz.Credentials)
	go func() {
		c, cancel := context.WithTimeout(bg, 5*time.Second)
		defer cancel()
		_ = write(c) // best effort: a missed last-used time is harmless
	}()
}

// Revoke revokes one session: ManageCredentials of its owner. A session the caller may not see is
// NOT_FOUND, like one that does not exist.
func (s *Service) Revoke(ctx context.Context, id string) error {
	return db.InTx(ctx, s.client, func(ctx context.Context, _ *ent.Client) error { return s.revoke(ctx, id) })
}

// revoke is Revoke inside its transaction.
func (s *Service) revoke(ctx context.Context, id string) error {
	v := auth.ViewerFrom(ctx)
	c := db.ClientFrom(ctx, s.client)
	row, err := c.Session.Get(ctx, id) // privacy narrows non-admins to their own rows
	if ent.IsNotFound(err) || errors.Is(err, privacy.Deny) {
		return errs.NotFound("session")
	}
	if err != nil {
		return fmt.Errorf("loading session: %w", err)
	}
	if err := authz.Require(ctx, authz.ManageCredentials(row.UserID)); err != nil {
		return errs.NotFound("session")
	}
	if row.RevokedAt != nil {
		return nil
	}
	if err := c.Session.UpdateOneID(id).SetRevokedAt(s.now().UTC()).Exec(authz.As(ctx, authz.Credentials)); err != nil {
		return fmt.Errorf("revoking session: %w", err)
	}
	s.announce(ctx, row.UserID)
	if row.UserID == v.UserID {
		return nil
	}
	return s.audit.Record(ctx, audit.Entry{Action: audit.SessionRevoked, EntityType: "Session", EntityID: id,
		Description: "admin revoked a session of user " + row.UserID})
}

// RevokeAll revokes every live session of userID except keep (which may be empty):
// ManageCredentials of userID.
func (s *Service) RevokeAll(ctx context.Context, userID, keep string) (int, error) {
	if err := authz.Require(ctx, authz.ManageCredentials(userID)); err != nil {
		return 0, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (int, error) { return s.revokeAll(ctx, userID, keep) })
}

// revokeAll is RevokeAll inside its transaction.
func (s *Service) revokeAll(ctx context.Context, userID, keep string) (int, error) {
	q := db.ClientFrom(ctx, s.client).Session.Update().
		Where(session.UserID(userID), session.RevokedAtIsNil())
	if keep != "" {
		q.Where(session.IDNEQ(keep))
	}
	n, err := q.SetRevokedAt(s.now().UTC()).Save(authz.As(ctx, authz.Credentials))
	if err != nil {
		return 0, fmt.Errorf("revoking sessions: %w", err)
	}
	// Open WebUI's tokens of the account have no rows to revoke: end them all (this announces).
	return n, s.endOpenWebUITokens(ctx, userID)
}

// List returns the sessions of userID, newest first: ManageCredentials of userID.
func (s *Service) List(ctx context.Context, userID string, includeRevoked bool) ([]*ent.Session, error) {
	if err := authz.Require(ctx, authz.ManageCredentials(userID)); err != nil {
		return nil, err
	}
	q := db.ClientFrom(ctx, s.client).Session.Query().Where(session.UserID(userID))
	if !includeRevoked {
		q.Where(session.RevokedAtIsNil())
	}
	return q.Order(ent.Desc(session.FieldCreatedAt), ent.Desc(session.FieldID)).All(ctx)
}

// CreateAPIKeyInput describes a new API key.
type CreateAPIKeyInput struct {
	Name      string
	ExpiresAt *time.Time
}

// Validate checks the input against now.
func (in CreateAPIKeyInput) Validate(now time.Time) error {
	if strings.TrimSpace(in.Name) == "" || len(in.Name) > 255 {
		return errs.Invalid("name", "must be 1 to 255 characters")
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		return errs.Invalid("expiresAt", "must be in the future")
	}
	return nil
}

// CreateAPIKey creates a key for the viewer and returns its secret, the only time it is shown:
// CreateAPIKeys (admins, and users with features.api_keys), and ENABLE_API_KEYS on.
func (s *Service) CreateAPIKey(ctx context.Context, in CreateAPIKeyInput) (string, *ent.APIKey, error) {
	if err := authz.Require(ctx, authz.CreateAPIKeys(s.perms)); err != nil {
		return "", nil, err
	}
	v := auth.ViewerFrom(ctx)
	a, err := s.settings.Auth(ctx)
	if err != nil {
		return "", nil, err
	}
	if !a.EnableAPIKeys {
		return "", nil, errs.Forbidden("API keys are disabled on this server (ENABLE_API_KEYS)")
	}
	if err := in.Validate(s.now()); err != nil {
		return "", nil, err
	}
	secret, hash, display, err := auth.NewAPIKey()
	if err != nil {
		return "", nil, err
	}
	key, err := db.ClientFrom(ctx, s.client).APIKey.Create().SetUserID(v.UserID).
		SetName(strings.TrimSpace(in.Name)).SetPrefix(display).SetKeyHash(hash).
		SetNillableExpiresAt(in.ExpiresAt).Save(authz.As(ctx, authz.Credentials))
	if err != nil {
		return "", nil, fmt.Errorf("creating API key: %w", err)
	}
	return secret, key, nil
}

// ListAPIKeys returns the keys of userID: ManageCredentials of userID.
func (s *Service) ListAPIKeys(ctx context.Context, userID string) ([]*ent.APIKey, error) {
	if err := authz.Require(ctx, authz.ManageCredentials(userID)); err != nil {
		return nil, err
	}
	return db.ClientFrom(ctx, s.client).APIKey.Query().Where(apikey.UserID(userID)).
		Order(ent.Desc(apikey.FieldCreatedAt), ent.Desc(apikey.FieldID)).All(ctx)
}

// RevokeAPIKey deletes a key: ManageCredentials of its owner. A key the caller may not see is
// NOT_FOUND, like one that does not exist.
func (s *Service) RevokeAPIKey(ctx context.Context, id string) (*ent.APIKey, error) {
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.APIKey, error) { return s.revokeAPIKey(ctx, id) })
}

// revokeAPIKey is RevokeAPIKey inside its transaction.
func (s *Service) revokeAPIKey(ctx context.Context, id string) (*ent.APIKey, error) {
	v := auth.ViewerFrom(ctx)
	c := db.ClientFrom(ctx, s.client)
	key, err := c.APIKey.Get(ctx, id)
	if ent.IsNotFound(err) || errors.Is(err, privacy.Deny) ||
		(err == nil && authz.Require(ctx, authz.ManageCredentials(key.UserID)) != nil) {
		return nil, errs.NotFound("API key")
	}
	if err != nil {
		return nil, fmt.Errorf("loading API key: %w", err)
	}
	if err := c.APIKey.DeleteOneID(id).Exec(authz.As(ctx, authz.Credentials)); err != nil {
		return nil, fmt.Errorf("revoking API key: %w", err)
	}
	s.announce(ctx, key.UserID)
	if key.UserID != v.UserID {
		err = s.audit.Record(ctx, audit.Entry{Action: audit.APIKeyRevoked, EntityType: "APIKey", EntityID: id,
			Description: fmt.Sprintf("admin revoked API key %q (%s) of user %s", key.Name, key.Prefix, key.UserID)})
	}
	return key, err
}

// announce is CredentialsChanged for this package's own changes.
func (s *Service) announce(ctx context.Context, userID string) { s.CredentialsChanged(ctx, userID) }

// CredentialsChanged says that userID's credentials changed (revocation, role change, deletion):
// once ctx's transaction commits, the credential cache forgets them and live subscriptions of
// that user re-check theirs. Every package that changes accounts calls it.
func (s *Service) CredentialsChanged(ctx context.Context, userID string) {
	db.AfterCommit(ctx, func() {
		s.cache.invalidate(userID)
		_ = events.CredentialsChanged(context.WithoutCancel(ctx), s.bus, userID) // best effort: streams also re-check periodically
	})
}

// StillValid reports whether v's credential still authenticates with the same role; live
// subscriptions end when it does not. A database error counts as valid, so a blip does not drop
// every subscriber; the next check decides.
func (s *Service) StillValid(ctx context.Context, v *auth.Viewer) bool {
	sys := authz.As(ctx, authz.Credentials)
	now := s.now().UTC()
	var u *ent.User
	switch {
	case v.SessionID != "":
		row, err := s.client.Session.Query().Where(session.ID(v.SessionID)).WithUser().Only(sys)
		if err != nil {
			return !ent.IsNotFound(err)
		}
		if row.RevokedAt != nil || (row.ExpiresAt != nil && !now.Before(*row.ExpiresAt)) {
			return false
		}
		u = row.Edges.User
	case v.APIKeyID != "":
		key, err := s.client.APIKey.Query().Where(apikey.ID(v.APIKeyID)).WithUser().Only(sys)
		if err != nil {
			return !ent.IsNotFound(err)
		}
		if key.ExpiresAt != nil && !now.Before(*key.ExpiresAt) {
			return false
		}
		u = key.Edges.User
	case v.OpenWebUIToken:
		return s.stillValidOpenWebUI(ctx, v, now)
	default:
		return false
	}
	return u != nil && auth.Role(u.Role) == v.Role && u.SuspendedAt == nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Account returns the viewer of the account id, for a credential that speaks for it (the
// gateway's forwarded users, named on every model call), with NOT_FOUND when there is none. It
// goes through the credential cache, which forgets the account as soon as its role or
// credentials change (CredentialsChanged), and is off when replicas share the database.
func (s *Service) Account(ctx context.Context, id string) (*auth.Viewer, error) {
	now := s.now().UTC()
	if v, ok := s.cache.get("u:"+id, now); ok {
		return v, nil
	}
	gen := s.cache.begin()
	u, err := s.client.User.Query().Where(user.ID(id)).Only(authz.As(ctx, authz.Credentials))
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("loading account: %w", err)
	}
	if err := authz.NotSuspended(u.SuspendedAt); err != nil {
		return nil, err
	}
	v := &auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role)}
	s.cache.put("u:"+id, v, gen, now, nil)
	return v, nil
}
