package billing

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// RecordInput is one usage report from the gateway.
type RecordInput struct {
	UserID string
	Metric metric.Metric
	Amount int64
	// IdempotencyKey makes retries safe: the same key with the same input returns the first
	// result, marked replayed; the same key with other input is a CONFLICT. Keys are global, so
	// use UUIDs or prefix them with the caller's name.
	IdempotencyKey *string
	ModelID        *string
	ChatID         *string
	Metadata       map[string]any
	// Enforce makes the quota check and the record one atomic step: over the quota nothing is
	// recorded and the error is QUOTA_EXCEEDED.
	Enforce bool
}

// RecordResult is what RecordUsage did.
type RecordResult struct {
	Event *ent.UsageEvent
	// Replayed is true when the idempotency key had been used before with the same input.
	Replayed bool
	// Quota is the metric's state after the record.
	Quota QuotaCheck
}

// QuotaCheck is the state of one metric's quota in the current period.
type QuotaCheck struct {
	Metric metric.Metric
	// Allowed reports whether Amount more would fit.
	Allowed bool
	Amount  int64
	// Used is what was recorded this period; Reserved is held by open reservations.
	Used     int64
	Reserved int64
	// Limit is nil when the metric is unlimited (no quota, or no subscription).
	Limit *int64
	// Remaining is Limit - Used - Reserved, never below 0; nil when unlimited.
	Remaining *int64
	// Percentage is (Used + Reserved) / Limit in percent; nil when unlimited.
	Percentage *float64
	// PeriodStart and ResetsAt bound the current period; nil without a subscription.
	PeriodStart *time.Time
	ResetsAt    *time.Time
}

// maxUsageText bounds idempotency keys, model ids and chat ids.
const maxUsageText = 255

// liveSub is a user's current subscription with what metering needs of its plan, read in one
// statement.
type liveSub struct {
	ID          string
	PlanID      string
	Status      string
	Anchor      time.Time
	PeriodEnd   time.Time
	CancelAtEnd bool
	Interval    period.Interval
	Quotas      map[string]int64
}

// period returns the period that contains now. ok is false when the subscription has already
// run out (canceled at a period end the renewer has not processed yet): it no longer counts.
func (l *liveSub) period(now time.Time) (start, end time.Time, ok bool) {
	if l.CancelAtEnd && !now.Before(l.PeriodEnd) {
		return time.Time{}, time.Time{}, false
	}
	start, end = period.Current(l.Anchor, now, l.Interval)
	return start, end, true
}

// limit returns the quota of m and whether there is one.
func (l *liveSub) limit(m metric.Metric) (int64, bool) {
	if l == nil {
		return 0, false
	}
	v, ok := l.Quotas[string(m)]
	return v, ok
}

// liveSubColumns are the columns of a live subscription with its plan's interval and quotas. The
// plan comes through scalar subqueries rather than a join: SQLite plans the join from the plans
// side and walks every subscription of the plan (measured: 30 µs instead of 5 µs per metered
// call).
const liveSubColumns = `s.id, s.plan_id, s.status, s.period_anchor, s.current_period_end, s.cancel_at_period_end,
(SELECT p.interval FROM plans p WHERE p.id = s.plan_id), (SELECT p.quotas FROM plans p WHERE p.id = s.plan_id)`

// userSubQuery reads a user's live subscription.
const userSubQuery = `SELECT ` + liveSubColumns + `
FROM plan_subscriptions s
WHERE s.user_id = ? AND s.status IN ` + liveStatusList

// loadUserSub reads whether the user exists and their live subscription (nil when none); it runs
// on every metered call. In a usage batch it takes the subscription the batch read for all its
// users (prefetchUsage) when there was one.
func (s *Service) loadUserSub(ctx context.Context, c *ent.Client, userID string) (bool, *liveSub, error) {
	if b, ok := db.Prefetched(ctx).(*usageBatch); ok {
		if l, ok := b.subs[userID]; ok {
			return true, l, nil
		}
	}
	rows, err := c.QueryContext(ctx, s.rebind(userSubQuery), userID)
	if err != nil {
		return false, nil, fmt.Errorf("loading subscription: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, nil, fmt.Errorf("loading subscription: %w", err)
		}
		exists, err := c.User.Query().Where(user.ID(userID)).Exist(authz.As(ctx, authz.Billing))
		return exists, nil, err
	}
	l, err := scanLiveSub(rows)
	if err != nil {
		return false, nil, err
	}
	return true, l, rows.Err()
}

// scanLiveSub reads a row of liveSubColumns, after the columns of before.
func scanLiveSub(rows *sql.Rows, before ...any) (*liveSub, error) {
	return scanLiveSubWith(rows, before)
}

// scanLiveSubWith reads a row of liveSubColumns between the columns of before and after.
func scanLiveSubWith(rows *sql.Rows, before []any, after ...any) (*liveSub, error) {
	var (
		sid, planID, status, iv, quotas sql.NullString
		anchor, end                     sql.NullTime
		cancelAtEnd                     sql.NullBool
	)
	dest := append(append(before, &sid, &planID, &status, &anchor, &end, &cancelAtEnd, &iv, &quotas), after...)
	if err := rows.Scan(dest...); err != nil {
		return nil, fmt.Errorf("reading subscription: %w", err)
	}
	l := &liveSub{ID: sid.String, PlanID: planID.String, Status: status.String, Anchor: anchor.Time.UTC(),
		PeriodEnd: end.Time.UTC(), CancelAtEnd: cancelAtEnd.Bool, Interval: period.Interval(strings.ToLower(iv.String))}
	if quotas.Valid && quotas.String != "" && quotas.String != "null" {
		if err := json.Unmarshal([]byte(quotas.String), &l.Quotas); err != nil {
			return nil, fmt.Errorf("reading quotas of plan %s: %w", planID.String, err)
		}
	}
	if !l.Interval.Valid() {
		return nil, fmt.Errorf("plan %s has interval %q", planID.String, iv.String)
	}
	return l, nil
}

// validateRecord checks a usage report.
func validateRecord(in RecordInput) error {
	if strings.TrimSpace(in.UserID) == "" {
		return errs.Invalid("userId", "user id is required")
	}
	if !in.Metric.Valid() {
		return errs.Invalid("metric", fmt.Sprintf("unknown metric %q", in.Metric))
	}
	if in.Amount < 0 {
		return errs.Invalid("amount", "must not be negative")
	}
	if err := metric.CheckAmount(in.Amount); err != nil {
		return errs.Invalid("amount", err.Error())
	}
	if in.IdempotencyKey != nil && (*in.IdempotencyKey == "" || len(*in.IdempotencyKey) > maxUsageText) {
		return errs.Invalid("idempotencyKey", fmt.Sprintf("idempotency key must be 1 to %d bytes", maxUsageText))
	}
	if in.ModelID != nil && len(*in.ModelID) > maxUsageText {
		return errs.Invalid("modelId", fmt.Sprintf("model id must be at most %d bytes", maxUsageText))
	}
	if in.ChatID != nil && len(*in.ChatID) > maxUsageText {
		return errs.Invalid("chatId", fmt.Sprintf("chat id must be at most %d bytes", maxUsageText))
	}
	return validateMetadata(in.Metadata)
}

// requestHash fingerprints everything but the idempotency key, to tell a retry from a reuse.
func requestHash(in RecordInput, metadata string) string {
	h := sha256.New()
	str := func(p *string) string {
		if p == nil {
			return "\x00"
		}
		return *p
	}
	fmt.Fprintf(h, "%s\x1f%s\x1f%d\x1f%s\x1f%s\x1f%s\x1f%t", in.UserID, in.Metric, in.Amount,
		str(in.ModelID), str(in.ChatID), metadata, in.Enforce)
	return hex.EncodeToString(h.Sum(nil))
}

const insertEventsPrefix = `INSERT INTO usage_events (id, created_at, user_id, subscription_id, metric, amount, idempotency_key, request_hash, model_id, chat_id, metadata) VALUES `

const insertEventSQL = insertEventsPrefix + `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// RecordUsage records usage for a user (admins, or callers with billing.usage.write). It is one
// transaction: the event and the counter change commit together or not at all. Outside a
// mutation's transaction it goes through the batcher, which commits concurrent reports together.
//
// A user without a subscription is not limited: the event is recorded without a subscription and
// no counter moves (set STEWARD_DEFAULT_PLAN_ID to give every account a plan).
func (s *Service) RecordUsage(ctx context.Context, in RecordInput) (RecordResult, error) {
	if err := authz.Require(ctx, authz.MeterUsage(s.perms)); err != nil {
		return RecordResult{}, err
	}
	if err := validateRecord(in); err != nil {
		return RecordResult{}, err
	}
	var meta []byte
	if in.Metadata != nil {
		meta, _ = json.Marshal(in.Metadata) // validated above
	}
	var res RecordResult
	record := func(ctx context.Context, c *ent.Client) (err error) {
		res, err = s.record(ctx, c, in, meta)
		return err
	}
	if s.batch != nil && ent.TxFromContext(ctx) == nil {
		// Keyed by user: a user's counter rows are the rows a report locks.
		err := s.batch.Do(ctx, in.UserID, record)
		return res, err
	}
	err := db.InTx(ctx, s.client, record) // joins a mutation's transaction when there is one
	return res, err
}

// record writes one usage report with c, inside the caller's transaction or savepoint.
func (s *Service) record(ctx context.Context, c *ent.Client, in RecordInput, meta []byte) (RecordResult, error) {
	hash := requestHash(in, string(meta))
	if b, sub, ok := deferredSub(ctx, in.UserID); ok {
		return s.recordDeferred(ctx, b, sub, in, meta, hash)
	}
	now := s.now()
	exists, sub, err := s.loadUserSub(ctx, c, in.UserID)
	if err != nil {
		return RecordResult{}, err
	}
	if !exists {
		return RecordResult{}, errs.NotFound("user")
	}
	var subID *string
	var pStart, pEnd time.Time
	if sub != nil {
		var ok bool
		if pStart, pEnd, ok = sub.period(now); ok {
			subID = &sub.ID
		} else {
			sub = nil
		}
	}
	ev := newUsageEvent(in, subID, hash, now)
	// The event goes in first. With a key, ON CONFLICT DO NOTHING makes a concurrent duplicate
	// wait for the first one's transaction and then insert nothing, instead of failing with a
	// unique violation that would abort a PostgreSQL transaction.
	q := insertEventSQL
	if in.IdempotencyKey != nil {
		q += " ON CONFLICT (idempotency_key) DO NOTHING"
	}
	args := []any{ev.ID, ev.CreatedAt, ev.UserID, nullString(subID), string(ev.Metric),
		ev.Amount, nullString(ev.IdempotencyKey), ev.RequestHash, nullString(in.ModelID), nullString(in.ChatID), nullBytes(meta)}
	var limit int64
	var limited bool
	if sub != nil {
		limit, limited = sub.limit(in.Metric)
	}
	enforce := limited && in.Enforce
	var (
		inserted, counted, ok bool
		used, reserved        int64
	)
	if s.postgres && sub != nil && !(enforce && limit <= metric.MaxTotal && in.Amount > limit) {
		// One round trip instead of two: on PostgreSQL each statement of the batch waits for
		// the server, and this is the hot path of metering.
		inserted, used, reserved, ok, err = s.insertEventCounted(ctx, c, q, args, sub, in.UserID, in.Metric, pStart, pEnd, in.Amount, limit, enforce, now)
		counted = true
	} else {
		inserted, err = s.insertEvent(ctx, c, q, args)
	}
	if err != nil {
		return RecordResult{}, err
	}
	if !inserted {
		return s.replay(ctx, c, in, hash, now)
	}
	// The event went in as raw SQL (for ON CONFLICT DO NOTHING), which ent's UsageEvent hook does
	// not see, so its analytics rollup is added here, in the same transaction.
	planID := ""
	if sub != nil {
		planID = sub.PlanID
	}
	if err := s.rollUpUsage(ctx, c, now, in.Metric, planID, in.Amount); err != nil {
		return RecordResult{}, err
	}
	if sub == nil {
		check := unlimitedCheck(in.Metric, 0, 0, 0, nil, nil)
		return RecordResult{Event: ev, Quota: check}, s.announceUsage(ctx, c, in.UserID, nil, in.Amount, check)
	}
	switch {
	case !counted:
		used, reserved, ok, err = s.addUsage(ctx, c, sub, in.UserID, in.Metric, pStart, pEnd, in.Amount, limit, enforce, now)
	case ok:
	case !(enforce && limit <= metric.MaxTotal): // refused by metric.MaxTotal, as bumpCounter refuses
		err = counterFull(in.Metric, in.Amount)
	default:
		used, reserved, ok, err = s.retryRefused(ctx, c, sub, in.UserID, in.Metric, pStart, pEnd, in.Amount, limit, enforce, now)
	}
	if err != nil {
		return RecordResult{}, err
	}
	if !ok {
		return RecordResult{}, s.quotaExceeded(ctx, c, sub, in.Metric, pStart, pEnd, in.Amount, limit, now)
	}
	check := makeCheck(in.Metric, 0, used, reserved, limit, limited, pStart, pEnd)
	return RecordResult{Event: ev, Quota: check}, s.announceUsage(ctx, c, in.UserID, subID, in.Amount, check)
}

// newUsageEvent is the event that records in, under subID (nil: none), at now.
func newUsageEvent(in RecordInput, subID *string, hash string, now time.Time) *ent.UsageEvent {
	ev := &ent.UsageEvent{ID: newEventID(), CreatedAt: now, UserID: in.UserID,
		SubscriptionID: subID, Metric: in.Metric, Amount: in.Amount, IdempotencyKey: in.IdempotencyKey,
		RequestHash: hash, Metadata: in.Metadata}
	if in.ModelID != nil {
		ev.ModelID = *in.ModelID
	}
	if in.ChatID != nil {
		ev.ChatID = *in.ChatID
	}
	return ev
}

// insertEvent runs the event's insert q and reports whether it inserted a row (false: the
// idempotency key was used before).
func (s *Service) insertEvent(ctx context.Context, c *ent.Client, q string, args []any) (bool, error) {
	res, err := c.ExecContext(ctx, s.rebind(q), args...)
	if err != nil {
		return false, fmt.Errorf("recording usage event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("recording usage event: %w", err)
	}
	return n > 0, nil
}

// insertEventCounted is insertEvent and bumpCounter's update of used in one PostgreSQL statement
// (data-modifying common table expressions): the counter moves only if the event went in, and
// within the same bound as bumpCounter's. ok is false when the counter refused the amount (the
// event is in then; the caller's failure rolls it back).
func (s *Service) insertEventCounted(ctx context.Context, c *ent.Client, insert string, args []any, sub *liveSub, userID string,
	m metric.Metric, start, end time.Time, amount, limit int64, enforce bool, now time.Time) (inserted bool, used, reserved int64, ok bool, err error) {
	bound := metric.MaxTotal
	if enforce && limit <= metric.MaxTotal {
		bound = limit
	}
	q := "WITH ev AS (" + insert + " RETURNING 1),\nc AS (" + counterInsert +
		"\nSELECT ?::text, ?::text, ?::text, ?::timestamptz, ?::timestamptz, ?::bigint, 0, false, false, ?::timestamptz WHERE EXISTS (SELECT 1 FROM ev)\n" +
		counterOnConflict + counterWithinLimit + counterReturning + ")\nSELECT (SELECT count(*) FROM ev), (SELECT used FROM c), (SELECT reserved FROM c)"
	args = append(args, sub.ID, userID, string(m), start, end, amount, now, bound)
	var n int64
	var u, r sql.NullInt64
	rows, err := c.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return false, 0, 0, false, fmt.Errorf("recording usage: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return false, 0, 0, false, fmt.Errorf("recording usage: %w", err)
		}
		return false, 0, 0, false, errors.New("recording usage: no result row")
	}
	if err := rows.Scan(&n, &u, &r); err != nil {
		return false, 0, 0, false, fmt.Errorf("recording usage: %w", err)
	}
	return n > 0, u.Int64, r.Int64, u.Valid, rows.Err()
}

// replay answers a reused idempotency key from the stored event.
func (s *Service) replay(ctx context.Context, c *ent.Client, in RecordInput, hash string, now time.Time) (RecordResult, error) {
	prev, err := c.UsageEvent.Query().Where(usageevent.IdempotencyKey(*in.IdempotencyKey)).Only(authz.As(ctx, authz.Billing))
	if err != nil {
		return RecordResult{}, fmt.Errorf("loading replayed usage event: %w", err)
	}
	if prev.RequestHash != hash {
		return RecordResult{}, errs.Conflict("this idempotency key was already used with different input")
	}
	check, err := s.checkQuota(ctx, c, prev.UserID, prev.Metric, 0, now)
	if err != nil {
		return RecordResult{}, err
	}
	return RecordResult{Event: prev, Replayed: true, Quota: check}, nil
}

// counterUpsert adds to a counter row, creating it on first use. The unique index on
// (subscription_id, metric, period_start) makes concurrent first uses race-free. The conditional
// variant updates only while used + reserved + amount stays within the limit, in the same
// statement, so the database decides: no row returned means the quota would be exceeded.
const counterUpsert = counterInsert + "\nVALUES (?, ?, ?, ?, ?, ?, ?, false, false, ?)\n" + counterOnConflict

const counterInsert = `INSERT INTO usage_counters (subscription_id, user_id, metric, period_start, period_end, used, reserved, alerted_80, alerted_100, updated_at)`

const counterOnConflict = `ON CONFLICT (subscription_id, metric, period_start) DO UPDATE SET used = usage_counters.used + excluded.used, reserved = usage_counters.reserved + excluded.reserved, updated_at = excluded.updated_at`

// counterWithinLimit is added to every update: the bound is the quota when it is enforced, and
// metric.MaxTotal always, so a counter refuses rather than overflows.
const counterWithinLimit = ` WHERE usage_counters.used + usage_counters.reserved + excluded.used + excluded.reserved <= ?`

const counterReturning = ` RETURNING used, reserved`

// bumpCounter adds used and/or reserved budget to the counter of (subscription, metric, period).
// With enforce, it adds only while the total stays within limit, and reports ok=false otherwise.
// Past metric.MaxTotal it adds nothing and returns a CONFLICT, enforced or not.
func (s *Service) bumpCounter(ctx context.Context, c *ent.Client, subID, userID string, m metric.Metric, start, end time.Time,
	addUsed, addReserved, limit int64, enforce bool, now time.Time) (used, reserved int64, ok bool, err error) {
	quota := enforce && limit <= metric.MaxTotal
	if quota && addUsed+addReserved > limit {
		return 0, 0, false, nil
	}
	bound := metric.MaxTotal
	if quota {
		bound = limit
	}
	q := counterUpsert + counterWithinLimit + counterReturning
	args := []any{subID, userID, string(m), start, end, addUsed, addReserved, now, bound}
	rows, err := c.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return 0, 0, false, fmt.Errorf("updating usage counter: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil || quota {
			return 0, 0, false, err
		}
		return 0, 0, false, counterFull(m, addUsed+addReserved)
	}
	if err := rows.Scan(&used, &reserved); err != nil {
		return 0, 0, false, fmt.Errorf("reading usage counter: %w", err)
	}
	return used, reserved, true, rows.Err()
}

// counterFull is the refusal of an amount that would take a counter past metric.MaxTotal.
func counterFull(m metric.Metric, amount int64) error {
	return errs.Conflict(fmt.Sprintf("the %s usage counter of this period cannot take %d more: it would exceed its maximum of %d", m, amount, metric.MaxTotal))
}

// addUsage records amount on the counter, enforcing the limit when asked. A refusal is retried
// once after releasing the counter's expired reservations.
func (s *Service) addUsage(ctx context.Context, c *ent.Client, sub *liveSub, userID string, m metric.Metric, start, end time.Time,
	amount, limit int64, enforce bool, now time.Time) (int64, int64, bool, error) {
	used, reserved, ok, err := s.bumpCounter(ctx, c, sub.ID, userID, m, start, end, amount, 0, limit, enforce, now)
	if err != nil || ok {
		return used, reserved, ok, err
	}
	return s.retryRefused(ctx, c, sub, userID, m, start, end, amount, limit, enforce, now)
}

// retryRefused follows a counter's refusal of amount: expired reservations may still hold budget
// that nobody will settle, so they are released and the amount is tried once more.
func (s *Service) retryRefused(ctx context.Context, c *ent.Client, sub *liveSub, userID string, m metric.Metric, start, end time.Time,
	amount, limit int64, enforce bool, now time.Time) (int64, int64, bool, error) {
	if !enforce || amount > limit {
		return 0, 0, false, nil
	}
	freed, err := s.expireCounterReservations(ctx, c, sub.ID, m, start, now)
	if err != nil || freed == 0 {
		return 0, 0, false, err
	}
	return s.bumpCounter(ctx, c, sub.ID, userID, m, start, end, amount, 0, limit, enforce, now)
}

// quotaExceeded builds the QUOTA_EXCEEDED error with the numbers a client needs.
func (s *Service) quotaExceeded(ctx context.Context, c *ent.Client, sub *liveSub, m metric.Metric, start, end time.Time, amount, limit int64, now time.Time) error {
	used, reserved, err := s.readCounter(ctx, c, sub.ID, m, start)
	if err != nil {
		return err
	}
	return quotaExceededError(m, limit, used, reserved, amount, end)
}

// quotaExceededError is the QUOTA_EXCEEDED error of amount more against a counter.
func quotaExceededError(m metric.Metric, limit, used, reserved, amount int64, end time.Time) error {
	return errs.QuotaExceeded(fmt.Sprintf("the %s quota of %d for this period would be exceeded (used %d, reserved %d, requested %d)", m, limit, used, reserved, amount),
		map[string]any{"metric": string(m), "limit": limit, "used": used, "reserved": reserved, "requested": amount, "resetsAt": end.Format(time.RFC3339)})
}

// readCounter returns a counter's used and reserved budget, zero when it has no row yet.
func (s *Service) readCounter(ctx context.Context, c *ent.Client, subID string, m metric.Metric, start time.Time) (used, reserved int64, err error) {
	rows, err := c.QueryContext(ctx, s.rebind(`SELECT used, reserved FROM usage_counters WHERE subscription_id = ? AND metric = ? AND period_start = ?`), subID, string(m), start)
	if err != nil {
		return 0, 0, fmt.Errorf("reading usage counter: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&used, &reserved); err != nil {
			return 0, 0, fmt.Errorf("reading usage counter: %w", err)
		}
	}
	return used, reserved, rows.Err()
}

// CheckQuota reports whether amount more of metric fits the user's quota now, without recording
// anything. The user may check their own quota; others need billing.usage.write.
func (s *Service) CheckQuota(ctx context.Context, userID string, m metric.Metric, amount int64) (QuotaCheck, error) {
	if err := authz.Require(ctx, authz.CheckQuota(s.perms, userID)); err != nil {
		return QuotaCheck{}, err
	}
	if !m.Valid() {
		return QuotaCheck{}, errs.Invalid("metric", fmt.Sprintf("unknown metric %q", m))
	}
	if amount < 0 {
		return QuotaCheck{}, errs.Invalid("amount", "must not be negative")
	}
	if err := metric.CheckAmount(amount); err != nil {
		return QuotaCheck{}, errs.Invalid("amount", err.Error())
	}
	c := s.clientFrom(ctx)
	now := s.now()
	if !s.postgres {
		// Two statements on SQLite, where they cost no round trip: the one below took 40-50 µs
		// a check there against 25 µs for the two (plans and results the same; the cause not found).
		// Both are reads by key that finish in microseconds, so they run without the request's
		// cancellation: database/sql watches a cancellable context with a goroutine per query
		// and the driver with a callback, a fifth of a check's server time
		// (BenchmarkCheckQuota), and two more goroutines per check for the scheduler to run.
		ctx := context.WithoutCancel(ctx)
		exists, sub, err := s.loadUserSub(ctx, c, userID)
		if err != nil {
			return QuotaCheck{}, err
		}
		if !exists {
			return QuotaCheck{}, errs.NotFound("user")
		}
		return s.quotaOf(ctx, c, sub, m, amount, now)
	}
	// One read answers whether the user exists, what they are subscribed to and what the
	// metric's counter holds: one round trip instead of two.
	sub, counters, err := s.loadUserQuota(ctx, c, userID, m, now)
	if err != nil {
		return QuotaCheck{}, err
	}
	if sub == nil {
		if err := s.requireUserExists(ctx, c, userID); err != nil {
			return QuotaCheck{}, err
		}
	}
	return s.quotaFrom(ctx, c, sub, m, amount, now, func(start time.Time) (int64, int64, error) {
		for _, r := range counters {
			if r.start.Equal(start) {
				return r.used, r.reserved, nil
			}
		}
		return 0, 0, nil // no counter of this period yet
	})
}

// userQuotaQuery reads a user's live subscription with the counters of one metric whose period
// has not ended (normally one: the current period's, if it has been used).
const userQuotaQuery = `SELECT ` + liveSubColumns + `, c.period_start, c.used, c.reserved
FROM plan_subscriptions s
LEFT JOIN usage_counters c ON c.subscription_id = s.id AND c.metric = ? AND c.period_end > ?
WHERE s.user_id = ? AND s.status IN ` + liveStatusList

// counterRow is a usage counter's period start and budget, as read.
type counterRow struct {
	start          time.Time
	used, reserved int64
}

// loadUserQuota reads a user's live subscription (nil when none) and the counters of m that
// have not ended, in one statement (checkQuota's read on PostgreSQL, where a subscription read
// and a counter read were two round trips).
func (s *Service) loadUserQuota(ctx context.Context, c *ent.Client, userID string, m metric.Metric, now time.Time) (*liveSub, []counterRow, error) {
	rows, err := c.QueryContext(ctx, s.rebind(userQuotaQuery), string(m), now, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("loading subscription: %w", err)
	}
	defer rows.Close()
	var (
		sub      *liveSub
		counters []counterRow
	)
	for rows.Next() {
		var (
			start          sql.NullTime
			used, reserved sql.NullInt64
		)
		l, err := scanLiveSubWith(rows, nil, &start, &used, &reserved)
		if err != nil {
			return nil, nil, err
		}
		if sub == nil {
			sub = l
		}
		if l.ID == sub.ID && start.Valid {
			counters = append(counters, counterRow{start: start.Time.UTC(), used: used.Int64, reserved: reserved.Int64})
		}
	}
	return sub, counters, rows.Err()
}

// checkQuota computes a QuotaCheck. Budget held by reservations that have expired but were not
// released yet is not counted, since the next enforced call would release it.
func (s *Service) checkQuota(ctx context.Context, c *ent.Client, userID string, m metric.Metric, amount int64, now time.Time) (QuotaCheck, error) {
	_, sub, err := s.loadUserSub(ctx, c, userID)
	if err != nil {
		return QuotaCheck{}, err
	}
	return s.quotaOf(ctx, c, sub, m, amount, now)
}

// quotaOf is checkQuota for a subscription already loaded (nil for none).
func (s *Service) quotaOf(ctx context.Context, c *ent.Client, sub *liveSub, m metric.Metric, amount int64, now time.Time) (QuotaCheck, error) {
	return s.quotaFrom(ctx, c, sub, m, amount, now, func(start time.Time) (int64, int64, error) {
		return s.readCounter(ctx, c, sub.ID, m, start)
	})
}

// quotaFrom is quotaOf with the counter of the period that starts at start given by counter.
func (s *Service) quotaFrom(ctx context.Context, c *ent.Client, sub *liveSub, m metric.Metric, amount int64, now time.Time,
	counter func(start time.Time) (used, reserved int64, err error)) (QuotaCheck, error) {
	if sub == nil {
		return unlimitedCheck(m, amount, 0, 0, nil, nil), nil
	}
	start, end, ok := sub.period(now)
	if !ok {
		return unlimitedCheck(m, amount, 0, 0, nil, nil), nil
	}
	used, reserved, err := counter(start)
	if err != nil {
		return QuotaCheck{}, err
	}
	if reserved > 0 {
		stale, err := s.expiredReserved(ctx, c, sub.ID, m, start, now)
		if err != nil {
			return QuotaCheck{}, err
		}
		reserved = max(reserved-stale, 0)
	}
	limit, limited := sub.limit(m)
	return makeCheck(m, amount, used, reserved, limit, limited, start, end), nil
}

func unlimitedCheck(m metric.Metric, amount, used, reserved int64, start, end *time.Time) QuotaCheck {
	return QuotaCheck{Metric: m, Allowed: true, Amount: amount, Used: used, Reserved: reserved, PeriodStart: start, ResetsAt: end}
}

func makeCheck(m metric.Metric, amount, used, reserved, limit int64, limited bool, start, end time.Time) QuotaCheck {
	if !limited {
		return unlimitedCheck(m, amount, used, reserved, &start, &end)
	}
	remaining := max(limit-used-reserved, 0)
	pct := 100.0
	if limit > 0 {
		pct = float64(used+reserved) * 100 / float64(limit)
	} else if used+reserved == 0 {
		pct = 0
	}
	return QuotaCheck{Metric: m, Allowed: used+reserved+amount <= limit, Amount: amount, Used: used, Reserved: reserved,
		Limit: &limit, Remaining: &remaining, Percentage: &pct, PeriodStart: &start, ResetsAt: &end}
}

// UsageSummary is a user's usage of every metric in the current period.
type UsageSummary struct {
	UserID       string
	Subscription *ent.PlanSubscription
	PeriodStart  *time.Time
	PeriodEnd    *time.Time
	Metrics      []QuotaCheck
}

// Usage returns a user's usage of every metric against its quota (the user or an admin).
// Without a subscription, usage is summed over the current calendar month (UTC) and unlimited.
func (s *Service) Usage(ctx context.Context, userID string) (UsageSummary, error) {
	if err := authz.Require(ctx, authz.SeeUsage(userID)); err != nil {
		return UsageSummary{}, err
	}
	c := s.clientFrom(ctx)
	now := s.now()
	exists, sub, err := s.loadUserSub(ctx, c, userID)
	if err != nil {
		return UsageSummary{}, err
	}
	if !exists {
		return UsageSummary{}, errs.NotFound("user")
	}
	out := UsageSummary{UserID: userID}
	var start, end time.Time
	ok := false
	if sub != nil {
		start, end, ok = sub.period(now)
	}
	if !ok {
		y, mo, _ := now.Date()
		from := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
		sums, err := s.eventSums(ctx, c, userID, from)
		if err != nil {
			return UsageSummary{}, err
		}
		for _, m := range metric.All {
			out.Metrics = append(out.Metrics, unlimitedCheck(m, 0, sums[m], 0, nil, nil))
		}
		return out, nil
	}
	out.PeriodStart, out.PeriodEnd = &start, &end
	if out.Subscription, err = c.PlanSubscription.Get(authz.As(ctx, authz.Billing), sub.ID); err != nil {
		return UsageSummary{}, fmt.Errorf("loading subscription: %w", err)
	}
	for _, m := range metric.All {
		check, err := s.quotaOf(ctx, c, sub, m, 0, now)
		if err != nil {
			return UsageSummary{}, err
		}
		out.Metrics = append(out.Metrics, check)
	}
	return out, nil
}

// eventSums sums a user's events without a subscription since from, per metric.
func (s *Service) eventSums(ctx context.Context, c *ent.Client, userID string, from time.Time) (map[metric.Metric]int64, error) {
	rows, err := c.QueryContext(ctx, s.rebind(`SELECT metric, COALESCE(SUM(amount), 0) FROM usage_events WHERE user_id = ? AND subscription_id IS NULL AND created_at >= ? GROUP BY metric`), userID, from)
	if err != nil {
		return nil, fmt.Errorf("summing usage: %w", err)
	}
	defer rows.Close()
	out := map[metric.Metric]int64{}
	for rows.Next() {
		var m string
		var n int64
		if err := rows.Scan(&m, &n); err != nil {
			return nil, fmt.Errorf("summing usage: %w", err)
		}
		out[metric.Metric(m)] = n
	}
	return out, rows.Err()
}

func nullString(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// newEventID returns a time-ordered id, as the UsageEvent schema's default does.
func newEventID() string { return uuid.Must(uuid.NewV7()).String() }

// rollUpUsage adds amount to the UsageDaily total of its UTC day, metric and plan, which the
// analytics overview reads instead of scanning every event. Every report of a day, metric and plan
// updates the same row, so in a batch of reports it is added up and written once (db.AddUp). It
// is one upsert statement rather than ent's builder, as it runs on every metered call.
func (s *Service) rollUpUsage(ctx context.Context, c *ent.Client, at time.Time, m metric.Metric, planID string, amount int64) error {
	if amount == 0 {
		return nil
	}
	at = at.UTC()
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	key := "usage_dailies\x00" + day.Format(time.DateOnly) + "\x00" + string(m) + "\x00" + planID
	return db.AddUp(ctx, c, key, amount, func(ctx context.Context, c *ent.Client, total int64) error {
		return s.writeDailySums(ctx, c, dailySums{dayKey{day, m, planID}: total})
	})
}

// dayKey is a UsageDaily row: a UTC day, a metric and a plan.
type dayKey struct {
	day    time.Time
	m      metric.Metric
	planID string
}

// dailySums are amounts to add to UsageDaily rows.
type dailySums map[dayKey]int64

// add adds amount used at at.
func (d dailySums) add(at time.Time, m metric.Metric, planID string, amount int64) {
	at = at.UTC()
	d[dayKey{time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC), m, planID}] += amount
}

// writeDailySums adds sums to their UsageDaily rows, in the rows of ctx's batch worker (the
// shard: each batch worker adds to a row of its own, read as their sum), in one order, saturating
// at metric.MaxTotal. One statement of arrays on PostgreSQL; on SQLite, where a statement costs no
// round trip, one prepared statement per row.
func (s *Service) writeDailySums(ctx context.Context, c *ent.Client, sums dailySums) error {
	keys := sums.keys()
	if s.postgres && len(keys) > 1 {
		var a pgArgs
		if _, err := c.ExecContext(ctx, dailySumsFromArrays(&a, sums, keys, db.Worker(ctx)), a...); err != nil {
			return fmt.Errorf("adding usage to the daily rollup: %w", err)
		}
		return nil
	}
	q := s.rebind(`INSERT INTO usage_dailies (day, metric, plan_id, shard, total) VALUES (?, ?, ?, ?, ?)` + dailySumsOnConflict)
	for _, k := range keys {
		if _, err := c.ExecContext(ctx, q, k.day, string(k.m), k.planID, db.Worker(ctx), min(sums[k], metric.MaxTotal)); err != nil {
			return fmt.Errorf("adding usage to the daily rollup: %w", err)
		}
	}
	return nil
}

// keys returns the rows that sums add to, in one order.
func (d dailySums) keys() []dayKey {
	keys := make([]dayKey, 0, len(d))
	for k, n := range d {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b dayKey) int {
		return cmp.Or(a.day.Compare(b.day), strings.Compare(string(a.m), string(b.m)), strings.Compare(a.planID, b.planID))
	})
	return keys
}

// dailySumsOnConflict adds to a UsageDaily row, saturating at metric.MaxTotal.
var dailySumsOnConflict = fmt.Sprintf(`
ON CONFLICT (day, metric, plan_id, shard) DO UPDATE SET total = CASE WHEN usage_dailies.total > %[1]d - excluded.total THEN %[1]d ELSE usage_dailies.total + excluded.total END`, metric.MaxTotal)

// dailySumsFromArrays is the upsert of sums' rows of keys into shard, from PostgreSQL arrays.
func dailySumsFromArrays(a *pgArgs, sums dailySums, keys []dayKey, shard int) string {
	days, metrics, plans, totals := make([]time.Time, len(keys)), make([]string, len(keys)), make([]string, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		days[i], metrics[i], plans[i], totals[i] = k.day, string(k.m), k.planID, min(sums[k], metric.MaxTotal)
	}
	return `INSERT INTO usage_dailies (day, metric, plan_id, shard, total)
SELECT d, m, p, ` + a.next(shard, "int") + `, t FROM unnest(` + a.list(days, "timestamptz[]", metrics, "text[]", plans, "text[]", totals, "bigint[]") + `) AS v(d, m, p, t)` + dailySumsOnConflict
}
