package externalauth

import (
	"context"
	"net/url"
)

// Methods is what the sign-in page offers; it is public, so it holds nothing secret.
type Methods struct {
	// Password is email and password sign-in.
	Password bool
	// SignupEnabled says whether a new account may sign up with a password (the very first
	// account always may).
	SignupEnabled bool
	Providers     []ProviderMethod
	// LDAP is ldapSignin.
	LDAP bool
}

// ProviderMethod is one OpenID Connect provider on the sign-in page.
type ProviderMethod struct {
	ID, Name string
	// LoginURL starts the browser flow.
	LoginURL string
	// SignupEnabled says whether the provider's users without an account get one.
	SignupEnabled bool
}

// Methods returns the sign-in methods that are on. It needs no capability: the sign-in page
// shows it to anyone.
func (s *Service) Methods(ctx context.Context) (Methods, error) {
	a, err := s.settings.Auth(ctx)
	if err != nil {
		return Methods{}, err
	}
	o, err := s.settings.OAuth(ctx)
	if err != nil {
		return Methods{}, err
	}
	l, err := s.settings.LDAP(ctx)
	if err != nil {
		return Methods{}, err
	}
	m := Methods{Password: true, SignupEnabled: a.EnableSignup, Providers: make([]ProviderMethod, 0, len(o.Providers)), LDAP: l.Enabled}
	for _, p := range o.Providers {
		m.Providers = append(m.Providers, ProviderMethod{ID: p.ID, Name: p.Name,
			LoginURL: "/oauth/" + url.PathEscape(p.ID) + "/login", SignupEnabled: p.EnableSignup})
	}
	return m, nil
}
