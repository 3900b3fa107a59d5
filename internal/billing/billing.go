// Package billing holds the billing rules: plans and their quotas, subscriptions and their
// calendar periods, usage metering with exact quota enforcement, reservations, and payments
// through a payments.Provider.
//
// Exactness does not rely on any process-local lock, because several replicas may share one
// PostgreSQL database: every quota decision is a single conditional statement on the
// usage_counters row (an upsert whose update only happens while used + reserved + amount stays
// within the limit), so the database arbitrates concurrent callers. On SQLite, write transactions
// are serialised at BEGIN (_txlock=immediate), which gives the same guarantee.
package billing

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/payments"
)

// UsageWritePermission is the permission that lets a non-admin caller (typically the LLM
// gateway's API key) meter usage for any user.
const UsageWritePermission = authz.UsageWritePermission

// PermissionChecker is what billing needs of internal/permissions.
type PermissionChecker = authz.Permissions

// Config wires a Service.
type Config struct {
	DB    *db.DB
	Audit *audit.Log
	Perms PermissionChecker
	// Payments is the payment provider; nil means payments.Unconfigured.
	Payments payments.Provider
	// DefaultPlanID is the plan new accounts get (STEWARD_DEFAULT_PLAN_ID); empty for none.
	DefaultPlanID string
	// SyncPendingAfter is how long a payment stays PENDING before the renewer re-reads it from
	// the provider (a lost notification); 0 means DefaultSyncPendingAfter.
	SyncPendingAfter time.Duration
	// Recurring configures saved payment methods and renewal charges; its zero value is off.
	Recurring RecurringConfig
	// Receipts, when set, sends a fiscal receipt (54-FZ) with every payment and refund.
	Receipts *ReceiptConfig
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Random feeds plan id suffixes; nil means crypto/rand.
	Random io.Reader
	Logger *slog.Logger
	// Bus receives live usage updates and quota alerts; nil publishes nothing.
	Bus events.Bus
	// Batch, when set, groups the transactions of concurrent RecordUsage calls that arrive
	// outside a transaction (see db.Batcher); nil gives each call a transaction of its own. New
	// sets its Prefetch, which reads the subscriptions of a batch's users at once.
	Batch *db.Batcher
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.DB == nil || c.Audit == nil || c.Perms == nil {
		return errors.New("billing: DB, Audit and Perms are required")
	}
	all := []error{c.Recurring.Validate()}
	if c.Receipts != nil {
		all = append(all, c.Receipts.Validate())
	}
	return errors.Join(all...)
}

// Service implements the billing rules. It is safe for concurrent use.
type Service struct {
	db            *db.DB
	client        *ent.Client
	audit         *audit.Log
	perms         PermissionChecker
	provider      payments.Provider
	defaultPlanID string
	syncAfter     time.Duration
	recurring     RecurringConfig
	receipts      *ReceiptConfig
	clock         func() time.Time
	random        io.Reader
	logger        *slog.Logger
	bus           events.Bus
	batch         *db.Batcher
	postgres      bool
	// deferBatches has usage batches decide quotas in Go and write once (usageBatch); off only
	// in BenchmarkUsageBatch, which measures what it saves.
	deferBatches bool
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Payments == nil {
		cfg.Payments = payments.Unconfigured{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Recurring.Lead == 0 {
		cfg.Recurring.Lead = DefaultRenewalLead
	}
	if cfg.Recurring.Dunning == nil {
		cfg.Recurring.Dunning = DefaultDunning
	}
	if cfg.SyncPendingAfter <= 0 {
		cfg.SyncPendingAfter = DefaultSyncPendingAfter
	}
	s := &Service{
		db: cfg.DB, client: cfg.DB.Client, audit: cfg.Audit, perms: cfg.Perms, provider: cfg.Payments,
		defaultPlanID: cfg.DefaultPlanID, syncAfter: cfg.SyncPendingAfter, recurring: cfg.Recurring, receipts: cfg.Receipts, clock: cfg.Now, random: cfg.Random, logger: cfg.Logger, bus: cfg.Bus,
		batch: cfg.Batch, postgres: cfg.DB.Dialect == dialect.Postgres, deferBatches: true,
	}
	if cfg.Batch != nil {
		cfg.Batch.Prefetch(s.prefetchUsage)
	}
	return s, nil
}

// now is the clock in UTC, truncated to microseconds: PostgreSQL keeps no more, and a time must
// compare equal after a round trip through either database.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// PaymentsConfigured reports whether a real payment provider is wired in.
func (s *Service) PaymentsConfigured() bool {
	_, off := s.provider.(payments.Unconfigured)
	return !off
}

// client returns ctx's transaction client, or the service's.
func (s *Service) clientFrom(ctx context.Context) *ent.Client { return db.ClientFrom(ctx, s.client) }

// rebind rewrites '?' placeholders for the database in use.
func (s *Service) rebind(q string) string { return db.Rebind(s.db.Dialect, q) }

// liveStatuses are the statuses of a current subscription, as in the partial unique index
// plansubscription_current_per_user.
var liveStatuses = []string{"ACTIVE", "TRIALING", "PAST_DUE", "PAUSED"}

// liveStatusList is liveStatuses as an SQL list, for the hand-written statements.
const liveStatusList = "('ACTIVE','TRIALING','PAST_DUE','PAUSED')"
