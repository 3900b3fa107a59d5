package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/metric"
)

// Topics of the live billing events; each event's Key is the user id.
const (
	UsageTopic      = "usage"
	QuotaAlertTopic = "quota_alert"
)

// alertThresholds are the quota percentages that raise an alert, once each per period.
var alertThresholds = []int{80, 100}

// UsageUpdate is published after every recorded or settled usage.
type UsageUpdate struct {
	UserID string        `json:"userId"`
	Metric metric.Metric `json:"metric"`
	// Amount is what this event added.
	Amount      int64      `json:"amount"`
	Used        int64      `json:"used"`
	Reserved    int64      `json:"reserved"`
	Limit       *int64     `json:"limit,omitempty"`
	Remaining   *int64     `json:"remaining,omitempty"`
	Percentage  *float64   `json:"percentage,omitempty"`
	PeriodStart *time.Time `json:"periodStart,omitempty"`
	PeriodEnd   *time.Time `json:"periodEnd,omitempty"`
	At          time.Time  `json:"at"`
}

// QuotaAlert is published once per period and metric when usage crosses 80% and 100%.
type QuotaAlert struct {
	UserID      string        `json:"userId"`
	Metric      metric.Metric `json:"metric"`
	Threshold   int           `json:"threshold"`
	Used        int64         `json:"used"`
	Limit       int64         `json:"limit"`
	PeriodStart time.Time     `json:"periodStart"`
	PeriodEnd   time.Time     `json:"periodEnd"`
	At          time.Time     `json:"at"`
}

// WatchKey checks who may watch whose live usage and returns the events key to subscribe to: a
// user watches only themselves (userID nil or their own id); an admin watches anyone, or
// everyone with userID nil (the empty key).
func WatchKey(ctx context.Context, userID *string) (string, error) {
	v := auth.ViewerFrom(ctx)
	switch {
	case userID != nil:
		return *userID, authz.Require(ctx, authz.SeeUsage(*userID))
	case authz.Allowed(ctx, authz.SeeUsage("")):
		return "", nil // admins watch everyone
	case v != nil:
		return v.UserID, authz.Require(ctx, authz.SeeUsage(v.UserID))
	default:
		return "", authz.Require(ctx, authz.SeeUsage(""))
	}
}

// announceUsage publishes the update after commit and raises the quota alerts it crosses. Marking
// a counter's alert is a conditional update in the same transaction as the usage, so each alert
// goes out once per period even with several replicas recording at the same moment.
func (s *Service) announceUsage(ctx context.Context, c *ent.Client, userID string, subID *string, amount int64, q QuotaCheck) error {
	var markErr error
	s.announce(ctx, userID, subID, amount, q, func(i int) bool {
		if markErr != nil {
			return false
		}
		col := fmt.Sprintf("alerted_%d", alertThresholds[i])
		res, err := c.ExecContext(ctx, s.rebind("UPDATE usage_counters SET "+col+" = true WHERE subscription_id = ? AND metric = ? AND period_start = ? AND "+col+" = false"),
			*subID, string(q.Metric), *q.PeriodStart)
		if err != nil {
			markErr = fmt.Errorf("marking quota alert: %w", err)
			return false
		}
		n, err := res.RowsAffected()
		return err == nil && n > 0 // 0: already alerted this period (or the driver cannot tell: stay quiet)
	})
	return markErr
}

// announce publishes the update after commit, and an alert for each of alertThresholds (by
// index) that the usage reached and mark claims: mark reports whether this usage is the first of
// the period to reach it.
func (s *Service) announce(ctx context.Context, userID string, subID *string, amount int64, q QuotaCheck, mark func(threshold int) bool) {
	if s.bus == nil {
		return
	}
	now := s.now()
	s.publishAfterCommit(ctx, UsageTopic, userID, UsageUpdate{UserID: userID, Metric: q.Metric, Amount: amount, Used: q.Used,
		Reserved: q.Reserved, Limit: q.Limit, Remaining: q.Remaining, Percentage: q.Percentage,
		PeriodStart: q.PeriodStart, PeriodEnd: q.ResetsAt, At: now})
	if subID == nil || q.Limit == nil || q.PeriodStart == nil || q.ResetsAt == nil {
		return
	}
	for i, th := range alertThresholds {
		if q.Used*100 < int64(th)**q.Limit || !mark(i) {
			continue
		}
		s.publishAfterCommit(ctx, QuotaAlertTopic, userID, QuotaAlert{UserID: userID, Metric: q.Metric, Threshold: th,
			Used: q.Used, Limit: *q.Limit, PeriodStart: *q.PeriodStart, PeriodEnd: *q.ResetsAt, At: now})
	}
}

func (s *Service) publishAfterCommit(ctx context.Context, topic, key string, v any) {
	e, err := events.Encode(topic, key, v)
	if err != nil {
		s.logger.Error("encoding billing event", "topic", topic, "err", err)
		return
	}
	db.AfterCommit(ctx, func() {
		if err := s.bus.Publish(context.WithoutCancel(ctx), e); err != nil {
			s.logger.Warn("publishing billing event", "topic", topic, "err", err)
		}
	})
}
