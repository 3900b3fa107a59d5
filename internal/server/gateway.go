package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/gateway"
	"github.com/steward-dev/steward/internal/models"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/internal/users"
)

// gatewayHandler builds the OpenAI-compatible API served at /v1.
func gatewayHandler(cfg config.Config, opts Options, logger *slog.Logger, authn *sessions.Service, perms authz.Permissions,
	routes *models.RouteCache, bill *billing.Service, store *settings.Store, client *ent.Client, userAdmin *users.Admin, registry prometheus.Registerer,
	shared bool, termsWrites func() uint64) (*gateway.Gateway, func(), error) {
	g := cfg.Gateway
	register := func(ctx context.Context, name, email string) (string, error) {
		u, err := userAdmin.RegisterForwarded(authz.As(ctx, authz.Gateway), name, email)
		if err != nil {
			return "", err
		}
		return u.ID, nil
	}
	// The gateway meters through leases (billing.Leases), closed after the gateway's own Close
	// has let every answered call settle.
	upstreams := gateway.FromSettings{Source: store}
	// Without upstreams the gateway answers nothing, and its tokenizer would only take memory.
	configured, err := upstreams.Configured(authz.As(context.Background(), authz.Settings))
	if err != nil {
		return nil, nil, err
	}
	// Alone, a lease past its window is extended without a read while no subscription or plan
	// was written; replicas read, as another's write would reach them only by a notice that
	// could be lost, and a plan change must reach calls within the window.
	lc := billing.LeaseConfig{Calls: g.LeaseCalls, Idle: leaseIdle(g.LeaseIdle, shared), HoldTTL: g.HoldTTL, Logger: logger}
	if !shared {
		lc.TermsWrites = termsWrites
	}
	meter := billing.NewLeases(bill, lc)
	gw, err := gateway.New(gateway.Config{
		Authn: authn, Perms: perms, Models: routes, Meter: meter, Upstreams: upstreams, Users: client, Accounts: authn, Preload: configured,
		DefaultMaxTokens: g.DefaultMaxTokens, MaxBodyBytes: g.MaxBodyBytes, HoldTTL: g.HoldTTL,
		UnknownUsers: gateway.UnknownUserPolicy(g.UnknownUsers), CreatePending: register, Logger: logger, Now: opts.Now,
		Metrics: registry, ServerTiming: g.ServerTiming,
	})
	if err != nil {
		meter.Close()
		return nil, nil, err
	}
	return gw, meter.Close, nil
}

// leaseIdle is how long a user's budget lease outlives their last call. Unless configured: 2 min
// for a process alone, where only this process could want an idle lease's rest and it gives the
// rest back in the transaction that needs it, so that a user who writes a message every minute
// or so is admitted from memory; 10 s with replicas (Redis), where the rest held idle on one can
// refuse a call near the limit on another until it returns.
func leaseIdle(configured time.Duration, shared bool) time.Duration {
	switch {
	case configured > 0:
		return configured
	case shared:
		return 10 * time.Second
	}
	return 2 * time.Minute
}
