// Package users holds the account rules: sign-up (the first account becomes admin), sign-in,
// password changes and profiles, and the admin's management of accounts.
package users

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/credential"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
)

// Config wires a Service.
type Config struct {
	DB       *db.DB
	Hasher   auth.Hasher
	Sessions *sessions.Service
	Settings *settings.Store
	Now      func() time.Time
	// Limits counts sign-in and sign-up attempts; nil means no limits.
	Limits SigninLimiter
	// Audit records admin actions (unlocks).
	Audit Auditor
	// Lockout is the failed sign-in policy; the zero value means DefaultLockout().
	Lockout LockoutPolicy
	// Logger receives failures of background writes; nil means slog.Default().
	Logger *slog.Logger
	// OnSignup, when set, runs inside the sign-up transaction after the account is created (billing
	// gives the account the default plan this way); its error aborts the sign-up.
	OnSignup func(ctx context.Context, c *ent.Client, u *ent.User) error
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.DB == nil || c.Sessions == nil || c.Settings == nil {
		return errors.New("users: DB, Sessions and Settings are required")
	}
	return nil
}

// Service implements the account rules.
type Service struct {
	db       *db.DB
	client   *ent.Client
	hasher   auth.Hasher
	sessions *sessions.Service
	settings *settings.Store
	now      func() time.Time
	limits   SigninLimiter
	audit    Auditor
	lockout  LockoutPolicy
	logger   *slog.Logger
	onSignup func(ctx context.Context, c *ent.Client, u *ent.User) error
	// dummyHash is verified against when an email is unknown, so a wrong email costs the same time
	// as a wrong password and timing does not reveal which accounts exist. It is a decoy, made
	// without hashing: hashing one at start-up cost argon2's 19 MiB of memory before any request.
	dummyHash string
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Lockout == (LockoutPolicy{}) {
		cfg.Lockout = DefaultLockout()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	dummy, err := cfg.Hasher.Decoy()
	if err != nil {
		return nil, err
	}
	return &Service{db: cfg.DB, client: cfg.DB.Client, hasher: cfg.Hasher, sessions: cfg.Sessions,
		settings: cfg.Settings, now: cfg.Now, limits: cfg.Limits, audit: cfg.Audit, lockout: cfg.Lockout,
		logger: cfg.Logger, onSignup: cfg.OnSignup, dummyHash: dummy}, nil
}

// SignupInput is a new account from the sign-up form.
type SignupInput struct {
	Name, Email, Password string
	ProfileImageURL       *string
}

// AuthResult is a signed-in user with its new token.
type AuthResult struct {
	User   *ent.User
	Issued sessions.Issued
}

// signupLockKey serialises sign-ups on PostgreSQL so two first sign-ups cannot both become admin.
// SQLite needs nothing more: its write transactions already run one at a time.
const signupLockKey = 0x5354455741524431

// Signup creates an account and signs it in. The first account becomes ADMIN whatever the
// settings say; later ones get the default role, and are refused when sign-up is disabled.
func (s *Service) Signup(ctx context.Context, in SignupInput) (AuthResult, error) {
	if s.limits != nil {
		if err := s.limits.Signup(ctx); err != nil {
			return AuthResult{}, err
		}
	}
	a, err := s.settings.Auth(ctx)
	if err != nil {
		return AuthResult{}, err
	}
	name, err := validateName("name", in.Name)
	if err != nil {
		return AuthResult{}, err
	}
	email, err := NormalizeEmail("email", in.Email)
	if err != nil {
		return AuthResult{}, err
	}
	if err := validatePassword("password", in.Password, a.PasswordMinLength); err != nil {
		return AuthResult{}, err
	}
	image := "/user.png"
	if in.ProfileImageURL != nil {
		if image, err = validateImageURL("profileImageUrl", *in.ProfileImageURL); err != nil {
			return AuthResult{}, err
		}
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return AuthResult{}, err
	}
	var res AuthResult
	err = db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		ctx = authz.As(ctx, authz.Accounts)
		sys := ctx
		if s.db.Dialect == dialect.Postgres {
			if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(signupLockKey)); err != nil {
				return fmt.Errorf("locking sign-up: %w", err)
			}
		}
		count, err := c.User.Query().Count(sys)
		if err != nil {
			return fmt.Errorf("counting users: %w", err)
		}
		role := user.Role(a.DefaultUserRole)
		if count == 0 {
			role = user.RoleADMIN
		} else if !a.EnableSignup {
			return errs.Forbidden("sign-up is disabled on this server")
		}
		taken, err := c.User.Query().Where(user.Email(email)).Exist(sys)
		if err != nil {
			return fmt.Errorf("checking email: %w", err)
		}
		if taken {
			return errs.Conflict("an account with this email already exists")
		}
		u, err := c.User.Create().SetName(name).SetEmail(email).SetRole(role).
			SetProfileImageURL(image).SetLastActiveAt(s.now().UTC()).Save(sys)
		if err != nil {
			if ent.IsConstraintError(err) {
				return errs.Conflict("an account with this email already exists")
			}
			return fmt.Errorf("creating user: %w", err)
		}
		if err := c.Credential.Create().SetUserID(u.ID).SetPasswordHash(hash).Exec(sys); err != nil {
			return fmt.Errorf("storing credential: %w", err)
		}
		if err := joinGroup(ctx, c, a.DefaultGroupID, u.ID); err != nil {
			return err
		}
		if s.onSignup != nil {
			if err := s.onSignup(ctx, c, u); err != nil {
				return err
			}
		}
		issued, err := s.sessions.Issue(ctx, u.ID)
		if err != nil {
			return err
		}
		res = AuthResult{User: u, Issued: issued}
		return nil
	})
	return res, err
}

// errBadLogin is the one answer for a wrong email or a wrong password.
var errBadLogin = errs.Unauthenticated("incorrect email or password")

// SigninInput is an email and password.
type SigninInput struct{ Email, Password string }

// Signin checks the password and issues a token. A bcrypt hash (imported from Open WebUI) or an
// argon2id hash with outdated costs is replaced by a fresh argon2id hash. Every attempt counts
// against the sign-in rate limits, and failures against the account's lockout.
func (s *Service) Signin(ctx context.Context, in SigninInput) (AuthResult, error) {
	if s.limits != nil {
		if err := s.limits.Signin(ctx, in.Email); err != nil {
			return AuthResult{}, err
		}
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (AuthResult, error) { return s.signin(ctx, in) })
}

// signin is Signin inside its transaction.
func (s *Service) signin(ctx context.Context, in SigninInput) (AuthResult, error) {
	ctx = authz.As(ctx, authz.Accounts)
	sys := ctx
	c := db.ClientFrom(ctx, s.client)
	email, err := NormalizeEmail("email", in.Email)
	if err != nil {
		_, _ = s.hasher.Verify(s.dummyHash, in.Password)
		return AuthResult{}, errBadLogin
	}
	u, err := c.User.Query().Where(user.Email(email)).WithCredential().Only(sys)
	if ent.IsNotFound(err) || (err == nil && u.Edges.Credential == nil) {
		_, _ = s.hasher.Verify(s.dummyHash, in.Password)
		return AuthResult{}, errBadLogin
	}
	if err != nil {
		return AuthResult{}, fmt.Errorf("loading user: %w", err)
	}
	pair, err := s.pairFailures(ctx, c, u)
	if err != nil {
		return AuthResult{}, err
	}
	rehash, err := s.hasher.Verify(u.Edges.Credential.PasswordHash, in.Password)
	if s.locked(pair, u) {
		// A locked account answers exactly as a wrong password does, after the same work, so the
		// lock tells nobody that the account exists; the attempt is not counted.
		return AuthResult{}, errBadLogin
	}
	if err != nil {
		s.recordFailedSignin(ctx, u, pair)
		return AuthResult{}, errBadLogin
	}
	if pair != nil {
		if err := s.clearPair(ctx, c, u.ID); err != nil {
			return AuthResult{}, err
		}
	}
	if u.FailedSignins > 0 || u.LockedUntil != nil {
		if err := s.clearFailures(ctx, c, u.ID); err != nil {
			return AuthResult{}, err
		}
		u.FailedSignins, u.LockedUntil = 0, nil
	}
	if rehash {
		if h, err := s.hasher.Hash(in.Password); err == nil {
			if err := c.Credential.Update().Where(credential.UserID(u.ID)).SetPasswordHash(h).Exec(sys); err != nil {
				return AuthResult{}, fmt.Errorf("upgrading password hash: %w", err)
			}
		}
	}
	issued, err := s.sessions.Issue(ctx, u.ID)
	if err != nil {
		return AuthResult{}, err
	}
	u.Edges.Credential = nil
	return AuthResult{User: u, Issued: issued}, nil
}

// UpdatePasswordInput is the current password and the new one.
type UpdatePasswordInput struct{ Password, NewPassword string }

// UpdatePassword changes the viewer's password and revokes every other session of theirs:
// UseAccount.
func (s *Service) UpdatePassword(ctx context.Context, in UpdatePasswordInput) error {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return err
	}
	return db.InTx(ctx, s.client, func(ctx context.Context, _ *ent.Client) error { return s.updatePassword(ctx, in) })
}

// updatePassword is UpdatePassword inside its transaction.
func (s *Service) updatePassword(ctx context.Context, in UpdatePasswordInput) error {
	v := auth.ViewerFrom(ctx)
	a, err := s.settings.Auth(ctx)
	if err != nil {
		return err
	}
	sys := authz.As(ctx, authz.Accounts)
	c := db.ClientFrom(ctx, s.client)
	cred, err := c.Credential.Query().Where(credential.UserID(v.UserID)).Only(sys)
	if ent.IsNotFound(err) {
		return errs.Forbidden("this account has no password (it signs in through another provider)")
	}
	if err != nil {
		return fmt.Errorf("loading credential: %w", err)
	}
	if _, err := s.hasher.Verify(cred.PasswordHash, in.Password); err != nil {
		return errs.Invalid("password", "current password is incorrect")
	}
	if err := validatePassword("newPassword", in.NewPassword, a.PasswordMinLength); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(in.NewPassword)
	if err != nil {
		return err
	}
	if err := c.Credential.UpdateOne(cred).SetPasswordHash(hash).Exec(sys); err != nil {
		return fmt.Errorf("storing password: %w", err)
	}
	_, err = s.sessions.RevokeAll(ctx, v.UserID, v.SessionID)
	return err
}

// ProfileInput changes the viewer's own profile; nil fields stay as they are.
type ProfileInput struct {
	Name, ProfileImageURL, StatusEmoji, StatusMessage *string
	StatusExpiresAt                                   *time.Time
}

// UpdateProfile applies in to the viewer's account: UseAccount.
func (s *Service) UpdateProfile(ctx context.Context, in ProfileInput) (*ent.User, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.User, error) { return s.updateProfile(ctx, in) })
}

// updateProfile is UpdateProfile inside its transaction.
func (s *Service) updateProfile(ctx context.Context, in ProfileInput) (*ent.User, error) {
	v := auth.ViewerFrom(ctx)
	upd := db.ClientFrom(ctx, s.client).User.UpdateOneID(v.UserID)
	if in.Name != nil {
		n, err := validateName("name", *in.Name)
		if err != nil {
			return nil, err
		}
		upd.SetName(n)
	}
	if in.ProfileImageURL != nil {
		u, err := validateImageURL("profileImageUrl", *in.ProfileImageURL)
		if err != nil {
			return nil, err
		}
		upd.SetProfileImageURL(u)
	}
	if in.StatusEmoji != nil {
		if len(*in.StatusEmoji) > 64 {
			return nil, errs.Invalid("statusEmoji", "must be at most 64 bytes")
		}
		upd.SetStatusEmoji(*in.StatusEmoji)
	}
	if in.StatusMessage != nil {
		if len(*in.StatusMessage) > 512 {
			return nil, errs.Invalid("statusMessage", "must be at most 512 bytes")
		}
		upd.SetStatusMessage(*in.StatusMessage)
	}
	if in.StatusExpiresAt != nil {
		upd.SetStatusExpiresAt(in.StatusExpiresAt.UTC())
	}
	u, err := upd.Save(authz.As(ctx, authz.Accounts))
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("updating profile: %w", err)
	}
	return u, nil
}

// Get returns a user by id.
func (s *Service) Get(ctx context.Context, id string) (*ent.User, error) {
	u, err := db.ClientFrom(ctx, s.client).User.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("loading user: %w", err)
	}
	return u, nil
}
