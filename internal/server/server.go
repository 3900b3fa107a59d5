// Package server wires steward together: it opens the database, builds the domain services and
// serves GraphQL (HTTP, websockets, SSE), the playground, health checks and metrics.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/graph"
	"github.com/steward-dev/steward/internal/analytics"
	"github.com/steward-dev/steward/internal/appconfig"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/gqlexec"
	"github.com/steward-dev/steward/internal/groups"
	"github.com/steward-dev/steward/internal/loaders"
	"github.com/steward-dev/steward/internal/metrics"
	"github.com/steward-dev/steward/internal/models"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/querycache"
	"github.com/steward-dev/steward/internal/redisguard"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/internal/tracing"
	"github.com/steward-dev/steward/internal/users"
	"github.com/steward-dev/steward/web"
)

// Options are what New needs beyond the start-up configuration.
type Options struct {
	Logger *slog.Logger
	// Argon2 overrides the password hashing cost (tests use a cheap one); zero means OWASP's.
	Argon2 auth.Argon2Params
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// VerifyTimeout bounds a tool server verification; zero means settings.DefaultVerifyTimeout.
	VerifyTimeout time.Duration
	// KeepAlive is the websocket ping interval; zero means DefaultKeepAlive.
	KeepAlive time.Duration
	// LoaderWait is how long dataloaders collect keys; zero means loaders.DefaultWait.
	LoaderWait time.Duration
	// RenewEvery is how often the billing renewer runs while serving; 0 means its default.
	RenewEvery time.Duration
	// GatesOff turns the schema's @hasRole and @hasPermission gates off, for tests that prove the
	// domain's own capability checks hold without them. Never set it in production.
	GatesOff bool
	// QueryCacheTTL bounds how long a query's answer is reused while nothing is written (see
	// internal/querycache); zero means DefaultQueryCacheTTL and a negative value turns the cache
	// off. With Redis (several replicas) the replicas tell each other their writes.
	QueryCacheTTL time.Duration
	// CredentialCacheTTL bounds how long an authenticated credential is remembered; zero means
	// a minute alone and SharedCacheTTL with Redis, a negative value turns the cache off.
	CredentialCacheTTL time.Duration
}

// SharedCacheTTL bounds, with Redis, how long a replica may keep a credential another replica
// revoked, or (with a longer QueryCacheTTL) an answer another replica's write changed, when the
// announcement of the change was lost: Redis was unreachable when it was made. Announcements
// that arrive take effect at once.
const SharedCacheTTL = 2 * time.Second

// DefaultQueryCacheTTL bounds the staleness of what only the clock changes (isActive, expiring
// reservations) in a reused answer: a second is below what a person polling a page notices.
const DefaultQueryCacheTTL = time.Second

// App is a running steward: its database, services and HTTP handler.
type App struct {
	DB       *db.DB
	Settings *settings.Store
	Bus      events.Bus
	// Redis is the shared Redis client when REDIS_URL is set, else nil.
	Redis   *redis.Client
	Billing *billing.Service
	// Credentials authenticates and revokes sessions and API keys.
	Credentials *sessions.Service
	// Accounts and UserAdmin manage accounts, for the steward admin commands.
	Accounts  *users.Service
	UserAdmin *users.Admin
	// Renewer is the billing background job; Serve runs it, tests call RunOnce.
	Renewer *billing.Renewer
	// Config and Audit are the configuration service and the audit log, for steward
	// import-openwebui.
	Config  *settings.Service
	Audit   *audit.Log
	handler http.Handler
	logger  *slog.Logger
	closers []func()
}

// New opens and migrates the database, seeds settings from the environment and builds the handler.
func New(ctx context.Context, cfg config.Config, opts Options) (*App, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger = withRequestIDs(logger)
	secret, err := cfg.Secret()
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(secret, opts.Now)
	if err != nil {
		return nil, err
	}
	database, err := db.Open(ctx, db.Config{URL: cfg.DatabaseURL})
	if err != nil {
		return nil, err
	}
	app := &App{DB: database, logger: logger}
	if err := app.build(ctx, cfg, opts, tokens); err != nil {
		_ = app.Close()
		return nil, err
	}
	return app, nil
}

// connectRedis opens the shared Redis client and the event bus: Redis pub/sub when REDIS_URL is
// set, so events cross replicas, and an in-process bus otherwise. The client has short timeouts
// and a circuit breaker (internal/redisguard): rate limits and events sit on request paths, and a
// Redis that stops answering must make them fall back to local state, not hold every request.
func (a *App) connectRedis(ctx context.Context, redisURL, prefix string, m *metrics.Metrics) error {
	if redisURL == "" {
		bus, err := events.NewLocal(events.LocalConfig{OnDrop: m.BusDropped})
		a.Bus = bus
		return err
	}
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return fmt.Errorf("parsing REDIS_URL: %w", err)
	}
	redisguard.Tighten(opt)
	a.Redis = redis.NewClient(opt)
	a.Redis.AddHook(redisguard.New(redisguard.Config{Logger: a.logger}))
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := a.Redis.Ping(pingCtx).Err(); err != nil {
		return fmt.Errorf("connecting to Redis: %w", err)
	}
	bus, err := events.NewRedis(events.RedisConfig{Client: a.Redis, ChannelPrefix: prefix + "events:", Logger: a.logger, OnDrop: m.BusDropped})
	a.Bus = bus
	return err
}

func (a *App) build(ctx context.Context, cfg config.Config, opts Options, tokens *auth.Tokens) error {
	database, logger := a.DB, a.logger
	if err := database.Migrate(ctx); err != nil {
		return fmt.Errorf("migrating database: %w", err)
	}
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m, err := metrics.New(registry, database.SQL)
	if err != nil {
		return fmt.Errorf("registering metrics: %w", err)
	}
	if err := a.connectRedis(ctx, cfg.RedisURL, cfg.RedisPrefix, m); err != nil {
		return err
	}
	store := settings.NewStore(database.Client)
	a.Settings = store
	if err := store.SeedAll(authz.As(ctx, authz.Seeder), cfg.Auth, cfg.Seeds); err != nil {
		return err
	}
	if a.Redis != nil {
		stop, err := store.Propagate(ctx, settings.PropagationConfig{Client: a.Redis, Channel: cfg.RedisPrefix + "settings:changed", Logger: logger})
		if err != nil {
			return fmt.Errorf("connecting to Redis for settings changes: %w", err)
		}
		a.closers = append(a.closers, stop)
	}
	limits, err := newRateLimits(cfg, opts, logger, store, a.Redis, m)
	if err != nil {
		return err
	}
	auditLog := audit.New(database, opts.Now)
	auditLog.OnAppend(func(e *ent.AuditLog) {
		if err := a.Bus.Publish(context.Background(), events.Event{Topic: audit.Topic, Key: e.ID}); err != nil {
			logger.Warn("publishing audit event", "err", err)
		}
	})
	perms := permissions.New(database.Client, store, auditLog)
	sess, err := sessions.New(sessions.Config{Client: database.Client, Tokens: tokens, Settings: store, Permissions: perms, Audit: auditLog, Bus: a.Bus, Now: opts.Now,
		CacheTTL: credentialCacheTTL(opts.CredentialCacheTTL, a.Redis), OpenWebUI: openWebUIWindow(cfg.OpenWebUITokens, opts.Now, logger)})
	if err != nil {
		return err
	}
	a.Credentials = sess
	provider, err := paymentProvider(cfg.YooKassa)
	if err != nil {
		return err
	}
	bill, err := billing.New(billing.Config{DB: database, Audit: auditLog, Perms: perms, Payments: provider,
		DefaultPlanID: cfg.DefaultPlanID, SyncPendingAfter: cfg.YooKassa.SyncAfter,
		Recurring: billing.RecurringConfig{Enabled: cfg.Recurring.Enabled, Lead: cfg.Recurring.Lead, Dunning: cfg.Recurring.Dunning},
		Receipts:  receiptConfig(cfg.Receipts), Now: opts.Now, Logger: logger, Bus: a.Bus, Batch: db.NewBatcher(database.Client, usageBatchSize, usageBatchWorkers(database.Dialect)).OnBatch(m.UsageBatch)})
	if err != nil {
		return err
	}
	accounts, err := users.New(users.Config{DB: database, Hasher: auth.Hasher{Params: opts.Argon2}, Sessions: sess, Settings: store, Now: opts.Now,
		Limits: limits, Audit: auditLog, Logger: logger, OnSignup: bill.OnSignup})
	if err != nil {
		return err
	}
	signins, err := metrics.NewExternalSignins(registry)
	if err != nil {
		return fmt.Errorf("registering metrics: %w", err)
	}
	ext, err := newExternal(externalDeps{cfg: cfg, db: database, store: store, sessions: sess, audit: auditLog,
		onSignup: bill.OnSignup, limits: limits, metrics: signins, logger: logger, now: opts.Now})
	if err != nil {
		return err
	}
	groupService, err := groups.New(groups.Config{Client: database.Client, Audit: auditLog})
	if err != nil {
		return err
	}
	config, err := settings.NewService(settings.ServiceConfig{Store: store, Client: database.Client, Audit: auditLog, Now: opts.Now,
		Verifier:  settings.NewVerifier(settings.VerifierConfig{AllowPrivate: cfg.AllowPrivateToolServers, Timeout: opts.VerifyTimeout}),
		Exchanged: []settings.Exchanged{perms.Exchanged(), groupService.Exchanged()}})
	if err != nil {
		return err
	}
	a.Config, a.Audit = config, auditLog
	userAdmin, err := users.NewAdmin(users.AdminConfig{DB: database, Hasher: auth.Hasher{Params: opts.Argon2}, Sessions: sess, Settings: store, Audit: auditLog, Now: opts.Now,
		OnCreate: bill.OnSignup})
	if err != nil {
		return err
	}
	modelService, err := models.New(models.Config{Client: database.Client, Audit: auditLog, Perms: perms})
	if err != nil {
		return err
	}
	if err := modelService.RebuildGrants(ctx); err != nil {
		return err
	}
	insights, err := analytics.New(analytics.Config{Client: database.Client, DB: database, Now: opts.Now})
	if err != nil {
		return err
	}
	app, err := appconfig.New(appconfig.Config{Client: database.Client, Settings: store, Methods: ext.service.Methods})
	if err != nil {
		return err
	}
	schema, err := graph.NewSchema(&graph.Resolver{DB: database, Client: database.Client, Accounts: accounts, Credentials: sess, Perms: perms, Audit: auditLog,
		Bus: a.Bus, Settings: config, UserAdmin: userAdmin, GroupService: groupService, ModelService: modelService, Billing: bill, Analytics: insights, Now: opts.Now, GatesOff: opts.GatesOff,
		External: ext.service, LDAP: ext.ldap, App: app})
	if err != nil {
		return err
	}
	traces, err := tracing.New(ctx, cfg.Tracing, tracing.Options{Logger: logger, Attributes: requestAttributes})
	if err != nil {
		return err
	}
	gql, ws, err := graphqlHandler(graphqlDeps{tracer: traces.GraphQL(), schema: schema, txOpener: database.Client, authn: sess,
		origins: cfg.AllowedOrigins, limits: limits, logger: logger, metrics: m, keepAlive: opts.KeepAlive,
		wsMaxPerIP: cfg.WSMaxPerIP, wsAuthTimeout: cfg.WSAuthTimeout,
		bounds: cfg.Limits, introspection: cfg.Introspection, persistedOnly: cfg.PersistedOnly, persistedFile: cfg.PersistedOperations})
	if err != nil {
		flushTraces(traces, logger) // stops the exporter's goroutine
		return err
	}
	a.closers = append(a.closers, func() { _ = ws.Close() })
	gql.AroundResponses(gqlexec.Middleware)
	gql.AroundResponses(loaders.Middleware(database.Client, loaders.Sources{Analytics: insights, Billing: bill}, opts.LoaderWait))
	// The audit chain verification exists to notice edits made behind the service's back, and
	// the gateway's checkQuota must see reservations expire to the second: both always run.
	if ttl := queryCacheTTL(opts.QueryCacheTTL); ttl > 0 {
		writes := database.Writes
		if a.Redis != nil {
			// Replicas tell each other that they wrote, so that no answer outlives another's write.
			shared, err := querycache.NewSharedWrites(a.Bus, querycache.WritesTopic, database.Writes, 0)
			if err != nil {
				return err
			}
			a.closers = append(a.closers, shared.Close)
			writes = shared.Writes
		}
		gql.Use(querycache.New(querycache.Config{Writes: writes, TTL: ttl, Size: 512, Now: opts.Now,
			Uncached: []string{"verifyAuditChain", "checkQuota"}}))
	}

	mux := http.NewServeMux()
	mux.Handle("/graphql", withBodyLimit(cfg.Limits.BodyBytes, withDeadline(outerDeadline(cfg.Limits.Timeout),
		withViewer(sess, cfg.CookieSecure, cfg.AllowedOrigins, logger, ext.header.Wrap(withGraphQLRequests(withRateLimit(limits, gql)))))))
	ext.mount(mux)
	mux.Handle("POST /webhooks/yookassa", yookassaWebhook(bill, limits, logger))
	routes, err := a.routeCache(database, modelService, credentialCacheTTL(opts.CredentialCacheTTL, a.Redis), opts.Now)
	if err != nil {
		return err
	}
	gw, closeMeter, err := gatewayHandler(cfg, opts, logger, sess, perms, routes, bill, store, database.Client, userAdmin, registry, a.Redis != nil,
		database.WatchTables(billing.TermsTables...).Count)
	if err != nil {
		return err
	}
	mux.Handle("/v1/", gw)
	a.closers = append(a.closers, gw.Close, closeMeter)
	dist, err := web.Dist()
	if err != nil {
		return err
	}
	pages, err := newWebAssets(dist)
	if err != nil {
		return err
	}
	pages.mount(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		c, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := database.SQL.PingContext(c); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))

	var h http.Handler = mux
	h = withCORS(cfg.AllowedOrigins, h)
	h = withSecurityHeaders(cfg.Env == "production", h)
	h = withRefusalCounts(m, h)
	// Inside withRequestInfo, so that the request id is known when the request's span starts.
	h = withRequestInfo(trustedProxies(cfg, logger), traces.HTTP(h))
	h = withAdminsBypass(cfg.BypassAdminAccessControl, h)
	h = withRecover(logger, h)
	a.Billing, a.Renewer = bill, billing.NewRenewer(bill, opts.RenewEvery)
	a.Accounts, a.UserAdmin = accounts, userAdmin
	a.handler = h
	// Last, so that Close flushes the spans of everything that stops before it.
	a.closers = append(a.closers, func() { flushTraces(traces, logger) })
	return nil
}

// routeWritesTopic carries, between replicas, the notice that one of them wrote to the tables
// that decide which models a user may call (models.RouteTables).
const routeWritesTopic = "db.writes.routes"

// routeCache remembers the gateway's model routes per caller until a write to the tables they
// are read from, on this replica or (through the bus) another, or ttl: the bound for an edit
// made behind steward's back (a minute alone) or a replica's lost notice (SharedCacheTTL), as
// for the credentials the same calls are authenticated with.
func (a *App) routeCache(database *db.DB, s *models.Service, ttl time.Duration, now func() time.Time) (*models.RouteCache, error) {
	writes := database.WatchTables(models.RouteTables...).Count
	if a.Redis != nil {
		shared, err := querycache.NewSharedWrites(a.Bus, routeWritesTopic, writes, 0)
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, shared.Close)
		writes = shared.Writes
	}
	return models.NewRouteCache(s, models.RouteCacheConfig{Writes: writes, TTL: ttl, Now: now})
}

// trustedProxies are the configured proxies; the deprecated STEWARD_TRUST_PROXY=true, alone,
// means a proxy on this machine (loopback), never "believe any X-Forwarded-For".
func trustedProxies(cfg config.Config, logger *slog.Logger) []netip.Prefix {
	if len(cfg.TrustedProxies) > 0 || !cfg.TrustProxy {
		return cfg.TrustedProxies
	}
	logger.Warn("STEWARD_TRUST_PROXY is deprecated: set STEWARD_TRUSTED_PROXIES to your proxies' addresses; trusting loopback proxies only")
	return loopbackProxies
}

// credentialCacheTTL is how long authenticated credentials are remembered: a minute when this
// process runs alone, where every revocation goes through it and drops them at once, so that the
// TTL only bounds an edit made by hand in the database (and a gateway user who calls every half
// minute is not looked up each time); SharedCacheTTL with Redis, where other replicas'
// revocations arrive as events and the TTL bounds a lost one.
func credentialCacheTTL(configured time.Duration, shared *redis.Client) time.Duration {
	switch {
	case configured != 0:
		return max(configured, 0)
	case shared != nil:
		return SharedCacheTTL
	}
	return time.Minute
}

// openWebUIWindow turns the configured migration window into the sessions' one, and says at start
// whether Open WebUI's tokens are accepted, so that an operator sees a window that has ended.
func openWebUIWindow(c config.OpenWebUITokens, now func() time.Time, logger *slog.Logger) sessions.OpenWebUIWindow {
	if c.Until.IsZero() {
		return sessions.OpenWebUIWindow{}
	}
	if now == nil {
		now = time.Now
	}
	if !now().Before(c.Until) {
		logger.Warn("the window for Open WebUI's tokens has ended: they are refused", "ended", c.Until)
	} else {
		logger.Info("accepting Open WebUI's tokens for imported accounts", "until", c.Until)
	}
	return sessions.OpenWebUIWindow{Secret: []byte(c.Secret), Until: c.Until}
}

// queryCacheTTL is the query cache's TTL, or 0 when it is off.
func queryCacheTTL(configured time.Duration) time.Duration {
	switch {
	case configured < 0:
		return 0
	case configured == 0:
		return DefaultQueryCacheTTL
	}
	return configured
}

// receiptConfig returns the billing receipt settings when receipts are on, nil otherwise.
func receiptConfig(c config.Receipts) *billing.ReceiptConfig {
	if !c.Enabled {
		return nil
	}
	return &billing.ReceiptConfig{VATCode: c.VATCode, PaymentSubject: c.PaymentSubject, PaymentMode: c.PaymentMode, TaxSystemCode: c.TaxSystemCode}
}

// paymentProvider returns YooKassa when its credentials are set, payments.Unconfigured when none
// are, and an error for a half-done or invalid configuration.
func paymentProvider(c config.YooKassa) (payments.Provider, error) {
	yk, err := yookassa.New(yookassa.Config{ShopID: c.ShopID, SecretKey: c.SecretKey, BaseURL: c.APIURL, Timeout: 8 * time.Second})
	if payments.IsNotConfigured(err) {
		return payments.Unconfigured{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("YooKassa configuration: %w", err)
	}
	return yk, nil
}

// Handler serves the whole API.
func (a *App) Handler() http.Handler { return a.handler }

// Close disconnects websocket clients, stops listening for settings changes and releases the
// event bus, Redis and the database.
func (a *App) Close() error {
	for _, c := range a.closers {
		c()
	}
	var errs []error
	if a.Bus != nil {
		errs = append(errs, a.Bus.Close())
	}
	if a.Redis != nil {
		errs = append(errs, a.Redis.Close())
	}
	return errors.Join(append(errs, a.DB.Close())...)
}

// Serve listens on addr until ctx is cancelled, then shuts down gracefully: it stops accepting,
// lets running requests finish for up to 15 seconds, and closes.
func (a *App) Serve(ctx context.Context, addr string, ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	return a.ServeListener(ctx, ln)
}

// ServeListener is Serve on a listener the caller opened (one shared with other processes
// through SO_REUSEPORT, say); it closes ln when it returns.
func (a *App) ServeListener(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		// No WriteTimeout: websocket and SSE responses stay open for as long as clients listen.
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// The renewer stops with the server: its context ends when Serve returns.
	jobCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() { defer close(jobsDone); a.Renewer.Run(jobCtx) }()
	defer func() { stopJobs(); <-jobsDone }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
