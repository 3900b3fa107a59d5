package ldapauth

import (
	"context"
	"errors"
	"log/slog"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/externalauth"
	"github.com/steward-dev/steward/internal/settings"
)

// Limiter counts sign-in attempts (the password sign-in's limits: per username and per address).
type Limiter interface {
	Signin(ctx context.Context, email string) error
}

// Config wires a Service.
type Config struct {
	Settings *settings.Store
	SignIn   *externalauth.Service
	// Limits may be nil for no limits.
	Limits Limiter
	Logger *slog.Logger
}

// Service is ldapSignin: the directory's answer, then externalauth's rules.
type Service struct {
	dir      *Directory
	settings *settings.Store
	signIn   *externalauth.Service
	limits   Limiter
}

// NewService returns a Service.
func NewService(cfg Config) (*Service, error) {
	if cfg.Settings == nil || cfg.SignIn == nil {
		return nil, errors.New("ldapauth: Settings and SignIn are required")
	}
	return &Service{dir: New(cfg.Logger), settings: cfg.Settings, signIn: cfg.SignIn, limits: cfg.Limits}, nil
}

// SignIn checks username and password against the directory and signs the user in: the first
// sign-in creates the account (when the section's sign-up is on), an account with the
// directory's email is the same person, and group memberships of source "ldap" follow the
// directory's groups when group management is on.
func (s *Service) SignIn(ctx context.Context, username, password string) (externalauth.Result, error) {
	if s.limits != nil {
		if err := s.limits.Signin(ctx, "ldap:"+username); err != nil {
			return externalauth.Result{}, err
		}
	}
	l, err := s.settings.LDAP(ctx)
	if err != nil {
		return externalauth.Result{}, err
	}
	if !l.Enabled {
		return externalauth.Result{}, errs.Forbidden("LDAP sign-in is not enabled on this server")
	}
	id, err := s.dir.Authenticate(ctx, l, username, password)
	if err != nil {
		return externalauth.Result{}, err
	}
	return s.signIn.SignIn(ctx, id, externalauth.Policy{Signup: l.EnableSignup, MergeByEmail: true,
		GroupManagement: l.GroupManagement, GroupCreation: l.GroupCreation, BlockedGroups: l.BlockedGroups})
}
