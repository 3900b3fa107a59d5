package analytics

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// fixtureNow is the clock of the hand-computed fixture.
var fixtureNow = date(2025, 3, 15, 12, 0, 0)

func date(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

func adminCtx() context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{UserID: "admin", Role: auth.RoleAdmin})
}

func newService(t *testing.T, d *db.DB, client *ent.Client) *Service {
	t.Helper()
	s, err := New(Config{Client: client, DB: d, Now: func() time.Time { return fixtureNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// seedFixture writes the hand-computed fixture. Every expected figure in the tests below is
// derived in the comments here.
//
// Plans: basic (1000.00 RUB a month), pro (12000.00 RUB a year = 1000.00 a month), weekly
// (7.00 USD a week = 30.3333.. a month), daily (1.00 USD a day = 30.4166.. a month), free (0 RUB).
func seedFixture(t *testing.T, c *ent.Client) {
	t.Helper()
	ctx := authz.AsOperator(context.Background())
	plans := []struct {
		id, cur  string
		price    int64
		interval plan.Interval
	}{
		{"basic", "RUB", 100000, plan.IntervalMONTH},
		{"pro", "RUB", 1200000, plan.IntervalYEAR},
		{"weekly", "USD", 700, plan.IntervalWEEK},
		{"daily", "USD", 100, plan.IntervalDAY},
		{"free", "RUB", 0, plan.IntervalMONTH},
	}
	byID := map[string]int{}
	for i, p := range plans {
		byID[p.id] = i
		c.Plan.Create().SetID(p.id).SetName(p.id).SetCurrency(p.cur).SetPriceMinor(p.price).
			SetInterval(p.interval).SaveX(ctx)
	}
	type sub struct {
		id, plan   string
		status     plansubscription.Status
		created    time.Time
		trialEnd   *time.Time
		ended      *time.Time
		canceledAt *time.Time
	}
	ptr := func(t time.Time) *time.Time { return &t }
	subs := []sub{
		// Active all along, paying.
		{"s1", "basic", plansubscription.StatusACTIVE, date(2024, 12, 1, 10, 0, 0), nil, nil, nil},
		// Past due: still active, still in MRR.
		{"s2", "basic", plansubscription.StatusPAST_DUE, date(2024, 11, 10, 0, 0, 0), nil, nil, nil},
		// New in the range, yearly.
		{"s3", "pro", plansubscription.StatusACTIVE, date(2025, 2, 1, 0, 0, 0), nil, nil, nil},
		// New in the range, still trialing at now: not active, not in MRR.
		{"s4", "basic", plansubscription.StatusTRIALING, date(2025, 3, 10, 0, 0, 0), ptr(date(2025, 3, 24, 0, 0, 0)), nil, nil},
		// Two weekly: 2 × 700 × 52 / 12 = 6066.67 → 6067 (rounding each first would give 6066).
		{"s5", "weekly", plansubscription.StatusACTIVE, date(2024, 6, 1, 0, 0, 0), nil, nil, nil},
		{"s6", "weekly", plansubscription.StatusACTIVE, date(2024, 7, 1, 0, 0, 0), nil, nil, nil},
		// Daily, canceled within the range.
		{"s7", "daily", plansubscription.StatusCANCELED, date(2024, 10, 1, 0, 0, 0), nil, ptr(date(2025, 2, 10, 0, 0, 0)), ptr(date(2025, 2, 10, 0, 0, 0))},
		// Free: active, never in MRR.
		{"s8", "free", plansubscription.StatusACTIVE, date(2024, 12, 15, 0, 0, 0), nil, nil, nil},
		// Ended before the range.
		{"s9", "basic", plansubscription.StatusCANCELED, date(2024, 5, 1, 0, 0, 0), nil, ptr(date(2024, 12, 20, 0, 0, 0)), ptr(date(2024, 12, 19, 0, 0, 0))},
		// Paused since it started (paused_at = created_at, as steward marks a pause): neither
		// active nor paying.
		{"s10", "basic", plansubscription.StatusPAUSED, date(2024, 9, 1, 0, 0, 0), nil, nil, nil},
		// New and canceled within the range.
		{"s11", "pro", plansubscription.StatusCANCELED, date(2025, 1, 5, 0, 0, 0), nil, ptr(date(2025, 3, 1, 0, 0, 0)), ptr(date(2025, 3, 1, 0, 0, 0))},
		// Trialing at the range's start, converted since.
		{"s12", "basic", plansubscription.StatusACTIVE, date(2024, 12, 20, 0, 0, 0), ptr(date(2025, 1, 10, 0, 0, 0)), nil, nil},
	}
	for _, s := range subs {
		p := plans[byID[s.plan]]
		// Every subscription here was paid for, at its plan's only price.
		c.PlanSubscription.Create().SetID(s.id).SetUserID("u-" + s.id).SetPlanID(s.plan).SetStatus(s.status).
			SetPriceMinor(p.price).SetCurrency(p.cur).SetInterval(plansubscription.Interval(p.interval)).
			SetCreatedAt(s.created).SetPeriodAnchor(s.created).SetCurrentPeriodStart(s.created).
			SetCurrentPeriodEnd(s.created.AddDate(0, 1, 0)).
			SetNillableTrialEnd(s.trialEnd).SetNillableEndedAt(s.ended).SetNillableCanceledAt(s.canceledAt).
			SetNillablePausedAt(map[bool]*time.Time{true: ptr(s.created)}[s.status == plansubscription.StatusPAUSED]).
			SaveX(ctx)
	}
	txs := []struct {
		plan, cur string
		amount    int64
		status    transaction.Status
		at        time.Time
	}{
		{"basic", "RUB", 100000, transaction.StatusSUCCEEDED, date(2025, 1, 1, 0, 0, 0)},      // Jan (start inclusive)
		{"basic", "RUB", 100000, transaction.StatusSUCCEEDED, date(2025, 1, 31, 23, 59, 59)},  // Jan
		{"pro", "RUB", 1200000, transaction.StatusSUCCEEDED, date(2025, 2, 1, 0, 0, 0)},       // Feb
		{"weekly", "USD", 700, transaction.StatusSUCCEEDED, date(2025, 2, 14, 0, 0, 0)},       // Feb
		{"weekly", "USD", 700, transaction.StatusFAILED, date(2025, 2, 15, 0, 0, 0)},          // not revenue
		{"basic", "RUB", 100000, transaction.StatusSUCCEEDED, date(2024, 12, 31, 23, 59, 59)}, // before
		{"weekly", "USD", 2100, transaction.StatusSUCCEEDED, date(2025, 4, 1, 0, 0, 0)},       // after (end exclusive)
		{"basic", "RUB", 100000, transaction.StatusREFUNDED, date(2025, 1, 15, 0, 0, 0)},      // not revenue
	}
	for i, tx := range txs {
		c.Transaction.Create().SetUserID("u-tx").SetPlanID(tx.plan).SetCurrency(tx.cur).
			SetAmountMinor(tx.amount).SetStatus(tx.status).SetCreatedAt(tx.at).
			SetDescription(string(rune('a' + i))).SaveX(ctx)
	}
	events := []struct {
		sub    string
		m      metric.Metric
		amount int64
		at     time.Time
	}{
		{"s1", metric.TokensInput, 100, date(2025, 1, 1, 0, 0, 0)},
		{"s1", metric.TokensInput, 50, date(2025, 1, 1, 13, 0, 0)},
		{"s3", metric.Requests, 1, date(2025, 2, 10, 0, 0, 0)},
		{"s1", metric.TokensOutput, 30, date(2024, 12, 31, 23, 59, 0)}, // before
		{"s5", metric.Images, 2, date(2025, 3, 31, 23, 59, 59)},
		{"s1", metric.TokensInput, 7, date(2025, 4, 1, 0, 0, 0)}, // after
	}
	for _, e := range events {
		c.UsageEvent.Create().SetUserID("u-" + e.sub).SetSubscriptionID(e.sub).SetMetric(e.m).
			SetAmount(e.amount).SetCreatedAt(e.at).SaveX(ctx)
	}
}

func usage(ti, to, req, img, audio int64) []UsageTotal {
	return []UsageTotal{
		{metric.TokensInput, ti}, {metric.TokensOutput, to}, {metric.Requests, req},
		{metric.Images, img}, {metric.AudioMinutes, audio},
	}
}

func rub(n int64) Money { return Money{"RUB", n} }
func usd(n int64) Money { return Money{"USD", n} }

func month(y int, m time.Month, amounts ...Money) MonthRevenue {
	start := date(y, m, 1, 0, 0, 0)
	if amounts == nil {
		amounts = []Money{}
	}
	return MonthRevenue{Month: start.Format("2006-01"), Start: start, Amounts: amounts}
}

func TestOverviewFixture(t *testing.T) {
	q1From, q1To := date(2025, 1, 1, 0, 0, 0), date(2025, 4, 1, 0, 0, 0)
	tests := []struct {
		name     string
		plan     string // "" for Overview
		from, to time.Time
		want     Overview
	}{
		{
			// At = now (to is in the future): MRR from statuses. RUB: s1, s2, s12 (basic) + s3
			// (pro, 1200000/12) = 4 × 100000; USD: s5 + s6 = 72800/12 = 6066.67 → 6067, ARR 72800.
			// Active at 2025-01-01: s1 s2 s5 s6 s7 s8 (s9 ended, s10 paused, s12 trialing) = 6.
			// Active at now: s1 s2 s3 s5 s6 s8 s12 (s4 trialing; s7 s9 s11 ended) = 7.
			// New: s3 s4 s11. Canceled (ended in range): s7 s11. Churn 2/6 = 0.3333.
			name: "quarter to the future", from: q1From, to: q1To,
			want: Overview{
				From: q1From, To: q1To, At: fixtureNow,
				MRR: []Money{rub(400000), usd(6067)}, ARR: []Money{rub(4800000), usd(72800)},
				NewSubscriptions: 3, CanceledSubscriptions: 2, ActiveAtStart: 6, ActiveAtEnd: 7,
				ChurnRate: 0.3333,
				// Trials ended in [from, now): s12's (2025-01-10), which still runs: 1 of 1.
				TrialsEnded: 1, TrialsConverted: 1, TrialConversionRate: 1,
				Revenue: []Money{rub(1400000), usd(700)},
				RevenueByMonth: []MonthRevenue{
					month(2025, 1, rub(200000), usd(0)),
					month(2025, 2, rub(1200000), usd(700)),
					month(2025, 3, rub(0), usd(0)),
				},
				Usage: usage(150, 0, 1, 2, 0),
			},
		},
		{
			// At = 2025-01-01, in the past: paying = created by then, not trialing then, and ACTIVE or
			// PAST_DUE now (s1 s2 s5 s6 s8; s12 was trialing) or ended since (s7); s10 is PAUSED.
			// RUB: s1 s2 = 200000 (s8 is free); USD: 2 weekly + daily =
			// (72800 + 36500)/12 = 9108.33 → 9108, ARR 109300.
			// Active at 2024-12-01: s2 s5 s6 s7 s9 = 5 (s10 paused). New: s1 s8 s12. Ended: s9.
			// Churn 1/5. Active at 2025-01-01: 6, as above.
			name: "december in the past", from: date(2024, 12, 1, 0, 0, 0), to: q1From,
			want: Overview{
				From: date(2024, 12, 1, 0, 0, 0), To: q1From, At: q1From,
				MRR: []Money{rub(200000), usd(9108)}, ARR: []Money{rub(2400000), usd(109300)},
				NewSubscriptions: 3, CanceledSubscriptions: 1, ActiveAtStart: 5, ActiveAtEnd: 6,
				ChurnRate: 0.2,
				Revenue:   []Money{rub(100000)},
				RevenueByMonth: []MonthRevenue{
					month(2024, 12, rub(100000)),
				},
				Usage: usage(0, 30, 0, 0, 0),
			},
		},
		{
			// Partial days at both ends: 100 at 2025-01-01 00:00 and 2 at 2025-03-31 23:59:59
			// fall outside; the 50 at 13:00 and the request fall inside.
			name: "partial days", from: date(2025, 1, 1, 12, 0, 0), to: date(2025, 3, 31, 12, 0, 0),
			want: Overview{
				From: date(2025, 1, 1, 12, 0, 0), To: date(2025, 3, 31, 12, 0, 0), At: fixtureNow,
				MRR: []Money{rub(400000), usd(6067)}, ARR: []Money{rub(4800000), usd(72800)},
				// s3 s4 s11 new; s7 s11 ended; at 2025-01-01 12:00 the same 6 as at midnight.
				NewSubscriptions: 3, CanceledSubscriptions: 2, ActiveAtStart: 6, ActiveAtEnd: 7,
				ChurnRate:   0.3333,
				TrialsEnded: 1, TrialsConverted: 1, TrialConversionRate: 1, // s12, as above
				// The Jan 1 00:00 payment is now before the range.
				Revenue: []Money{rub(1300000), usd(700)},
				RevenueByMonth: []MonthRevenue{
					month(2025, 1, rub(100000), usd(0)),
					month(2025, 2, rub(1200000), usd(700)),
					month(2025, 3, rub(0), usd(0)),
				},
				Usage: usage(50, 0, 1, 0, 0),
			},
		},
		{
			name: "within one day", from: date(2025, 1, 1, 6, 0, 0), to: date(2025, 1, 1, 14, 0, 0),
			want: Overview{
				From: date(2025, 1, 1, 6, 0, 0), To: date(2025, 1, 1, 14, 0, 0), At: date(2025, 1, 1, 14, 0, 0),
				MRR: []Money{rub(200000), usd(9108)}, ARR: []Money{rub(2400000), usd(109300)},
				ActiveAtStart: 6, ActiveAtEnd: 6,
				Revenue:        []Money{},
				RevenueByMonth: []MonthRevenue{month(2025, 1)},
				Usage:          usage(50, 0, 0, 0, 0),
			},
		},
		{
			// basic: s1 s2 s4 s9 s10 s12. Active at start: s1 s2; at now: s1 s2 s12 (s10 paused).
			// New: s4. None ended in range. Paying now: s1 s2 s12.
			name: "plan basic", plan: "basic", from: q1From, to: q1To,
			want: Overview{
				PlanID: "basic", From: q1From, To: q1To, At: fixtureNow,
				MRR: []Money{rub(300000)}, ARR: []Money{rub(3600000)},
				NewSubscriptions: 1, ActiveAtStart: 2, ActiveAtEnd: 3,
				TrialsEnded: 1, TrialsConverted: 1, TrialConversionRate: 1, // s12
				Revenue: []Money{rub(200000)},
				RevenueByMonth: []MonthRevenue{
					month(2025, 1, rub(200000)), month(2025, 2, rub(0)), month(2025, 3, rub(0)),
				},
				Usage: usage(150, 0, 0, 0, 0),
			},
		},
		{
			// daily: only s7, active at the start and canceled in the range: churn 1.
			// MRR shows the plan's currency even at zero.
			name: "plan daily", plan: "daily", from: q1From, to: q1To,
			want: Overview{
				PlanID: "daily", From: q1From, To: q1To, At: fixtureNow,
				MRR: []Money{usd(0)}, ARR: []Money{usd(0)},
				CanceledSubscriptions: 1, ActiveAtStart: 1, ChurnRate: 1,
				Revenue:        []Money{},
				RevenueByMonth: []MonthRevenue{month(2025, 1), month(2025, 2), month(2025, 3)},
				Usage:          usage(0, 0, 0, 0, 0),
			},
		},
	}
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			seedFixture(t, d.Client)
			s := newService(t, d, d.Client)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var (
						got Overview
						err error
					)
					if tt.plan == "" {
						got, err = s.Overview(adminCtx(), tt.from, tt.to)
					} else {
						got, err = s.PlanAnalytics(adminCtx(), tt.plan, tt.from, tt.to)
					}
					if err != nil {
						t.Fatalf("error = %v", err)
					}
					want := tt.want
					if want.Complimentary.MRR == nil {
						want.Complimentary.MRR = []Money{} // every subscription in this fixture was paid for
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("got  %+v\nwant %+v", got, want)
					}
				})
			}
		})
	}
}

func TestPlanStatsFixture(t *testing.T) {
	// Active = ACTIVE + PAST_DUE + TRIALING; MRR counts ACTIVE and PAST_DUE only.
	want := map[string]PlanStats{
		// s1 ACTIVE, s2 PAST_DUE, s4 TRIALING, s9 CANCELED, s10 PAUSED, s12 ACTIVE.
		"basic": {PlanID: "basic", ActiveSubscriptions: 4, CanceledSubscriptions: 1, TotalSubscriptions: 6, MRR: rub(300000)},
		"pro":   {PlanID: "pro", ActiveSubscriptions: 1, CanceledSubscriptions: 1, TotalSubscriptions: 2, MRR: rub(100000)},
		// 2 × 700 × 52 / 12 = 6066.67, rounded once.
		"weekly": {PlanID: "weekly", ActiveSubscriptions: 2, TotalSubscriptions: 2, MRR: usd(6067)},
		"daily":  {PlanID: "daily", CanceledSubscriptions: 1, TotalSubscriptions: 1, MRR: usd(0)},
		"free":   {PlanID: "free", ActiveSubscriptions: 1, TotalSubscriptions: 1, MRR: rub(0)},
	}
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			seedFixture(t, d.Client)
			s := newService(t, d, d.Client)
			got, err := s.PlanStats(adminCtx(), []string{"basic", "pro", "weekly", "daily", "free", "no-such-plan", "basic"})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("PlanStats =\n %+v\nwant\n %+v", got, want)
			}
			empty, err := s.PlanStats(adminCtx(), nil)
			if err != nil || len(empty) != 0 {
				t.Errorf("PlanStats(nil) = %v, %v; want empty, nil", empty, err)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	d := dbtest.NewDB(t, dbtest.SQLite)
	seedFixture(t, d.Client)
	s := newService(t, d, d.Client)
	user := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "u", Role: auth.RoleUser})
	jan, feb := date(2025, 1, 1, 0, 0, 0), date(2025, 2, 1, 0, 0, 0)
	tests := []struct {
		name      string
		call      func() error
		wantCode  errs.Code
		wantField string
	}{
		{"anonymous overview", func() error { _, err := s.Overview(context.Background(), jan, feb); return err }, errs.CodeUnauthenticated, ""},
		{"user overview", func() error { _, err := s.Overview(user, jan, feb); return err }, errs.CodeForbidden, ""},
		{"user plan stats", func() error { _, err := s.PlanStats(user, []string{"basic"}); return err }, errs.CodeForbidden, ""},
		{"user plan analytics", func() error { _, err := s.PlanAnalytics(user, "basic", jan, feb); return err }, errs.CodeForbidden, ""},
		{"to equals from", func() error { _, err := s.Overview(adminCtx(), jan, jan); return err }, errs.CodeBadUserInput, "to"},
		{"to before from", func() error { _, err := s.Overview(adminCtx(), feb, jan); return err }, errs.CodeBadUserInput, "to"},
		{"zero from", func() error { _, err := s.Overview(adminCtx(), time.Time{}, jan); return err }, errs.CodeBadUserInput, "from"},
		{"zero to", func() error { _, err := s.Overview(adminCtx(), jan, time.Time{}); return err }, errs.CodeBadUserInput, "to"},
		{"over five years", func() error { _, err := s.Overview(adminCtx(), jan, jan.AddDate(5, 0, 2)); return err }, errs.CodeBadUserInput, "to"},
		{"plan range", func() error { _, err := s.PlanAnalytics(adminCtx(), "basic", feb, jan); return err }, errs.CodeBadUserInput, "to"},
		{"empty plan id", func() error { _, err := s.PlanAnalytics(adminCtx(), "", jan, feb); return err }, errs.CodeBadUserInput, "planId"},
		{"unknown plan", func() error { _, err := s.PlanAnalytics(adminCtx(), "nope", jan, feb); return err }, errs.CodeNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			e, ok := errs.As(err)
			if !ok {
				t.Fatalf("error = %v, want an errs.Error with code %s", err, tt.wantCode)
			}
			if e.Code != tt.wantCode || e.Field != tt.wantField {
				t.Errorf("error = %s on %q (%v), want %s on %q", e.Code, e.Field, err, tt.wantCode, tt.wantField)
			}
		})
	}
	// Exactly five years is allowed.
	if _, err := s.Overview(adminCtx(), jan, jan.AddDate(5, 0, 0)); err != nil {
		t.Errorf("five-year range: error = %v, want nil", err)
	}
	if _, err := New(Config{}); err == nil || errors.Is(err, errs.ErrBadUserInput) {
		t.Errorf("New(Config{}) error = %v, want a configuration error", err)
	}
}

// TestTrialsCountedOnce checks trial conversion on chains of linked rows: a continued row keeps
// the trial's end, so each chain below is one trial, counted on the row that held it when it
// ended. Over [2025-01-01, 2025-04-01) at fixtureNow (2025-03-15 12:00):
//
//	T  plan change in the trial (Jan 5), goes on past it (Jan 15)          ended, converted
//	U  continued onto a new price at the trial's end (Feb 15), goes on     ended, converted
//	V  plan change after the trial (Mar 1)                                 ended, converted
//	W  plan change in the trial (Jan 5), then ended with it (Jan 15)       ended, not converted
//	X  canceled in the trial (Feb 5)                                       ended, not converted
//
// 5 trials, 3 converted (counting every row would give 9 and 7).
func TestTrialsCountedOnce(t *testing.T) {
	type row struct {
		id, replaces, replacedBy string
		created, trialEnd        time.Time
		ended                    *time.Time
	}
	ptr := func(t time.Time) *time.Time { return &t }
	jan := func(d int) time.Time { return date(2025, 1, d, 0, 0, 0) }
	feb := func(d int) time.Time { return date(2025, 2, d, 0, 0, 0) }
	rows := []row{
		{id: "t1", replacedBy: "t2", created: jan(1), trialEnd: jan(15), ended: ptr(jan(5))},
		{id: "t2", replaces: "t1", created: jan(5), trialEnd: jan(15)},
		{id: "u1", replacedBy: "u2", created: feb(1), trialEnd: feb(15), ended: ptr(feb(15))},
		{id: "u2", replaces: "u1", created: feb(15), trialEnd: feb(15)},
		{id: "v1", replacedBy: "v2", created: jan(1), trialEnd: jan(15), ended: ptr(date(2025, 3, 1, 0, 0, 0))},
		{id: "v2", replaces: "v1", created: date(2025, 3, 1, 0, 0, 0), trialEnd: jan(15)},
		{id: "w1", replacedBy: "w2", created: jan(1), trialEnd: jan(15), ended: ptr(jan(5))},
		{id: "w2", replaces: "w1", created: jan(5), trialEnd: jan(15), ended: ptr(jan(15))},
		{id: "x1", created: feb(1), trialEnd: feb(15), ended: ptr(feb(5))},
	}
	type trials struct {
		ended, converted int
		rate             float64
	}
	want := trials{5, 3, 0.6}
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			ctx := authz.AsOperator(context.Background())
			d.Client.Plan.Create().SetID("basic").SetName("basic").SetCurrency("RUB").SetPriceMinor(100000).
				SetInterval(plan.IntervalMONTH).SaveX(ctx)
			for _, r := range rows {
				status := plansubscription.StatusACTIVE
				if r.ended != nil {
					status = plansubscription.StatusCANCELED
				}
				c := d.Client.PlanSubscription.Create().SetID(r.id).SetUserID("u-" + r.id[:1]).SetPlanID("basic").
					SetStatus(status).SetPriceMinor(100000).SetCurrency("RUB").SetInterval(plansubscription.IntervalMONTH).
					SetCreatedAt(r.created).SetPeriodAnchor(r.created).SetCurrentPeriodStart(r.created).
					SetCurrentPeriodEnd(r.created.AddDate(0, 1, 0)).SetTrialEnd(r.trialEnd).SetNillableEndedAt(r.ended)
				if r.replaces != "" {
					c.SetReplacesID(r.replaces)
				}
				if r.replacedBy != "" {
					c.SetReplacedByID(r.replacedBy)
				}
				c.SaveX(ctx)
			}
			s := newService(t, d, d.Client)
			o, err := s.Overview(adminCtx(), jan(1), date(2025, 4, 1, 0, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			got := trials{o.TrialsEnded, o.TrialsConverted, o.TrialConversionRate}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}
