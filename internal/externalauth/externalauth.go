// Package externalauth signs in the accounts an external identity provider vouches for: an
// OpenID Connect provider (internal/oidc), the LDAP directory or a trusted proxy's headers. It
// holds the rules those methods share, written to fail closed where Open WebUI fails open:
//
//   - accounts are matched by (provider, subject); an existing account is linked by email only
//     when the policy allows it and the provider says the email is verified;
//   - with role management on, a user with no allowed role, or with no roles claim at all, does not
//     get in, and the log line says which;
//   - group memberships follow the provider's claim (internal/groupsync), admins included;
//   - every sign-in, refusal, link and group change is in the audit log with the method and
//     provider.
package externalauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/identity"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/groupsync"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/internal/users"
)

// Identity is who a provider says the user is.
type Identity struct {
	// Method is the sign-in method: "oidc", "ldap" or "header".
	Method string
	// Provider names the identity provider: "oidc:<id>", "ldap" or "header". It is the
	// identity's namespace and the source of the memberships it syncs.
	Provider string
	Subject  string
	Email    string
	// EmailVerified is the provider's word that the user controls Email.
	EmailVerified bool
	Name          string
	Picture       string
	// Roles and Groups are the provider's claims, already split into values.
	Roles  []string
	Groups []string
}

// Policy is what the provider's configuration allows.
type Policy struct {
	// Signup lets a user without an account get one (the very first account always may).
	Signup bool
	// MergeByEmail links an existing account with the same, verified, email.
	MergeByEmail   bool
	AllowedDomains []string
	// RoleManagement decides the role from Identity.Roles on every sign-in. RolesClaim names the
	// claim in log lines.
	RoleManagement           bool
	RolesClaim               string
	AllowedRoles, AdminRoles []string
	// GroupManagement makes the provider's memberships follow Identity.Groups.
	GroupManagement bool
	GroupCreation   bool
	BlockedGroups   []string
}

// Result is a signed-in account and its new session.
type Result struct {
	User   *ent.User
	Issued sessions.Issued
	// Created and Linked say whether this sign-in created the account or linked it by email.
	Created, Linked bool
	Groups          groupsync.Result
}

// The reasons a sign-in is refused, in the FORBIDDEN error's extensions.reason and in the
// browser flow's error parameter.
const (
	ReasonEmailMissing     = "email_missing"
	ReasonDomainNotAllowed = "domain_not_allowed"
	ReasonRolesMissing     = "roles_missing"
	ReasonRoleNotAllowed   = "role_not_allowed"
	ReasonSignupDisabled   = "signup_disabled"
	ReasonEmailTaken       = "email_taken"
	ReasonIdentityConflict = "identity_conflict"
)

// refuse is a FORBIDDEN error with its reason.
func refuse(reason, msg string) *errs.Error {
	e := errs.Forbidden(msg)
	e.Extra = map[string]any{"reason": reason}
	return e
}

// ReasonOf returns the refusal reason of err, or "".
func ReasonOf(err error) string {
	if e, ok := errs.As(err); ok && e.Extra != nil {
		r, _ := e.Extra["reason"].(string)
		return r
	}
	return ""
}

// Config wires a Service.
type Config struct {
	DB       *db.DB
	Sessions *sessions.Service
	Settings *settings.Store
	Audit    *audit.Log
	Logger   *slog.Logger
	Now      func() time.Time
	// OnSignup runs in the sign-up transaction after the account is created (billing's default
	// plan), as users.Config.OnSignup.
	OnSignup func(ctx context.Context, c *ent.Client, u *ent.User) error
	// Observe, when set, counts each sign-in by method and outcome ("ok", a refusal's reason, or
	// "error").
	Observe func(method, outcome string)
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.DB == nil || c.Sessions == nil || c.Settings == nil || c.Audit == nil {
		return errors.New("externalauth: DB, Sessions, Settings and Audit are required")
	}
	return nil
}

// Service signs in external identities.
type Service struct {
	db       *db.DB
	sessions *sessions.Service
	settings *settings.Store
	audit    *audit.Log
	logger   *slog.Logger
	now      func() time.Time
	onSignup func(ctx context.Context, c *ent.Client, u *ent.User) error
	observe  func(method, outcome string)
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Observe == nil {
		cfg.Observe = func(string, string) {}
	}
	return &Service{db: cfg.DB, sessions: cfg.Sessions, settings: cfg.Settings, audit: cfg.Audit,
		logger: cfg.Logger, now: cfg.Now, onSignup: cfg.OnSignup, observe: cfg.Observe}, nil
}

// signupLockKey is users' sign-up lock: external and password sign-ups serialise on it, so two
// first sign-ups cannot both become admin on PostgreSQL.
const signupLockKey = 0x5354455741524431

// SignIn finds, links or creates the account of id under policy p, applies the provider's role
// and groups, and issues a session, all in one transaction. A refusal is a FORBIDDEN error with
// a reason (ReasonOf), is logged with its cause and audited; it changes nothing else.
func (s *Service) SignIn(ctx context.Context, id Identity, p Policy) (Result, error) {
	if id.Provider == "" || id.Subject == "" {
		return Result{}, errors.New("externalauth: an identity needs a provider and a subject")
	}
	res, err := db.InTxResult(ctx, s.db.Client, func(ctx context.Context) (Result, error) {
		return s.signIn(authz.As(ctx, authz.ExternalSignin), id, p)
	})
	switch reason := ReasonOf(err); {
	case err == nil:
		s.observe(id.Method, "ok")
	case reason != "":
		s.refused(ctx, id, reason, err)
	default:
		s.observe(id.Method, "error")
	}
	return res, err
}

// Refused logs and audits a sign-in that a method refused before these rules ran (an ID token
// that failed verification after a code exchange). Only call it for failures an outsider cannot
// cause at will, so the audit log cannot be flooded.
func (s *Service) Refused(ctx context.Context, id Identity, reason string, cause error) {
	s.refused(ctx, id, reason, cause)
}

// refused logs and audits a refusal, in a transaction of its own: the sign-in's rolled back.
func (s *Service) refused(ctx context.Context, id Identity, reason string, err error) {
	s.observe(id.Method, reason)
	s.logger.WarnContext(ctx, "external sign-in refused", "method", id.Method, "provider", id.Provider,
		"subject", id.Subject, "email", id.Email, "reason", reason, "cause", err.Error())
	if aerr := s.audit.Record(ctx, audit.Entry{Action: audit.ExternalSigninRefused, EntityType: "User",
		Description: fmt.Sprintf("%s sign-in through %s refused: %s", id.Method, id.Provider, reason),
		Changes: map[string]audit.Change{"method": {New: id.Method}, "provider": {New: id.Provider},
			"subject": {New: id.Subject}, "email": {New: id.Email}, "reason": {New: reason}}}); aerr != nil {
		s.logger.ErrorContext(ctx, "auditing a refused external sign-in", "err", aerr)
	}
}

func (s *Service) signIn(ctx context.Context, id Identity, p Policy) (Result, error) {
	c := db.ClientFrom(ctx, s.db.Client)
	email, err := users.NormalizeEmail("email", id.Email)
	if err != nil {
		return Result{}, refuse(ReasonEmailMissing, "the identity provider gave no valid email address")
	}
	if len(p.AllowedDomains) > 0 && !slices.Contains(p.AllowedDomains, email[strings.LastIndexByte(email, '@')+1:]) {
		return Result{}, refuse(ReasonDomainNotAllowed, "accounts of this email domain may not sign in here")
	}
	var role user.Role
	if p.RoleManagement {
		if role, err = roleFrom(id.Roles, p); err != nil {
			return Result{}, err
		}
	}
	if s.db.Dialect == dialect.Postgres {
		if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(signupLockKey)); err != nil {
			return Result{}, fmt.Errorf("locking sign-up: %w", err)
		}
	}
	res := Result{}
	link, err := c.Identity.Query().Where(identity.Provider(id.Provider), identity.Subject(id.Subject)).
		WithUser().Only(ctx)
	switch {
	case err == nil:
		res.User = link.Edges.User
	case ent.IsNotFound(err):
		if res.User, res.Created, err = s.linkOrCreate(ctx, c, id, email, role, p); err != nil {
			return Result{}, err
		}
		res.Linked = !res.Created
		if err := c.Identity.Create().SetUserID(res.User.ID).SetProvider(id.Provider).SetSubject(id.Subject).
			SetEmail(email).SetLastSigninAt(s.now().UTC()).Exec(ctx); err != nil {
			return Result{}, fmt.Errorf("linking identity: %w", err)
		}
		if res.Linked {
			if err := s.audit.Record(ctx, audit.Entry{Action: audit.IdentityLinked, EntityType: "User", EntityID: res.User.ID,
				Description: fmt.Sprintf("account linked by verified email to %s", id.Provider),
				Changes:     map[string]audit.Change{"method": {New: id.Method}, "provider": {New: id.Provider}, "subject": {New: id.Subject}}}); err != nil {
				return Result{}, err
			}
		}
	default:
		return Result{}, fmt.Errorf("loading identity: %w", err)
	}
	if link != nil {
		if err := c.Identity.UpdateOne(link).SetEmail(email).SetLastSigninAt(s.now().UTC()).Exec(ctx); err != nil {
			return Result{}, fmt.Errorf("updating identity: %w", err)
		}
	}
	if p.RoleManagement && res.User.Role != role {
		old := res.User.Role
		if res.User, err = c.User.UpdateOne(res.User).SetRole(role).Save(ctx); err != nil {
			return Result{}, fmt.Errorf("applying the provider's role: %w", err)
		}
		s.sessions.CredentialsChanged(ctx, res.User.ID)
		if err := s.audit.Record(ctx, audit.Entry{Action: audit.UserRoleChanged, EntityType: "User", EntityID: res.User.ID,
			Description: fmt.Sprintf("role set to %s by %s role management", role, id.Provider),
			Changes:     map[string]audit.Change{"role": {Old: old, New: role}, "method": {New: id.Method}, "provider": {New: id.Provider}}}); err != nil {
			return Result{}, err
		}
	}
	if p.GroupManagement {
		if res.Groups, err = groupsync.Apply(ctx, c, res.User.ID, groupsync.Input{Source: id.Provider, Claimed: id.Groups,
			Blocked: p.BlockedGroups, Create: p.GroupCreation}); err != nil {
			return Result{}, err
		}
		if res.Groups.Changed() {
			if err := s.audit.Record(ctx, audit.Entry{Action: audit.GroupsSynced, EntityType: "User", EntityID: res.User.ID,
				Description: fmt.Sprintf("groups synced from %s: %d added, %d removed, %d created",
					id.Provider, len(res.Groups.Added), len(res.Groups.Removed), len(res.Groups.Created)),
				Changes: map[string]audit.Change{"method": {New: id.Method}, "provider": {New: id.Provider},
					"added": {New: res.Groups.Added}, "removed": {Old: res.Groups.Removed}, "created": {New: res.Groups.Created}}}); err != nil {
				return Result{}, err
			}
		}
	}
	if res.Issued, err = s.sessions.Issue(ctx, res.User.ID); err != nil {
		return Result{}, err
	}
	if err := s.audit.Record(ctx, audit.Entry{Action: audit.ExternalSignin, EntityType: "User", EntityID: res.User.ID,
		Description: fmt.Sprintf("%s sign-in through %s", id.Method, id.Provider),
		Changes: map[string]audit.Change{"method": {New: id.Method}, "provider": {New: id.Provider},
			"created": {New: res.Created}, "linked": {New: res.Linked}}}); err != nil {
		return Result{}, err
	}
	return res, nil
}

// linkOrCreate returns the account with id's email when the policy lets it be linked, or a new
// account when sign-up is open (or there is no account at all yet).
func (s *Service) linkOrCreate(ctx context.Context, c *ent.Client, id Identity, email string, role user.Role, p Policy) (*ent.User, bool, error) {
	u, err := c.User.Query().Where(user.Email(email)).Only(ctx)
	switch {
	case err == nil:
		if !p.MergeByEmail || !id.EmailVerified {
			return nil, false, refuse(ReasonEmailTaken, "an account with this email already exists; sign in with it, or ask an administrator to link the accounts")
		}
		// A second subject of the same provider for one account is a reassigned email, not the
		// same person: never link it.
		other, err := c.Identity.Query().Where(identity.UserID(u.ID), identity.Provider(id.Provider)).Exist(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("checking links: %w", err)
		}
		if other {
			return nil, false, refuse(ReasonIdentityConflict, "this account is already linked to another identity of this provider")
		}
		return u, false, nil
	case !ent.IsNotFound(err):
		return nil, false, fmt.Errorf("loading account: %w", err)
	}
	a, err := s.settings.Auth(ctx)
	if err != nil {
		return nil, false, err
	}
	count, err := c.User.Query().Count(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("counting users: %w", err)
	}
	if count > 0 && !p.Signup {
		return nil, false, refuse(ReasonSignupDisabled, "sign-up through this provider is disabled; ask an administrator for an account")
	}
	if !p.RoleManagement {
		role = user.Role(a.DefaultUserRole)
		if count == 0 {
			role = user.RoleADMIN
		}
	}
	create := c.User.Create().SetName(displayName(id, email)).SetEmail(email).SetRole(role).
		SetLastActiveAt(s.now().UTC())
	if pic := picture(id.Picture); pic != "" {
		create.SetProfileImageURL(pic)
	}
	u, err = create.Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, false, refuse(ReasonEmailTaken, "an account with this email already exists")
		}
		return nil, false, fmt.Errorf("creating account: %w", err)
	}
	if a.DefaultGroupID != "" {
		if err := c.Membership.Create().SetUserID(u.ID).SetGroupID(a.DefaultGroupID).
			OnConflictColumns("user_id", "group_id").Ignore().Exec(ctx); err != nil && !ent.IsConstraintError(err) {
			return nil, false, fmt.Errorf("joining the default group: %w", err)
		}
	}
	if s.onSignup != nil {
		if err := s.onSignup(ctx, c, u); err != nil {
			return nil, false, err
		}
	}
	if err := s.audit.Record(ctx, audit.Entry{Action: audit.UserCreated, EntityType: "User", EntityID: u.ID,
		Description: fmt.Sprintf("account created by %s sign-in through %s", id.Method, id.Provider),
		Changes: map[string]audit.Change{"email": {New: email}, "role": {New: role},
			"method": {New: id.Method}, "provider": {New: id.Provider}}}); err != nil {
		return nil, false, err
	}
	return u, true, nil
}

// roleFrom maps the provider's roles to a steward role, failing closed: no roles at all, or none
// that is allowed, means no sign-in.
func roleFrom(roles []string, p Policy) (user.Role, error) {
	if len(roles) == 0 {
		return "", refuse(ReasonRolesMissing, fmt.Sprintf("role management is on and the roles claim %q is missing or empty", p.RolesClaim))
	}
	for _, r := range roles {
		if slices.Contains(p.AdminRoles, r) {
			return user.RoleADMIN, nil
		}
	}
	for _, r := range roles {
		if slices.Contains(p.AllowedRoles, r) {
			return user.RoleUSER, nil
		}
	}
	return "", refuse(ReasonRoleNotAllowed, fmt.Sprintf("none of the roles in claim %q is allowed to sign in", p.RolesClaim))
}

// displayName is the provider's name for the user, or the email's local part.
func displayName(id Identity, email string) string {
	n := strings.TrimSpace(id.Name)
	if n == "" || !utf8.ValidString(n) {
		n = email[:strings.IndexByte(email, '@')]
	}
	if utf8.RuneCountInString(n) > 255 {
		n = string([]rune(n)[:255])
	}
	return n
}

// picture keeps a profile picture only when it is a plain http(s) URL of reasonable length.
func picture(p string) string {
	if len(p) > 4096 {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return p
}
