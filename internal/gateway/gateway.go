// Package gateway is steward's OpenAI-compatible API at /v1: Open WebUI (or any OpenAI client)
// points at it, and every model call is authenticated as a steward user, limited to the models
// that user may read, metered against their plan's quotas with a reservation taken before the
// upstream is called, and settled with the upstream's reported usage after it answers.
//
// A call's life: authenticate the key (and, for a service key holding gateway.forward_user, the
// user Open WebUI names in its forwarded headers); check CallModels; find the model through the
// models service (its access list decides); hold one request plus the counted prompt and the
// answer's bound (Meter.HoldCall: in the server billing.Leases, which admits calls in memory
// against budget leases and writes usage in batches), refusing with 429 insufficient_quota before
// any upstream is called; forward to the model's upstreams in order, failing over while nothing was sent to the
// client; relay the answer (streams chunk by chunk, flushed); settle with the reported usage, or
// the counted text when there is none. Every path that ends before settling releases the hold,
// and the reservation's TTL is the backstop if the process dies.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/models"
)

// Authenticator turns a bearer credential into the viewer it belongs to (internal/sessions).
type Authenticator interface {
	Authenticate(ctx context.Context, credential string) (*auth.Viewer, error)
}

// Models finds the models the context's viewer may read (internal/models).
type Models interface {
	List(ctx context.Context) ([]*ent.Model, error)
	Get(ctx context.Context, id string) (*ent.Model, error)
	// Route is what a call needs of the model, read without its metadata.
	Route(ctx context.Context, id string) (models.Route, error)
}

// Accounts finds an account by id for forwarded users, through a cache that forgets it when its
// role changes (internal/sessions); optional.
type Accounts interface {
	Account(ctx context.Context, id string) (*auth.Viewer, error)
}

// Meter holds and settles the calls (internal/billing).
type Meter interface {
	HoldCall(ctx context.Context, in billing.CallHold) (billing.Call, error)
	SettleCall(ctx context.Context, c billing.Call, u billing.CallUsage) error
	ReleaseCall(ctx context.Context, c billing.Call) error
}

// Upstreams lists the upstreams that serve a model, in the order to try them.
type Upstreams interface {
	For(ctx context.Context, model string) ([]Upstream, error)
}

// Config wires a Gateway.
type Config struct {
	Authn     Authenticator
	Perms     authz.Permissions
	Models    Models
	Meter     Meter
	Upstreams Upstreams
	// Users finds the user named by forwarded headers.
	Users *ent.Client
	// Accounts, when set, finds forwarded users by id instead of a query per call.
	Accounts Accounts
	// Counter counts prompt and answer tokens; nil means Tiktoken.
	Counter Counter
	// Preload loads Tiktoken's encodings in the background at once rather than in the first
	// call that needs them: the server sets it when upstreams are configured.
	Preload bool
	// DefaultMaxTokens is held for the answer when a request sets no max_tokens; 0 means 4096.
	DefaultMaxTokens int64
	// MaxBodyBytes bounds a request body; 0 means 8 MiB.
	MaxBodyBytes int64
	// UnknownUsers decides what a forwarded user steward does not know gets: UnknownRefuse (the
	// default) or UnknownPending (an account is created as pending, for an admin to approve).
	UnknownUsers UnknownUserPolicy
	// CreatePending creates a pending account for a forwarded user (UnknownPending only).
	CreatePending func(ctx context.Context, name, email string) (string, error)
	// HoldTTL bounds how long an unsettled call holds its quota; 0 means 10 minutes.
	HoldTTL time.Duration
	// Transport reaches the upstreams; nil means NewTransport().
	Transport http.RoundTripper
	Logger    *slog.Logger
	Now       func() time.Time
	// Metrics registers the gateway's Prometheus series; nil records none.
	Metrics prometheus.Registerer
	// ServerTiming adds a Server-Timing header to answers, with the time each step took before
	// the answer started (STEWARD_GATEWAY_SERVER_TIMING; for load tests: it shows internals).
	ServerTiming bool
}

// UnknownUserPolicy is what happens to a forwarded user that steward does not know.
type UnknownUserPolicy string

// The policies for unknown forwarded users.
const (
	UnknownRefuse  UnknownUserPolicy = "refuse"
	UnknownPending UnknownUserPolicy = "pending"
)

// Validate reports a missing dependency or a bad setting.
func (c Config) Validate() error {
	if c.Authn == nil || c.Perms == nil || c.Models == nil || c.Meter == nil || c.Upstreams == nil || c.Users == nil {
		return errors.New("gateway: Authn, Perms, Models, Meter, Upstreams and Users are required")
	}
	switch c.UnknownUsers {
	case "", UnknownRefuse:
	case UnknownPending:
		if c.CreatePending == nil {
			return errors.New("gateway: UnknownPending needs CreatePending")
		}
	default:
		return fmt.Errorf("gateway: unknown-user policy %q is neither refuse nor pending", c.UnknownUsers)
	}
	if c.DefaultMaxTokens < 0 || c.DefaultMaxTokens > maxAnswerTokens || c.MaxBodyBytes < 0 || c.HoldTTL < 0 {
		return errors.New("gateway: DefaultMaxTokens, MaxBodyBytes and HoldTTL must not be negative")
	}
	return nil
}

// Gateway serves the OpenAI-compatible API. It is safe for concurrent use.
type Gateway struct {
	cfg     Config
	client  *http.Client
	logger  *slog.Logger
	now     func() time.Time
	mux     *http.ServeMux
	metrics *metrics
	// prompts counts prompts, remembering what the calls of a conversation send again.
	prompts *RememberedCounts
	// settling counts the settlements still running after their responses ended.
	settling sync.WaitGroup
}

// Close waits for the settlements of calls that have already answered; call it after the HTTP
// server has stopped and before the database closes.
func (g *Gateway) Close() { g.settling.Wait() }

// promptCountsKept bounds the prompt texts whose counts are remembered (about 100 bytes each).
const promptCountsKept = 16384

// New returns a Gateway; its handler serves paths under /v1.
func New(cfg Config) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Counter == nil {
		t := &Tiktoken{}
		if cfg.Preload {
			go t.loadEncodings()
		}
		cfg.Counter = t
	}
	if cfg.DefaultMaxTokens == 0 {
		cfg.DefaultMaxTokens = 4096
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 8 << 20
	}
	if cfg.HoldTTL == 0 {
		cfg.HoldTTL = 10 * time.Minute
	}
	if cfg.UnknownUsers == "" {
		cfg.UnknownUsers = UnknownRefuse
	}
	if cfg.Transport == nil {
		cfg.Transport = NewTransport()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		return nil, fmt.Errorf("gateway metrics: %w", err)
	}
	g := &Gateway{cfg: cfg, client: &http.Client{Transport: cfg.Transport}, logger: cfg.Logger, now: cfg.Now, metrics: m,
		prompts: NewRememberedCounts(cfg.Counter, promptCountsKept)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", m.counted("models", g.listModels))
	mux.HandleFunc("GET /v1/models/{id...}", m.counted("models", g.getModel))
	for _, k := range []kind{chatCompletions, completions, embeddings} {
		mux.HandleFunc("POST /v1"+k.path(), m.counted(k.path(), func(w http.ResponseWriter, r *http.Request) { g.serveCall(w, r, k) }))
	}
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		(&apiError{Status: http.StatusNotFound, Type: "invalid_request_error",
			Message: fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path)}).write(w)
	})
	g.mux = mux
	return g, nil
}

// ServeHTTP serves /v1.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) { g.mux.ServeHTTP(w, r) }

// NewTransport is the transport to the upstreams: keep-alive connections, enough idle ones per
// upstream for a thousand concurrent streams, and bounded dialing and TLS handshakes (each
// upstream's own timeout bounds the wait for its answer).
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 2048
	t.MaxIdleConnsPerHost = 1024
	t.IdleConnTimeout = 90 * time.Second
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ExpectContinueTimeout = 0
	return t
}

// fail answers e, logging errors no client may see.
func (g *Gateway) fail(ctx context.Context, w http.ResponseWriter, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		ae.write(w)
		return
	}
	if e, ok := fromDomain(err, g.now()); ok {
		e.write(w)
		return
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return // the client went away; nobody reads an answer
	}
	id := auth.RequestFrom(ctx).ID
	g.logger.ErrorContext(ctx, "gateway call failed", "err", err, "request_id", id)
	internalError(id).write(w)
}

// readBody reads a request body up to the limit.
func (g *Gateway) readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, g.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, invalidRequest("", "could not read the request body")
	}
	if int64(len(body)) > g.cfg.MaxBodyBytes {
		return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error",
			Message: fmt.Sprintf("the request body is larger than %d bytes", g.cfg.MaxBodyBytes)}
	}
	return body, nil
}
