// Package appconfig answers what a front end shows before and after sign-in: the platform's name
// and language, the sign-in methods, whom a pending user asks for approval, and what the chat
// screen starts with. It is Open WebUI's /api/config and /api/v1/auths/admin/details in one
// question, with nothing secret or admin-only in it.
package appconfig

import (
	"context"
	"errors"
	"fmt"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/externalauth"
	"github.com/steward-dev/steward/internal/settings"
)

// Config wires a Service.
type Config struct {
	Client   *ent.Client
	Settings *settings.Store
	// Methods lists the sign-in methods (internal/externalauth).
	Methods func(ctx context.Context) (externalauth.Methods, error)
}

// Service answers appConfig.
type Service struct {
	client   *ent.Client
	settings *settings.Store
	methods  func(ctx context.Context) (externalauth.Methods, error)
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Client == nil || cfg.Settings == nil || cfg.Methods == nil {
		return nil, errors.New("appconfig: Client, Settings and Methods are required")
	}
	return &Service{client: cfg.Client, settings: cfg.Settings, methods: cfg.Methods}, nil
}

// AppConfig is the answer. Its parts cost a query each, so each is read only when asked for.
type AppConfig struct {
	s *Service
	// Name and DefaultLocale are the interface settings.
	Name, DefaultLocale string
}

// Contact is the admin a pending user asks for approval.
type Contact struct{ Name, Email string }

// Chat is what the chat screen starts with, for verified users.
type Chat struct {
	DefaultModels, DefaultPinnedModels, ModelOrderList []string
	PromptSuggestions                                  settings.PromptSuggestions
	Banners                                            settings.Banners
}

// Get returns the app configuration. Anyone may ask: the sign-in page shows it.
func (s *Service) Get(ctx context.Context) (*AppConfig, error) {
	ui, err := s.settings.UI(ctx)
	if err != nil {
		return nil, err
	}
	return &AppConfig{s: s, Name: ui.Name, DefaultLocale: ui.DefaultLocale}, nil
}

// SignInMethods are the sign-in methods that are on.
func (a *AppConfig) SignInMethods(ctx context.Context) (*externalauth.Methods, error) {
	m, err := a.s.methods(ctx)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// Onboarding says that no account exists yet: the first sign-up becomes the admin.
func (a *AppConfig) Onboarding(ctx context.Context) (bool, error) {
	exists, err := a.s.client.User.Query().Exist(authz.As(ctx, authz.Directory))
	if err != nil {
		return false, fmt.Errorf("checking for accounts: %w", err)
	}
	return !exists, nil
}

// AdminContact is the primary admin's name and email, for signed-in callers (pending ones are
// who need it) when SHOW_ADMIN_DETAILS is on; nil otherwise. Anonymous callers never get it, so
// that an admin's address is not published to the internet.
func (a *AppConfig) AdminContact(ctx context.Context) (*Contact, error) {
	if auth.ViewerFrom(ctx) == nil {
		return nil, nil
	}
	au, err := a.s.settings.Auth(ctx)
	if err != nil || !au.ShowAdminDetails {
		return nil, err
	}
	admin, err := a.s.client.User.Query().Where(user.RoleEQ(user.RoleADMIN)).
		Order(ent.Asc(user.FieldCreatedAt), ent.Asc(user.FieldID)).First(authz.As(ctx, authz.Directory))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("finding the admin: %w", err)
	}
	return &Contact{Name: admin.Name, Email: admin.Email}, nil
}

// Chat is what the chat screen starts with, for verified users; nil for anyone else.
func (a *AppConfig) Chat(ctx context.Context) (*Chat, error) {
	if !auth.ViewerFrom(ctx).IsVerified() {
		return nil, nil
	}
	var (
		m  = settings.DefaultModelsConfig()
		ps = settings.DefaultPromptSuggestions()
		bs = settings.DefaultBanners()
	)
	for key, dst := range map[string]any{settings.ModelsKey: &m, settings.PromptSuggestionsKey: &ps, settings.BannersKey: &bs} {
		if _, err := a.s.settings.Get(ctx, key, dst); err != nil {
			return nil, err
		}
	}
	return &Chat{DefaultModels: orEmpty(m.DefaultModels), DefaultPinnedModels: orEmpty(m.DefaultPinnedModels),
		ModelOrderList: orEmpty(m.ModelOrderList), PromptSuggestions: ps, Banners: bs}, nil
}

func orEmpty(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
