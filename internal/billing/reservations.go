package billing

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/quotareservation"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// Reservation time limits.
const (
	DefaultReservationTTL = 5 * time.Minute
	MaxReservationTTL     = 24 * time.Hour
)

// ReserveInput holds budget before a call whose cost is not known yet.
type ReserveInput struct {
	UserID string
	Metric metric.Metric
	Amount int64
	// TTL is how long the hold lasts before it expires by itself; 0 means DefaultReservationTTL.
	TTL time.Duration
}

// ReserveResult is a new reservation and the quota after it.
type ReserveResult struct {
	Reservation *ent.QuotaReservation
	Quota       QuotaCheck
}

// ReserveQuota holds amount of the user's quota (admins, or billing.usage.write). Reserved budget
// counts against the quota exactly like used budget, so no number of concurrent callers can hold
// or spend beyond the limit: over it, the answer is QUOTA_EXCEEDED and nothing is held.
func (s *Service) ReserveQuota(ctx context.Context, in ReserveInput) (ReserveResult, error) {
	if err := authz.Require(ctx, authz.MeterUsage(s.perms)); err != nil {
		return ReserveResult{}, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (ReserveResult, error) { return s.reserveQuota(ctx, in) })
}

// reserveQuota is ReserveQuota inside its transaction.
func (s *Service) reserveQuota(ctx context.Context, in ReserveInput) (ReserveResult, error) {
	if in.UserID == "" {
		return ReserveResult{}, errs.Invalid("userId", "user id is required")
	}
	if !in.Metric.Valid() {
		return ReserveResult{}, errs.Invalid("metric", fmt.Sprintf("unknown metric %q", in.Metric))
	}
	if in.Amount <= 0 {
		return ReserveResult{}, errs.Invalid("amount", "must be positive")
	}
	if err := metric.CheckAmount(in.Amount); err != nil {
		return ReserveResult{}, errs.Invalid("amount", err.Error())
	}
	ttl := in.TTL
	if ttl == 0 {
		ttl = DefaultReservationTTL
	}
	if ttl < time.Second || ttl > MaxReservationTTL {
		return ReserveResult{}, errs.Invalid("ttlSeconds", fmt.Sprintf("ttl must be between 1 second and %s", MaxReservationTTL))
	}
	c := s.clientFrom(ctx)
	now := s.now()
	exists, sub, err := s.loadUserSub(ctx, c, in.UserID)
	if err != nil {
		return ReserveResult{}, err
	}
	if !exists {
		return ReserveResult{}, errs.NotFound("user")
	}
	create := c.QuotaReservation.Create().SetUserID(in.UserID).SetMetric(in.Metric).SetAmount(in.Amount).
		SetExpiresAt(now.Add(ttl)).SetCreatedAt(now).SetUpdatedAt(now).SetPeriodStart(now)
	check := unlimitedCheck(in.Metric, 0, 0, 0, nil, nil)
	if sub != nil {
		if start, end, ok := sub.period(now); ok {
			limit, limited := sub.limit(in.Metric)
			used, reserved, ok, err := s.bumpCounter(ctx, c, sub.ID, in.UserID, in.Metric, start, end, 0, in.Amount, limit, limited, now)
			if err == nil && !ok && in.Amount <= limit {
				var freed int64
				if freed, err = s.expireCounterReservations(ctx, c, sub.ID, in.Metric, start, now); err == nil && freed > 0 {
					used, reserved, ok, err = s.bumpCounter(ctx, c, sub.ID, in.UserID, in.Metric, start, end, 0, in.Amount, limit, limited, now)
				}
			}
			if err != nil {
				return ReserveResult{}, err
			}
			if !ok {
				return ReserveResult{}, s.quotaExceeded(ctx, c, sub, in.Metric, start, end, in.Amount, limit, now)
			}
			create.SetSubscriptionID(sub.ID).SetPeriodStart(start)
			check = makeCheck(in.Metric, 0, used, reserved, limit, limited, start, end)
		}
	}
	r, err := create.Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return ReserveResult{}, fmt.Errorf("creating reservation: %w", err)
	}
	return ReserveResult{Reservation: r, Quota: check}, nil
}

// SettleInput records the real cost of a reserved call.
type SettleInput struct {
	ID           string
	ActualAmount int64
	ModelID      *string
	ChatID       *string
	Metadata     map[string]any
}

// SettleResult is a settled reservation with the usage event it recorded.
type SettleResult struct {
	Reservation *ent.QuotaReservation
	Event       *ent.UsageEvent
	Quota       QuotaCheck
}

// SettleReservation records the actual amount and frees the rest of the hold (admins, or
// billing.usage.write). The actual amount is recorded even when it is more than was reserved:
// the usage has happened, and metering must tell the truth; any overage then counts against the
// quota and later enforced calls are refused. A reservation settles once; settling a released,
// expired or already settled one is a CONFLICT (record late usage with recordUsage instead).
func (s *Service) SettleReservation(ctx context.Context, in SettleInput) (SettleResult, error) {
	if err := authz.Require(ctx, authz.MeterUsage(s.perms)); err != nil {
		return SettleResult{}, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (SettleResult, error) { return s.settleReservation(ctx, in) })
}

// settleReservation is SettleReservation inside its transaction.
func (s *Service) settleReservation(ctx context.Context, in SettleInput) (SettleResult, error) {
	if in.ActualAmount < 0 {
		return SettleResult{}, errs.Invalid("actualAmount", "actual amount must not be negative")
	}
	if err := metric.CheckAmount(in.ActualAmount); err != nil {
		return SettleResult{}, errs.Invalid("actualAmount", "actual amount "+err.Error())
	}
	if err := validateRecord(RecordInput{UserID: "-", Metric: metric.Requests, ModelID: in.ModelID, ChatID: in.ChatID, Metadata: in.Metadata}); err != nil {
		return SettleResult{}, err
	}
	c := s.clientFrom(ctx)
	now := s.now()
	r, err := s.claimReservation(ctx, c, in.ID, quotareservation.StatusSETTLED, &in.ActualAmount, now)
	if err != nil {
		return SettleResult{}, err
	}
	key := "reservation:" + r.ID
	event := &ent.UsageEvent{ID: newEventID(), CreatedAt: now, UserID: r.UserID, SubscriptionID: r.SubscriptionID,
		Metric: r.Metric, Amount: in.ActualAmount, IdempotencyKey: &key, Metadata: in.Metadata}
	if in.ModelID != nil {
		event.ModelID = *in.ModelID
	}
	if in.ChatID != nil {
		event.ChatID = *in.ChatID
	}
	var meta []byte
	if in.Metadata != nil {
		meta, _ = json.Marshal(in.Metadata) // validated above
	}
	// One statement, and the daily rollup added up per batch (db.AddUp), as recordUsage does: a
	// gateway settles every model call this way.
	if _, err := c.ExecContext(ctx, s.rebind(insertEventSQL), event.ID, event.CreatedAt, event.UserID, nullString(event.SubscriptionID),
		string(event.Metric), event.Amount, key, "", nullString(in.ModelID), nullString(in.ChatID), nullBytes(meta)); err != nil {
		return SettleResult{}, fmt.Errorf("recording settled usage: %w", err)
	}
	planID, err := s.planOf(ctx, c, r.SubscriptionID)
	if err != nil {
		return SettleResult{}, err
	}
	if err := s.rollUpUsage(ctx, c, now, r.Metric, planID, in.ActualAmount); err != nil {
		return SettleResult{}, err
	}
	check := unlimitedCheck(r.Metric, 0, 0, 0, nil, nil)
	if r.SubscriptionID != nil {
		used, reserved, err := s.moveReserved(ctx, c, r, in.ActualAmount, now)
		if err != nil {
			return SettleResult{}, err
		}
		if check, err = s.checkQuota(ctx, c, r.UserID, r.Metric, 0, now); err != nil {
			return SettleResult{}, err
		}
		// The reservation's period may have ended meanwhile; report its own counter then.
		if check.PeriodStart == nil || !check.PeriodStart.Equal(r.PeriodStart) {
			check.Used, check.Reserved = used, reserved
		}
	}
	alertSub := r.SubscriptionID
	if check.PeriodStart == nil || !check.PeriodStart.Equal(r.PeriodStart) {
		alertSub = nil // the hold's period is over: no alert for a period that has ended
	}
	if err := s.announceUsage(ctx, c, r.UserID, alertSub, in.ActualAmount, check); err != nil {
		return SettleResult{}, err
	}
	return SettleResult{Reservation: r, Event: event, Quota: check}, nil
}

// planOf is the plan of a subscription, "" for none: the daily rollup's key.
func (s *Service) planOf(ctx context.Context, c *ent.Client, subID *string) (string, error) {
	if subID == nil {
		return "", nil
	}
	rows, err := c.QueryContext(ctx, s.rebind(`SELECT plan_id FROM plan_subscriptions WHERE id = ?`), *subID)
	if err != nil {
		return "", fmt.Errorf("reading the plan of subscription %s: %w", *subID, err)
	}
	defer rows.Close()
	var plan sql.NullString
	if rows.Next() {
		if err := rows.Scan(&plan); err != nil {
			return "", fmt.Errorf("reading the plan of subscription %s: %w", *subID, err)
		}
	}
	return plan.String, rows.Err()
}

// ReleaseReservation frees the whole hold without recording usage (admins, or
// billing.usage.write). Releasing a reservation that is no longer active is a CONFLICT.
func (s *Service) ReleaseReservation(ctx context.Context, id string) (*ent.QuotaReservation, error) {
	if err := authz.Require(ctx, authz.MeterUsage(s.perms)); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.QuotaReservation, error) { return s.releaseReservation(ctx, id) })
}

// releaseReservation is ReleaseReservation inside its transaction.
func (s *Service) releaseReservation(ctx context.Context, id string) (*ent.QuotaReservation, error) {
	c := s.clientFrom(ctx)
	now := s.now()
	r, err := s.claimReservation(ctx, c, id, quotareservation.StatusRELEASED, nil, now)
	if err != nil {
		return nil, err
	}
	if r.SubscriptionID != nil {
		if _, _, err := s.moveReserved(ctx, c, r, 0, now); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// claimReservation moves an active, unexpired reservation to status with a conditional update, so
// that of two concurrent settles or releases exactly one wins.
func (s *Service) claimReservation(ctx context.Context, c *ent.Client, id string, to quotareservation.Status, settled *int64, now time.Time) (*ent.QuotaReservation, error) {
	sys := authz.As(ctx, authz.Billing)
	r, err := c.QuotaReservation.Get(sys, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("reservation")
	}
	if err != nil {
		return nil, fmt.Errorf("loading reservation: %w", err)
	}
	if r.Status != quotareservation.StatusACTIVE {
		return nil, errs.Conflict(fmt.Sprintf("reservation is already %s", r.Status))
	}
	if !now.Before(r.ExpiresAt) {
		return nil, errs.Conflict("reservation has expired and its budget is released; record the usage with recordUsage instead")
	}
	// A gateway lease frees part of its hold as its calls settle (settled_amount while active):
	// the claim must see the same freed part it read, and free only the rest.
	freed := quotareservation.SettledAmountIsNil()
	if r.SettledAmount != nil {
		freed = quotareservation.SettledAmountEQ(*r.SettledAmount)
	}
	upd := c.QuotaReservation.Update().
		Where(quotareservation.ID(id), quotareservation.StatusEQ(quotareservation.StatusACTIVE), freed).
		SetStatus(to).SetUpdatedAt(now)
	if settled != nil {
		upd.SetSettledAmount(*settled)
	}
	n, err := upd.Save(sys)
	if err != nil {
		return nil, fmt.Errorf("updating reservation: %w", err)
	}
	if n == 0 {
		return nil, errs.Conflict("reservation was settled or released concurrently")
	}
	r.Amount = heldOf(r) // what the counter still holds for it
	r.Status, r.SettledAmount, r.UpdatedAt = to, settled, now
	return r, nil
}

// moveReserved takes a reservation's hold off its counter and adds used to it.
func (s *Service) moveReserved(ctx context.Context, c *ent.Client, r *ent.QuotaReservation, used int64, now time.Time) (int64, int64, error) {
	rows, err := c.QueryContext(ctx, s.rebind(`UPDATE usage_counters SET used = used + ?, reserved = reserved - ?, updated_at = ?
WHERE subscription_id = ? AND metric = ? AND period_start = ? AND reserved >= ? AND used <= ? RETURNING used, reserved`),
		used, r.Amount, now, *r.SubscriptionID, string(r.Metric), r.PeriodStart, r.Amount, metric.MaxTotal-used)
	if err != nil {
		return 0, 0, fmt.Errorf("releasing reserved budget: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return 0, 0, err
		}
		if cur, _, err := s.readCounter(ctx, c, *r.SubscriptionID, r.Metric, r.PeriodStart); err == nil && cur > metric.MaxTotal-used {
			return 0, 0, counterFull(r.Metric, used)
		}
		// Cannot happen while every hold goes through bumpCounter; refusing keeps the counter sane.
		return 0, 0, fmt.Errorf("usage counter of reservation %s does not hold its budget", r.ID)
	}
	var u, res int64
	if err := rows.Scan(&u, &res); err != nil {
		return 0, 0, fmt.Errorf("reading usage counter: %w", err)
	}
	return u, res, rows.Err()
}

// expireCounterReservations expires the counter's active reservations whose time is up and frees
// their budget, returning how much it freed. Called when an enforced call is refused, so that a
// crashed caller's hold never blocks its user for longer than the reservation's TTL.
func (s *Service) expireCounterReservations(ctx context.Context, c *ent.Client, subID string, m metric.Metric, start, now time.Time) (int64, error) {
	sys := authz.As(ctx, authz.Billing)
	stale, err := c.QuotaReservation.Query().Where(
		quotareservation.SubscriptionID(subID), quotareservation.MetricEQ(m), quotareservation.PeriodStart(start),
		quotareservation.StatusEQ(quotareservation.StatusACTIVE), quotareservation.ExpiresAtLTE(now),
	).All(sys)
	if err != nil {
		return 0, fmt.Errorf("finding expired reservations: %w", err)
	}
	var freed int64
	for _, r := range stale {
		ok, err := s.expireOne(ctx, c, r, now)
		if err != nil {
			return 0, err
		}
		if ok {
			freed += heldOf(r)
		}
	}
	return freed, nil
}

// expireOne claims one expired reservation and frees its hold; false when someone else did.
func (s *Service) expireOne(ctx context.Context, c *ent.Client, r *ent.QuotaReservation, now time.Time) (bool, error) {
	// The claim returns the hold the counter still has: a gateway lease (Leases) has freed part
	// of its amount already, counted in settled_amount while it is active.
	held, found, err := claimHold(ctx, c, s.rebind(`UPDATE quota_reservations SET status = 'EXPIRED', updated_at = ?
WHERE id = ? AND status = 'ACTIVE' AND expires_at <= ? RETURNING amount - COALESCE(settled_amount, 0)`), now, r.ID, now)
	if err != nil {
		return false, fmt.Errorf("expiring reservation: %w", err)
	}
	if !found {
		return false, nil
	}
	if r.SubscriptionID != nil && held > 0 {
		h := *r
		h.Amount = held
		if _, _, err := s.moveReserved(ctx, c, &h, 0, now); err != nil {
			return false, err
		}
	}
	return true, nil
}

// expiredReserved sums the budget still held by expired, unreleased reservations of a counter.
func (s *Service) expiredReserved(ctx context.Context, c *ent.Client, subID string, m metric.Metric, start, now time.Time) (int64, error) {
	stale, err := c.QuotaReservation.Query().Where(
		quotareservation.SubscriptionID(subID), quotareservation.MetricEQ(m), quotareservation.PeriodStart(start),
		quotareservation.StatusEQ(quotareservation.StatusACTIVE), quotareservation.ExpiresAtLTE(now),
	).All(authz.As(ctx, authz.Billing))
	if err != nil {
		return 0, fmt.Errorf("finding expired reservations: %w", err)
	}
	var sum int64
	for _, r := range stale {
		sum += heldOf(r)
	}
	return sum, nil
}

// ExpireReservations releases every reservation whose time is up, each in its own transaction;
// safe to run on several replicas at once. It returns how many it expired.
func (s *Service) ExpireReservations(ctx context.Context, now time.Time) (int, error) {
	if err := authz.Require(ctx, authz.RunBillingJobs); err != nil {
		return 0, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	total := 0
	for {
		due, err := s.client.QuotaReservation.Query().
			Where(quotareservation.StatusEQ(quotareservation.StatusACTIVE), quotareservation.ExpiresAtLTE(now)).
			Order(ent.Asc(quotareservation.FieldExpiresAt)).Limit(200).All(ctx)
		if err != nil {
			return total, fmt.Errorf("finding expired reservations: %w", err)
		}
		done := 0
		for _, r := range due {
			err := db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
				ok, err := s.expireOne(ctx, c, r, now)
				if ok {
					done++
				}
				return err
			})
			if err != nil {
				return total, err
			}
		}
		total += done
		if len(due) < 200 || done == 0 {
			return total, nil
		}
	}
}

// heldOf is the budget an active reservation still holds on its counter: its amount, less what
// a gateway lease has freed of it already (settled_amount, while active).
func heldOf(r *ent.QuotaReservation) int64 {
	if r.SettledAmount == nil {
		return r.Amount
	}
	return max(r.Amount-*r.SettledAmount, 0)
}

// claimHold runs an UPDATE of one reservation that returns (RETURNING) the hold its counter still has, and
// returns that hold, with whether the row was claimed (false: another claim came first).
func claimHold(ctx context.Context, c *ent.Client, query string, args ...any) (held int64, found bool, err error) {
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, false, err
	}
	if found = rows.Next(); found {
		err = rows.Scan(&held)
	}
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return held, found, err
}
