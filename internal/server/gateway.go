package server

import (
	"log/slog"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/gateway"
	"github.com/steward-dev/steward/internal/models"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
)

// gatewayHandler builds the OpenAI-compatible API served at /v1.
func gatewayHandler(cfg config.Config, opts Options, logger *slog.Logger, authn *sessions.Service, perms authz.Permissions,
	modelService *models.Service, bill *billing.Service, store *settings.Store, client *ent.Client) (*gateway.Gateway, error) {
	g := cfg.Gateway
	return gateway.New(gateway.Config{
		Authn: authn, Perms: perms, Models: modelService, Meter: bill, Upstreams: gateway.FromSettings{Source: store}, Users: client,
		DefaultMaxTokens: g.DefaultMaxTokens, MaxBodyBytes: g.MaxBodyBytes, HoldTTL: g.HoldTTL,
		UnknownUsers: gateway.UnknownUserPolicy(g.UnknownUsers), Logger: logger, Now: opts.Now,
	})
}
