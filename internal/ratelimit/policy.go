package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// Rules are the limits a Policy enforces; a nil rule is off. They are read on every check, so a
// change of the persisted settings applies to the next request.
type Rules struct {
	Enabled          bool
	SigninPerEmail   *Limit
	SigninPerIP      *Limit
	SignupPerIP      *Limit
	MutationsPerUser *Limit
	RequestsPerIP    *Limit
}

// PolicyConfig configures a Policy.
type PolicyConfig struct {
	// Limiter counts the events; required. With Redis, a Fallback over Redis and Memory.
	Limiter Limiter
	// Rules returns the current rules; required.
	Rules func(ctx context.Context) (Rules, error)
	// Logger receives limiter failures; nil means slog.Default().
	Logger *slog.Logger
	// OnRefused, when set, is told the rule of each refused check ("signin:ip", "mutation:user"),
	// for metrics.
	OnRefused func(rule string)
	// WebhooksPerIP bounds the payment webhook calls of one address; nil is off. It is a start-up
	// setting rather than a rule, so it holds even while an admin has turned the rules off.
	WebhooksPerIP *Limit
}

// Validate reports a missing dependency.
func (c PolicyConfig) Validate() error {
	if c.Limiter == nil || c.Rules == nil {
		return errors.New("ratelimit: policy needs a Limiter and Rules")
	}
	return nil
}

// Policy applies steward's named limits: sign-in per email and per address, sign-up per
// address, mutations per user and requests per address. Every check reports its result to the
// response headers (see WithHeaders) and refuses with RATE_LIMITED and the time to wait.
type Policy struct {
	limiter   Limiter
	rules     func(ctx context.Context) (Rules, error)
	logger    *slog.Logger
	onRefused func(rule string)
	webhooks  *Limit
}

// NewPolicy returns a Policy.
func NewPolicy(cfg PolicyConfig) (*Policy, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Policy{limiter: cfg.Limiter, rules: cfg.Rules, logger: cfg.Logger, onRefused: cfg.OnRefused, webhooks: cfg.WebhooksPerIP}, nil
}

// Webhook counts one payment webhook call of the caller's address.
func (p *Policy) Webhook(ctx context.Context) error {
	return p.check(ctx, "webhook:ip:"+auth.RequestFrom(ctx).IP, p.webhooks, "too many notifications from this address")
}

// Signin counts one sign-in attempt for the caller's address and for email. Each attempt counts,
// whether it succeeds or not, and however many a request carries.
func (p *Policy) Signin(ctx context.Context, email string) error {
	r, ok := p.load(ctx)
	if !ok {
		return nil
	}
	if err := p.check(ctx, "signin:ip:"+auth.RequestFrom(ctx).IP, r.SigninPerIP,
		"too many sign-in attempts from this address"); err != nil {
		return err
	}
	return p.check(ctx, "signin:email:"+hashKey(strings.ToLower(strings.TrimSpace(email))), r.SigninPerEmail,
		"too many sign-in attempts for this account")
}

// Signup counts one sign-up attempt for the caller's address.
func (p *Policy) Signup(ctx context.Context) error {
	r, ok := p.load(ctx)
	if !ok {
		return nil
	}
	return p.check(ctx, "signup:ip:"+auth.RequestFrom(ctx).IP, r.SignupPerIP, "too many sign-ups from this address")
}

// Mutation counts one mutation of userID.
func (p *Policy) Mutation(ctx context.Context, userID string) error {
	r, ok := p.load(ctx)
	if !ok {
		return nil
	}
	return p.check(ctx, "mutation:user:"+userID, r.MutationsPerUser, "too many changes in a short time")
}

// Request counts one request of the caller's address against the global ceiling.
func (p *Policy) Request(ctx context.Context) error {
	r, ok := p.load(ctx)
	if !ok {
		return nil
	}
	return p.check(ctx, "request:ip:"+auth.RequestFrom(ctx).IP, r.RequestsPerIP, "too many requests from this address")
}

func (p *Policy) load(ctx context.Context) (Rules, bool) {
	r, err := p.rules(ctx)
	if err != nil {
		// Without its rules the policy cannot decide; refusing every request would turn a database
		// hiccup into an outage, so it lets the request through and says so.
		p.logger.ErrorContext(ctx, "reading rate limits failed; not limiting this request", "err", err)
		return Rules{}, false
	}
	return r, r.Enabled
}

func (p *Policy) check(ctx context.Context, key string, limit *Limit, msg string) error {
	if limit == nil {
		return nil
	}
	// The limit is part of the key: GCRA state is a time, and under a changed limit an old state
	// would keep refusing for a while, so an admin raising a limit would not see it apply at once.
	res, err := p.limiter.Allow(ctx, key+"|"+limit.String(), *limit)
	if err != nil {
		p.logger.ErrorContext(ctx, "rate limiter failed; not limiting this request", "err", err, "limit", limit.String())
		return nil
	}
	report(ctx, res)
	if !res.Allowed {
		if p.onRefused != nil {
			// The rule is the key without its subject (an address, a user, a hashed email).
			parts := strings.SplitN(key, ":", 3)
			p.onRefused(strings.Join(parts[:min(2, len(parts))], ":"))
		}
		wait := max(res.RetryAfter, time.Second)
		return errs.RateLimited(fmt.Sprintf("%s: try again in %d s", msg, ceilSeconds(wait)), wait)
	}
	return nil
}

// hashKey keeps personal data (emails) out of the limiter's store.
func hashKey(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// HeaderSink collects the results of one request's checks and writes the most restrictive as
// RateLimit-* and Retry-After headers.
type HeaderSink struct {
	mu   sync.Mutex
	set  func(key, value string)
	best *Result
}

// NewHeaderSink returns a sink that writes headers through set (typically w.Header().Set, before
// the body is written).
func NewHeaderSink(set func(key, value string)) *HeaderSink { return &HeaderSink{set: set} }

type sinkKey struct{}

// WithHeaders returns ctx whose checks report to sink.
func WithHeaders(ctx context.Context, sink *HeaderSink) context.Context {
	return context.WithValue(ctx, sinkKey{}, sink)
}

func report(ctx context.Context, res Result) {
	if s, _ := ctx.Value(sinkKey{}).(*HeaderSink); s != nil {
		s.add(res)
	}
}

// add keeps res when it is more restrictive than what the sink holds: a refusal beats an
// allowance, then the fewer remaining events win.
func (s *HeaderSink) add(res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.best; b != nil {
		switch {
		case b.Allowed && !res.Allowed:
		case !b.Allowed && res.Allowed:
			return
		case res.Remaining >= b.Remaining && (res.Allowed || res.RetryAfter <= b.RetryAfter):
			return
		}
	}
	// A refusal is never replaced by an allowance, so a Retry-After once set stays right.
	s.best = &res
	for k, v := range res.Headers() {
		s.set(k, v)
	}
}
