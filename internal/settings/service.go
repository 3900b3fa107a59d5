package settings

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// Auditor records audit entries in the caller's transaction; *audit.Log implements it.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

var _ Auditor = (*audit.Log)(nil)

// ServiceConfig wires a Service.
type ServiceConfig struct {
	Store  *Store
	Client *ent.Client
	Audit  Auditor
	// Verifier checks tool servers; nil means NewVerifier(VerifierConfig{}).
	Verifier *Verifier
	Now      func() time.Time
	// Exchanged are the parts of the configuration other packages keep (the default permissions,
	// the groups) that export and import carry along with the settings sections.
	Exchanged []Exchanged
}

// Validate reports a missing dependency.
func (c ServiceConfig) Validate() error {
	if c.Store == nil || c.Client == nil || c.Audit == nil {
		return errors.New("settings: Store, Client and Audit are required")
	}
	return nil
}

// Service is the admin's view of the system configuration: typed sections, each updated with
// validation and one audit entry, plus export and import of the whole.
type Service struct {
	store    *Store
	client   *ent.Client
	audit    Auditor
	verifier *Verifier
	now      func() time.Time
	extra    []Exchanged
}

// NewService returns a Service.
func NewService(cfg ServiceConfig) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Verifier == nil {
		cfg.Verifier = NewVerifier(VerifierConfig{})
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{store: cfg.Store, client: cfg.Client, audit: cfg.Audit, verifier: cfg.Verifier, now: cfg.Now, extra: cfg.Exchanged}, nil
}

// SystemConfig is every section. It holds the secrets: the GraphQL types that show it have no
// secret fields, only whether each secret is set.
type SystemConfig struct {
	Auth              Auth
	Connections       Connections
	ToolServers       ToolServers
	CodeExecution     CodeExecution
	Models            Models
	PromptSuggestions PromptSuggestions
	Banners           Banners
	RateLimits        RateLimits
	OAuth             OAuth
	LDAP              LDAP
	UI                UI
}

// requireAdmin is the capability every configuration method asks for.
func requireAdmin(ctx context.Context) error { return authz.Require(ctx, authz.ManageConfig) }

// load returns section key's current value as T.
func load[T any](ctx context.Context, s *Service, key string) (T, error) {
	sec, _ := sectionByKey(key)
	v, err := sec.load(ctx, s.store)
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// Config returns the whole configuration without secrets.
func (s *Service) Config(ctx context.Context) (*SystemConfig, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	vals := make(map[string]any, len(sections))
	for _, sec := range sections {
		v, err := sec.load(ctx, s.store)
		if err != nil {
			return nil, err
		}
		// Not masked: the GraphQL types have no secret fields, and their *Set flags need the values.
		vals[sec.key] = v
	}
	return &SystemConfig{
		Auth: vals[AuthKey].(Auth), Connections: vals[ConnectionsKey].(Connections),
		ToolServers: vals[ToolServersKey].(ToolServers), CodeExecution: vals[CodeExecutionKey].(CodeExecution),
		Models: vals[ModelsKey].(Models), PromptSuggestions: vals[PromptSuggestionsKey].(PromptSuggestions),
		Banners: vals[BannersKey].(Banners), RateLimits: vals[RateLimitsKey].(RateLimits),
		OAuth: vals[OAuthKey].(OAuth), LDAP: vals[LDAPKey].(LDAP), UI: vals[UIKey].(UI),
	}, nil
}

// validate runs a section's own checks and those that need the database.
func (s *Service) validate(ctx context.Context, key string, v any) error {
	if err := v.(validator).Validate(); err != nil {
		return err
	}
	if a, ok := v.(Auth); ok && a.DefaultGroupID != "" {
		exists, err := s.client.Group.Query().Where(group.ID(a.DefaultGroupID)).Exist(authz.As(ctx, authz.Directory))
		if err != nil {
			return fmt.Errorf("checking default group: %w", err)
		}
		if !exists {
			return errs.Invalid("defaultGroupId", "no group has this id")
		}
	}
	return nil
}

// save stores next as section key when it differs from cur, with one audit entry listing the
// changed fields (secrets redacted). It returns the changes.
func (s *Service) save(ctx context.Context, key string, cur, next any) ([]Change, error) {
	changes, err := diff(key, cur, next)
	if err != nil {
		return nil, fmt.Errorf("comparing %s settings: %w", key, err)
	}
	if len(changes) == 0 {
		return nil, nil
	}
	err = db.InTx(ctx, s.client, func(ctx context.Context, _ *ent.Client) error {
		if err := s.store.Set(ctx, key, next); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Entry{
			Action: audit.ConfigUpdated, EntityType: "Config", EntityID: key,
			Description: fmt.Sprintf("%s settings updated (%d %s changed)", key, len(changes), plural(len(changes), "field")),
			Changes:     auditChanges(changes),
		})
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// update is the shape of every section mutation: admin check, load, change, validate, save.
func update[T any](ctx context.Context, s *Service, key string, change func(cur T) (T, error)) (T, error) {
	var zero T
	if err := requireAdmin(ctx); err != nil {
		return zero, err
	}
	cur, err := load[T](ctx, s, key)
	if err != nil {
		return zero, err
	}
	next, err := change(cur)
	if err != nil {
		return zero, err
	}
	if err := s.validate(ctx, key, next); err != nil {
		return zero, err
	}
	if _, err := s.save(ctx, key, cur, next); err != nil {
		return zero, err
	}
	return next, nil
}

// UpdateConnections applies p to the connections section.
func (s *Service) UpdateConnections(ctx context.Context, p ConnectionsPatch) (Connections, error) {
	return update(ctx, s, ConnectionsKey, func(c Connections) (Connections, error) { return p.apply(c), nil })
}

// SetToolServers replaces the tool server list. Servers given without a key keep their stored one.
func (s *Service) SetToolServers(ctx context.Context, in []ToolServerInput) (ToolServers, error) {
	out, err := update(ctx, s, ToolServersKey, func(cur ToolServers) (ToolServers, error) {
		next, err := toolServersFrom(in, cur)
		if err != nil {
			return nil, err
		}
		return next, nil
	})
	return out, prefixField(err, "servers")
}

// UpdateCodeExecution applies p to the code execution section.
func (s *Service) UpdateCodeExecution(ctx context.Context, p CodeExecutionPatch) (CodeExecution, error) {
	return update(ctx, s, CodeExecutionKey, func(c CodeExecution) (CodeExecution, error) { return p.apply(c), nil })
}

// UpdateModels applies p to the default models section.
func (s *Service) UpdateModels(ctx context.Context, p ModelsPatch) (Models, error) {
	return update(ctx, s, ModelsKey, func(m Models) (Models, error) { return p.apply(m), nil })
}

// SetPromptSuggestions replaces the prompt suggestions.
func (s *Service) SetPromptSuggestions(ctx context.Context, in PromptSuggestions) (PromptSuggestions, error) {
	out, err := update(ctx, s, PromptSuggestionsKey, func(PromptSuggestions) (PromptSuggestions, error) {
		return in.normalized(), nil
	})
	return out, prefixField(err, "suggestions")
}

// SetBanners replaces the banners.
func (s *Service) SetBanners(ctx context.Context, in []BannerInput) (Banners, error) {
	out, err := update(ctx, s, BannersKey, func(Banners) (Banners, error) {
		return bannersFrom(in, s.now()), nil
	})
	return out, prefixField(err, "banners")
}

// Banners returns the banners: UseAccount (every verified user).
func (s *Service) Banners(ctx context.Context) (Banners, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	return load[Banners](ctx, s, BannersKey)
}

// AuthPatch changes the authentication settings that are set and keeps the others.
type AuthPatch struct {
	EnableSignup      *bool
	DefaultUserRole   *user.Role
	DefaultGroupID    *string
	JWTExpiresIn      *string
	EnableAPIKeys     *bool
	ShowAdminDetails  *bool
	PasswordMinLength *int
}

// UpdateAuth applies p to the authentication settings. Sign-up and sign-in read them on every
// request, so the change applies at once.
func (s *Service) UpdateAuth(ctx context.Context, p AuthPatch) (Auth, error) {
	return update(ctx, s, AuthKey, func(a Auth) (Auth, error) {
		setIf(&a.EnableSignup, p.EnableSignup)
		if p.DefaultUserRole != nil {
			a.DefaultUserRole = string(*p.DefaultUserRole)
		}
		setIf(&a.DefaultGroupID, p.DefaultGroupID)
		setIf(&a.JWTExpiresIn, p.JWTExpiresIn)
		setIf(&a.EnableAPIKeys, p.EnableAPIKeys)
		setIf(&a.ShowAdminDetails, p.ShowAdminDetails)
		setIf(&a.PasswordMinLength, p.PasswordMinLength)
		return a, nil
	})
}

// UpdateRateLimits applies p to the rate limits; the limiter reads them on every request.
func (s *Service) UpdateRateLimits(ctx context.Context, p RateLimitsPatch) (RateLimits, error) {
	return update(ctx, s, RateLimitsKey, func(r RateLimits) (RateLimits, error) { return p.apply(r), nil })
}

// VerifyToolServer connects to the server described by in (with the stored key of the same
// server when in carries none) and reports what it found.
func (s *Service) VerifyToolServer(ctx context.Context, in ToolServerInput) (Verification, error) {
	if err := requireAdmin(ctx); err != nil {
		return Verification{}, err
	}
	cur, err := load[ToolServers](ctx, s, ToolServersKey)
	if err != nil {
		return Verification{}, err
	}
	t, err := in.server(cur)
	if err != nil {
		return Verification{}, err
	}
	if err := t.Validate(); err != nil {
		return Verification{}, err
	}
	return s.verifier.Verify(ctx, t)
}
