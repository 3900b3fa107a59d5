package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// A call is one metered unit of work whose cost is known only after it ran, such as a model call
// through the gateway: it holds several metrics at once (a request, the prompt's tokens, the
// answer's tokens) and must hold all of them or none.

// CallHold is what a call holds: one amount per metric, each positive.
type CallHold struct {
	UserID  string
	Amounts map[metric.Metric]int64
	// TTL is how long the holds last if the call never settles; 0 means DefaultReservationTTL.
	TTL time.Duration
}

// Call is a held call: the reservation of each metric.
type Call struct {
	UserID       string
	Reservations map[metric.Metric]string
	// leased is set when the call was admitted against leases (Leases.HoldCall).
	leased *leasedCall
}

// CallUsage is what a call really used, with what the usage events carry.
type CallUsage struct {
	Amounts  map[metric.Metric]int64
	ModelID  *string
	ChatID   *string
	Metadata map[string]any
}

// HoldCall reserves every amount of in in one transaction (admins, billing.usage.write, or the
// gateway actor): either all fit the user's quotas and are held, or the answer is the first
// QUOTA_EXCEEDED and nothing is held. Metrics are held in metric.All order, so concurrent calls
// lock the user's counters in one order.
func (s *Service) HoldCall(ctx context.Context, in CallHold) (Call, error) {
	if err := authz.Require(ctx, authz.MeterUsage(s.perms)); err != nil {
		return Call{}, err
	}
	if len(in.Amounts) == 0 {
		return Call{}, errs.Invalid("amounts", "at least one metric is required")
	}
	var call Call
	err := s.callTx(ctx, in.UserID, func(ctx context.Context) error {
		call = Call{UserID: in.UserID, Reservations: make(map[metric.Metric]string, len(in.Amounts))}
		for _, m := range metric.All {
			amount, ok := in.Amounts[m]
			if !ok {
				continue
			}
			r, err := s.reserveQuota(ctx, ReserveInput{UserID: in.UserID, Metric: m, Amount: amount, TTL: in.TTL})
			if err != nil {
				return err
			}
			call.Reservations[m] = r.Reservation.ID
		}
		if len(call.Reservations) != len(in.Amounts) {
			return errs.Invalid("amounts", "unknown metric")
		}
		return nil
	})
	if err != nil {
		return Call{}, err
	}
	return call, nil
}

// callTx runs fn in one transaction: the caller's when there is one, else a savepoint of a
// group commit (see db.Batcher; keyed by user, whose counters fn locks), so that a gateway
// under load shares commits the way recordUsage does.
func (s *Service) callTx(ctx context.Context, userID string, fn func(ctx context.Context) error) error {
	run := func(ctx context.Context, _ *ent.Client) error { return fn(ctx) }
	if s.batch != nil && ent.TxFromContext(ctx) == nil {
		return s.batch.Do(ctx, userID, run)
	}
	return db.InTx(ctx, s.client, run)
}

// SettleCall records what a held call used, one usage event per held metric (a metric missing
// from u.Amounts used 0), and frees the rest of its holds, in one transaction. Like
// SettleReservation it records the truth even beyond the holds.
func (s *Service) SettleCall(ctx context.Context, c Call, u CallUsage) error {
	if err := authz.Require(ctx, authz.MeterUsage(s.perms)); err != nil {
		return err
	}
	return s.callTx(ctx, c.UserID, func(ctx context.Context) error {
		for _, m := range metric.All {
			id, ok := c.Reservations[m]
			if !ok {
				continue
			}
			_, err := s.settleReservation(ctx, SettleInput{ID: id, ActualAmount: u.Amounts[m], ModelID: u.ModelID, ChatID: u.ChatID, Metadata: u.Metadata})
			if err != nil {
				return fmt.Errorf("settling %s: %w", m, err)
			}
		}
		return nil
	})
}

// ReleaseCall frees every hold of a call that used nothing (it failed before any work), in one
// transaction.
func (s *Service) ReleaseCall(ctx context.Context, c Call) error {
	if err := authz.Require(ctx, authz.MeterUsage(s.perms)); err != nil {
		return err
	}
	return s.callTx(ctx, c.UserID, func(ctx context.Context) error {
		for _, m := range metric.All {
			if id, ok := c.Reservations[m]; ok {
				if _, err := s.releaseReservation(ctx, id); err != nil {
					return fmt.Errorf("releasing %s: %w", m, err)
				}
			}
		}
		return nil
	})
}
