package settings

import (
	"slices"
	"strings"
	"testing"
)

func TestOAuthAndLDAPFromEnv(t *testing.T) {
	env := map[string]string{
		"OAUTH_CLIENT_ID": "steward", "OAUTH_CLIENT_SECRET": "s3cret",
		"OPENID_PROVIDER_URL":          "https://kc.example.com/realms/corp/.well-known/openid-configuration",
		"OAUTH_PROVIDER_NAME":          "Keycloak",
		"OAUTH_SCOPES":                 "openid email profile",
		"OAUTH_ROLES_CLAIM":            "realm_access.roles",
		"ENABLE_OAUTH_ROLE_MANAGEMENT": "true", "OAUTH_ALLOWED_ROLES": "chat-user", "OAUTH_ADMIN_ROLES": "chat-admin",
		"ENABLE_OAUTH_GROUP_MANAGEMENT": "true", "OAUTH_BLOCKED_GROUPS": `["admins", "ops"]`,
		"OAUTH_ALLOWED_DOMAINS": "Example.com, @corp.example", "ENABLE_OAUTH_SIGNUP": "true",
		"ENABLE_LDAP": "true", "LDAP_SERVER_HOST": "ldap.example.com", "LDAP_SERVER_PORT": "636", "LDAP_USE_TLS": "true",
		"LDAP_APP_DN": "cn=app", "LDAP_APP_PASSWORD": "ldap-pw", "LDAP_SEARCH_BASE": "dc=example,dc=com",
		"LDAP_SEARCH_FILTERS": "(objectClass=person)", "ENABLE_LDAP_GROUP_MANAGEMENT": "true",
	}
	s, err := SeedsFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("SeedsFromEnv: %v", err)
	}
	if len(s.OAuth.Providers) != 1 {
		t.Fatalf("providers = %d, want 1", len(s.OAuth.Providers))
	}
	p := s.OAuth.Providers[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"id", p.ID, "oidc"},
		{"issuer without the discovery suffix", p.IssuerURL, "https://kc.example.com/realms/corp"},
		{"name", p.Name, "Keycloak"},
		{"secret", p.ClientSecret, "s3cret"},
		{"roles claim", p.RolesClaim, "realm_access.roles"},
		{"role management", p.RoleManagement, true},
		{"blocked groups from JSON", strings.Join(p.BlockedGroups, "|"), "admins|ops"},
		{"domains lower-cased", strings.Join(p.AllowedDomains, "|"), "example.com|corp.example"},
		{"ldap port", s.LDAP.Port, 636},
		{"ldap password", s.LDAP.AppPassword, "ldap-pw"},
		{"ldap groups", s.LDAP.GroupManagement, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !slices.Equal(p.Scopes, []string{"openid", "email", "profile"}) {
		t.Errorf("scopes = %v", p.Scopes)
	}
	if m := (OAuth{Providers: []OAuthProvider{p}}).masked(); m.Providers[0].ClientSecret != "" || p.ClientSecret == "" {
		t.Error("masked() kept the secret, or changed the original")
	}
}

func TestOAuthFromEnvRefusesWhatCouldOnlyFailOpen(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"client id without provider URL": {"OAUTH_CLIENT_ID": "x"},
		"role management without roles": {"OAUTH_CLIENT_ID": "x", "OPENID_PROVIDER_URL": "https://idp.example.com",
			"ENABLE_OAUTH_ROLE_MANAGEMENT": "true", "OAUTH_ALLOWED_ROLES": ",", "OAUTH_ADMIN_ROLES": ","},
		"provider URL that is not a URL": {"OAUTH_CLIENT_ID": "x", "OPENID_PROVIDER_URL": "idp"},
		"LDAP without a search base":     {"ENABLE_LDAP": "true", "LDAP_SERVER_HOST": "ldap.example.com"},
	} {
		if _, err := SeedsFromEnv(func(k string) string { return env[k] }); err == nil {
			t.Errorf("%s: SeedsFromEnv accepted it", name)
		}
	}
}
