package settings

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// AuthKey is the section holding sign-up and sign-in settings.
const AuthKey = "auth"

// Auth holds the authentication settings Open WebUI keeps in its admin config.
type Auth struct {
	EnableSignup      bool   `json:"enableSignup"`
	DefaultUserRole   string `json:"defaultUserRole"`
	DefaultGroupID    string `json:"defaultGroupId"`
	JWTExpiresIn      string `json:"jwtExpiresIn"`
	EnableAPIKeys     bool   `json:"enableApiKeys"`
	ShowAdminDetails  bool   `json:"showAdminDetails"`
	PasswordMinLength int    `json:"passwordMinLength"`
}

// DefaultAuth is used when neither the environment nor the database says otherwise. Open WebUI
// defaults: sign-up on, new users pending, tokens valid for four weeks, API keys off.
func DefaultAuth() Auth {
	return Auth{
		EnableSignup: true, DefaultUserRole: string(auth.RolePending), JWTExpiresIn: "4w",
		EnableAPIKeys: false, ShowAdminDetails: true, PasswordMinLength: 8,
	}
}

// Validate checks every field, naming the first one at fault.
func (a Auth) Validate() error {
	if r := auth.Role(a.DefaultUserRole); !r.Valid() {
		return errs.Invalid("defaultUserRole", fmt.Sprintf("%q is not a role: use ADMIN, USER or PENDING", a.DefaultUserRole))
	}
	if _, err := auth.ParseExpiresIn(a.JWTExpiresIn); err != nil {
		return errs.Invalid("jwtExpiresIn", err.Error())
	}
	if a.PasswordMinLength < 8 || a.PasswordMinLength > 128 {
		return errs.Invalid("passwordMinLength", "must be between 8 and 128")
	}
	return nil
}

// TokenTTL is the parsed JWTExpiresIn; 0 means tokens never expire.
func (a Auth) TokenTTL() time.Duration {
	d, _ := auth.ParseExpiresIn(a.JWTExpiresIn)
	return d
}

// Auth returns the current authentication settings.
func (s *Store) Auth(ctx context.Context) (Auth, error) {
	return getDecoded(ctx, s, AuthKey, DefaultAuth)
}
