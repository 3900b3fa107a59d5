package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// OAuthKey is the section holding the OpenID Connect providers.
const OAuthKey = "oauth"

// OAuth is the OpenID Connect sign-in configuration: one entry per provider.
type OAuth struct {
	Providers []OAuthProvider `json:"providers"`
}

// OAuthProvider is one OpenID Connect provider and the rules for the accounts it signs in.
// ClientSecret is write-only: stored and used for the code exchange, exported only on explicit
// request, never returned by the API (ClientSecretSet says whether one is set).
type OAuthProvider struct {
	// ID names the provider in URLs (/oauth/{id}/login) and in membership sources ("oidc:{id}").
	ID   string `json:"id"`
	Name string `json:"name"`
	// IssuerURL is the provider's issuer; discovery reads IssuerURL/.well-known/openid-configuration.
	IssuerURL    string   `json:"issuerUrl"`
	ClientID     string   `json:"clientId"`
	ClientSecret string   `json:"clientSecret,omitempty"`
	Scopes       []string `json:"scopes"`
	// RedirectURI is the callback the provider sends browsers back to; empty means the front-end
	// URL (WEBUI_URL) or the request's own origin, plus /oauth/{id}/callback.
	RedirectURI string `json:"redirectUri,omitempty"`
	// The claims read from the ID token and userinfo, as dotted paths ("realm_access.roles").
	UsernameClaim string `json:"usernameClaim"`
	EmailClaim    string `json:"emailClaim"`
	PictureClaim  string `json:"pictureClaim"`
	RolesClaim    string `json:"rolesClaim"`
	GroupsClaim   string `json:"groupsClaim"`
	// ClaimSeparator splits a roles or groups claim that is one string instead of a list.
	ClaimSeparator string `json:"claimSeparator"`
	// EnableSignup lets the provider's users without an account get one.
	EnableSignup bool `json:"enableSignup"`
	// MergeAccountsByEmail links an existing account with the same email, when the provider says
	// the email is verified.
	MergeAccountsByEmail bool `json:"mergeAccountsByEmail"`
	// AllowedDomains, when not empty, are the only email domains that may sign in.
	AllowedDomains []string `json:"allowedDomains"`
	// RoleManagement decides the role from the roles claim on every sign-in, failing closed: a
	// user with no allowed role, or no roles claim at all, does not get in.
	RoleManagement bool     `json:"roleManagement"`
	AllowedRoles   []string `json:"allowedRoles"`
	AdminRoles     []string `json:"adminRoles"`
	// GroupManagement makes the memberships that came from the groups claim follow it on every
	// sign-in; memberships an admin made stay.
	GroupManagement bool `json:"groupManagement"`
	// GroupCreation creates the groups the claim names that do not exist yet, with no grants.
	GroupCreation bool `json:"groupCreation"`
	// BlockedGroups are never synced, in either direction.
	BlockedGroups []string `json:"blockedGroups"`
}

// ClientSecretSet reports whether the provider has a client secret.
func (p OAuthProvider) ClientSecretSet() bool { return p.ClientSecret != "" }

// Source is the membership source and identity provider name of p: "oidc:<id>".
func (p OAuthProvider) Source() string { return "oidc:" + p.ID }

// DefaultOAuth has no providers.
func DefaultOAuth() OAuth { return OAuth{Providers: []OAuthProvider{}} }

// DefaultOAuthProvider is a provider with Open WebUI's defaults and no endpoints.
func DefaultOAuthProvider() OAuthProvider {
	return OAuthProvider{
		ID: "oidc", Name: "SSO", Scopes: []string{"openid", "email", "profile"},
		UsernameClaim: "name", EmailClaim: "email", PictureClaim: "picture",
		RolesClaim: "roles", GroupsClaim: "groups", ClaimSeparator: ",",
		AllowedRoles: []string{"user", "admin"}, AdminRoles: []string{"admin"},
		AllowedDomains: []string{}, BlockedGroups: []string{},
	}
}

var providerIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// Provider returns the provider with id.
func (o OAuth) Provider(id string) (OAuthProvider, bool) {
	for _, p := range o.Providers {
		if p.ID == id {
			return p, true
		}
	}
	return OAuthProvider{}, false
}

// Validate checks every provider; fields are named "<index>.<field>".
func (o OAuth) Validate() error {
	if len(o.Providers) > 20 {
		return errs.Invalid("providers", "at most 20 providers")
	}
	ids := map[string]bool{}
	for i, p := range o.Providers {
		if err := p.Validate(); err != nil {
			return prefixField(err, fmt.Sprintf("providers.%d", i))
		}
		if ids[p.ID] {
			return errs.Invalid(fmt.Sprintf("providers.%d.id", i), "is used by another provider")
		}
		ids[p.ID] = true
	}
	return nil
}

// Validate checks one provider. A configuration that could only fail open is refused: role
// management needs a roles claim and at least one allowed or admin role.
func (p OAuthProvider) Validate() error {
	if !providerIDPattern.MatchString(p.ID) {
		return errs.Invalid("id", "must be 1 to 32 lower-case letters, digits, '-' or '_'")
	}
	if strings.TrimSpace(p.Name) == "" || len(p.Name) > 64 {
		return errs.Invalid("name", "must be 1 to 64 characters")
	}
	if err := validateHTTPURL(p.IssuerURL); err != nil {
		return errs.Invalid("issuerUrl", err.Error())
	}
	if p.ClientID == "" || len(p.ClientID) > 512 {
		return errs.Invalid("clientId", "must be 1 to 512 characters")
	}
	if len(p.ClientSecret) > 4096 {
		return errs.Invalid("clientSecret", "must be at most 4096 bytes")
	}
	if p.RedirectURI != "" {
		if err := validateHTTPURL(p.RedirectURI); err != nil {
			return errs.Invalid("redirectUri", err.Error())
		}
	}
	if !slices.Contains(p.Scopes, "openid") {
		return errs.Invalid("scopes", "must include openid")
	}
	for name, claim := range map[string]string{"usernameClaim": p.UsernameClaim, "emailClaim": p.EmailClaim,
		"pictureClaim": p.PictureClaim, "rolesClaim": p.RolesClaim, "groupsClaim": p.GroupsClaim} {
		if len(claim) > 256 {
			return errs.Invalid(name, "must be at most 256 characters")
		}
	}
	if p.EmailClaim == "" {
		return errs.Invalid("emailClaim", "is required: accounts are keyed by email")
	}
	if p.ClaimSeparator == "" {
		return errs.Invalid("claimSeparator", "must not be empty")
	}
	if p.RoleManagement {
		if p.RolesClaim == "" {
			return errs.Invalid("rolesClaim", "is required when role management is on")
		}
		if len(p.AllowedRoles) == 0 && len(p.AdminRoles) == 0 {
			return errs.Invalid("allowedRoles", "name at least one allowed or admin role when role management is on, or nobody can sign in")
		}
	}
	if p.GroupManagement && p.GroupsClaim == "" {
		return errs.Invalid("groupsClaim", "is required when group management is on")
	}
	for name, list := range map[string][]string{"scopes": p.Scopes, "allowedDomains": p.AllowedDomains,
		"allowedRoles": p.AllowedRoles, "adminRoles": p.AdminRoles, "blockedGroups": p.BlockedGroups} {
		if len(list) > 200 {
			return errs.Invalid(name, "at most 200 entries")
		}
		for _, v := range list {
			if strings.TrimSpace(v) == "" || len(v) > 255 {
				return errs.Invalid(name, "entries must be 1 to 255 characters")
			}
		}
	}
	return nil
}

// normalized strips a discovery suffix from the issuer (Open WebUI's OPENID_PROVIDER_URL names the
// discovery document) and lower-cases the allowed domains.
func (o OAuth) normalized() OAuth {
	out := OAuth{Providers: make([]OAuthProvider, 0, len(o.Providers))}
	for _, p := range o.Providers {
		// The issuer must stay exactly as the provider spells it (a trailing slash included):
		// discovery refuses a document whose issuer differs.
		p.IssuerURL = strings.TrimSuffix(strings.TrimSpace(p.IssuerURL), "/.well-known/openid-configuration")
		domains := make([]string, 0, len(p.AllowedDomains))
		for _, d := range p.AllowedDomains {
			domains = append(domains, strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@")))
		}
		p.AllowedDomains = domains
		out.Providers = append(out.Providers, p)
	}
	return out
}

// keepSecrets gives each provider of next without a client secret the stored secret of the
// provider with the same id in old.
func (o OAuth) keepSecrets(old OAuth) OAuth {
	out := OAuth{Providers: slices.Clone(o.Providers)}
	for i, p := range out.Providers {
		if p.ClientSecret == "" {
			if prev, ok := old.Provider(p.ID); ok {
				out.Providers[i].ClientSecret = prev.ClientSecret
			}
		}
	}
	return out
}

// masked removes the client secrets.
func (o OAuth) masked() OAuth {
	out := OAuth{Providers: slices.Clone(o.Providers)}
	for i := range out.Providers {
		out.Providers[i].ClientSecret = ""
	}
	return out
}

// OAuth returns the current OpenID Connect configuration, secrets included.
func (s *Store) OAuth(ctx context.Context) (OAuth, error) {
	o := DefaultOAuth()
	if _, err := s.Get(ctx, OAuthKey, &o); err != nil {
		return OAuth{}, err
	}
	return o.normalized(), nil
}

// oauthFromEnv reads Open WebUI's single-provider variables into one provider with id "oidc",
// when OAUTH_CLIENT_ID and OPENID_PROVIDER_URL are both set.
func oauthFromEnv(get func(string) (string, bool), boolVar func(string, *bool), listVar func(string, *[]string)) (OAuth, error) {
	o := DefaultOAuth()
	clientID, hasID := get("OAUTH_CLIENT_ID")
	issuer, hasIssuer := get("OPENID_PROVIDER_URL")
	if !hasID && !hasIssuer {
		return o, nil
	}
	if !hasID || !hasIssuer {
		return o, fmt.Errorf("OAUTH_CLIENT_ID and OPENID_PROVIDER_URL must be set together")
	}
	p := DefaultOAuthProvider()
	p.ClientID, p.IssuerURL = clientID, issuer
	strVar := func(k string, dst *string) {
		if v, ok := get(k); ok {
			*dst = v
		}
	}
	strVar("OAUTH_CLIENT_SECRET", &p.ClientSecret)
	strVar("OAUTH_PROVIDER_NAME", &p.Name)
	strVar("OPENID_REDIRECT_URI", &p.RedirectURI)
	if v, ok := get("OAUTH_SCOPES"); ok {
		p.Scopes = strings.Fields(strings.ReplaceAll(v, ",", " "))
	}
	strVar("OAUTH_USERNAME_CLAIM", &p.UsernameClaim)
	strVar("OAUTH_EMAIL_CLAIM", &p.EmailClaim)
	strVar("OAUTH_PICTURE_CLAIM", &p.PictureClaim)
	strVar("OAUTH_ROLES_CLAIM", &p.RolesClaim)
	strVar("OAUTH_GROUPS_CLAIM", &p.GroupsClaim)
	strVar("OAUTH_GROUPS_SEPARATOR", &p.ClaimSeparator)
	boolVar("ENABLE_OAUTH_SIGNUP", &p.EnableSignup)
	boolVar("OAUTH_MERGE_ACCOUNTS_BY_EMAIL", &p.MergeAccountsByEmail)
	if v, ok := get("OAUTH_ALLOWED_DOMAINS"); ok && v != "*" {
		listVar("OAUTH_ALLOWED_DOMAINS", &p.AllowedDomains)
	}
	boolVar("ENABLE_OAUTH_ROLE_MANAGEMENT", &p.RoleManagement)
	listVar("OAUTH_ALLOWED_ROLES", &p.AllowedRoles)
	listVar("OAUTH_ADMIN_ROLES", &p.AdminRoles)
	boolVar("ENABLE_OAUTH_GROUP_MANAGEMENT", &p.GroupManagement)
	boolVar("ENABLE_OAUTH_GROUP_CREATION", &p.GroupCreation)
	// Open WebUI writes OAUTH_BLOCKED_GROUPS as a JSON list; a comma-separated one works too.
	if v, ok := get("OAUTH_BLOCKED_GROUPS"); ok && strings.HasPrefix(v, "[") {
		if err := json.Unmarshal([]byte(v), &p.BlockedGroups); err != nil {
			return o, fmt.Errorf("OAUTH_BLOCKED_GROUPS is not a JSON list of group names")
		}
	} else {
		listVar("OAUTH_BLOCKED_GROUPS", &p.BlockedGroups)
	}
	o.Providers = append(o.Providers, p)
	o = o.normalized()
	return o, o.Validate()
}

// SetOAuthProviders replaces the OpenID Connect providers. A provider without a client secret
// keeps the stored secret of the provider with the same id.
func (s *Service) SetOAuthProviders(ctx context.Context, in []OAuthProvider) (OAuth, error) {
	return update(ctx, s, OAuthKey, func(cur OAuth) (OAuth, error) {
		return OAuth{Providers: slices.Clone(in)}.keepSecrets(cur).normalized(), nil
	})
}
