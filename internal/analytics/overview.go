package analytics

import (
	"context"
	"database/sql"
	"time"

	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// Overview describes [from, to) across every plan. See the Overview type for each figure.
func (s *Service) Overview(ctx context.Context, from, to time.Time) (Overview, error) {
	if err := authorize(ctx); err != nil {
		return Overview{}, err
	}
	if err := validateRange(from, to); err != nil {
		return Overview{}, err
	}
	return s.overview(ctx, "", from.UTC(), to.UTC())
}

// PlanAnalytics is Overview restricted to one plan: its subscriptions, the transactions for it,
// and the usage of its subscribers. An unknown plan is NOT_FOUND.
func (s *Service) PlanAnalytics(ctx context.Context, planID string, from, to time.Time) (Overview, error) {
	if err := authorize(ctx); err != nil {
		return Overview{}, err
	}
	if planID == "" {
		return Overview{}, errs.Invalid("planId", "planId is required")
	}
	if err := validateRange(from, to); err != nil {
		return Overview{}, err
	}
	return s.overview(ctx, planID, from.UTC(), to.UTC())
}

// scope is the optional "one plan" filter of a statement.
type scope struct{ planID string }

// where returns the condition on col (empty for every plan) and appends its argument.
func (sc scope) where(col string, args []any) (string, []any) {
	if sc.planID == "" {
		return "", args
	}
	return " AND " + col + " = ?", append(args, sc.planID)
}

func (s *Service) overview(ctx context.Context, planID string, from, to time.Time) (Overview, error) {
	now := s.now().UTC()
	o := Overview{PlanID: planID, From: from, To: to, At: minTime(to, now)}
	sc := scope{planID: planID}

	plans, err := s.planCounts(ctx, planFilter(planID))
	if err != nil {
		return Overview{}, err
	}
	if planID != "" && len(plans) == 0 {
		return Overview{}, errs.NotFound("plan")
	}
	if err := s.counts(ctx, sc, &o, minTime(from, now)); err != nil {
		return Overview{}, err
	}
	if o.ActiveAtStart > 0 {
		o.ChurnRate = round4(float64(o.CanceledSubscriptions) / float64(o.ActiveAtStart))
	}

	// At now the statuses are the truth, and planCounts already has them. For an instant in the
	// past no status history exists, so paying subscriptions are reconstructed from the lifecycle
	// times (see payingAt).
	paying := map[string]int{}
	if o.At.Equal(now) {
		for _, p := range plans {
			paying[p.id] = p.byStatus[plansubscription.StatusACTIVE] + p.byStatus[plansubscription.StatusPAST_DUE]
		}
	} else if paying, err = s.payingAt(ctx, sc, o.At); err != nil {
		return Overview{}, err
	}
	if o.MRR, o.ARR, err = mrrOf(plans, paying, planID); err != nil {
		return Overview{}, err
	}
	if err := s.revenue(ctx, sc, &o); err != nil {
		return Overview{}, err
	}
	if o.Usage, err = s.usage(ctx, sc, from, to); err != nil {
		return Overview{}, err
	}
	return o, nil
}

func planFilter(planID string) []string {
	if planID == "" {
		return nil
	}
	return []string{planID}
}

// activeAt is the SQL that counts subscriptions active at one instant, as three index range
// counts instead of one scan: created by T, minus ended by T, minus trialing at T (but not ended).
// It appends its arguments to args, in the order of its placeholders.
func activeAt(sc scope, t time.Time, args []any) (string, []any) {
	var c1, c2, c3 string
	args = append(args, t)
	c1, args = sc.where("plan_id", args)
	args = append(args, t, t)
	c2, args = sc.where("plan_id", args)
	args = append(args, t, t, t)
	c3, args = sc.where("plan_id", args)
	return `(SELECT COUNT(*) FROM plan_subscriptions WHERE created_at <= ?` + c1 + `)
 - (SELECT COUNT(*) FROM plan_subscriptions WHERE ended_at <= ? AND created_at <= ?` + c2 + `)
 - (SELECT COUNT(*) FROM plan_subscriptions WHERE trial_end > ? AND created_at <= ? AND (ended_at IS NULL OR ended_at > ?)` + c3 + `)`, args
}

// counts fills the subscriber counts in one statement of indexed COUNTs.
func (s *Service) counts(ctx context.Context, sc scope, o *Overview, start time.Time) error {
	var (
		args   []any
		c1, c2 string
	)
	args = append(args, o.From, o.To)
	c1, args = sc.where("plan_id", args)
	args = append(args, o.From, o.To)
	c2, args = sc.where("plan_id", args)
	startSQL, args := activeAt(sc, start, args)
	endSQL, args := activeAt(sc, o.At, args)
	q := `SELECT
 (SELECT COUNT(*) FROM plan_subscriptions WHERE created_at >= ? AND created_at < ?` + c1 + `),
 (SELECT COUNT(*) FROM plan_subscriptions WHERE ended_at >= ? AND ended_at < ?` + c2 + `),
 ` + startSQL + `,
 ` + endSQL
	return s.query(ctx, q, args, func(rows *sql.Rows) error {
		return rows.Scan(&o.NewSubscriptions, &o.CanceledSubscriptions, &o.ActiveAtStart, &o.ActiveAtEnd)
	})
}

// payingAt counts per plan the subscriptions that paid at a past instant t: those created by t
// and not trialing at t that either pay now (ACTIVE or PAST_DUE) or ended after t. No status
// history is kept, so a subscription PAUSED now, or paused at t, is taken as it is now; prices
// are the plans' current ones. As t nears now this converges to the status snapshot PlanStats
// uses. Each part is a range over an index: (plan_id, status, created_at), trial_end, ended_at.
func (s *Service) payingAt(ctx context.Context, sc scope, t time.Time) (map[string]int, error) {
	var (
		args []any
		c    [3]string
	)
	active, pastDue := plansubscription.StatusACTIVE.String(), plansubscription.StatusPAST_DUE.String()
	args = append(args, active, pastDue, t)
	c[0], args = sc.where("plan_id", args)
	args = append(args, t, active, pastDue, t)
	c[1], args = sc.where("plan_id", args)
	args = append(args, t, t, t)
	c[2], args = sc.where("plan_id", args)
	q := `SELECT 1, plan_id, COUNT(*) FROM plan_subscriptions` + s.indexedBy("plansubscription_plan_id_status_created_at") + `
 WHERE status IN (?, ?) AND created_at <= ?` + c[0] + ` GROUP BY plan_id
UNION ALL SELECT -1, plan_id, COUNT(*) FROM plan_subscriptions` + s.indexedBy("plansubscription_trial_end") + `
 WHERE trial_end > ? AND status IN (?, ?) AND created_at <= ?` + c[1] + ` GROUP BY plan_id
UNION ALL SELECT 1, plan_id, COUNT(*) FROM plan_subscriptions` + s.indexedBy("plansubscription_ended_at_created_at") + `
 WHERE ended_at > ? AND created_at <= ? AND (trial_end IS NULL OR trial_end <= ?)` + c[2] + ` GROUP BY plan_id`
	out := map[string]int{}
	err := s.query(ctx, q, args, func(rows *sql.Rows) error {
		var (
			sign, n int
			id      string
		)
		if err := rows.Scan(&sign, &id, &n); err != nil {
			return err
		}
		out[id] += sign * n
		return nil
	})
	return out, err
}

// revenue fills Revenue and RevenueByMonth from SUCCEEDED transactions, by the UTC month of their
// created_at: whole days from the RevenueDaily rollup, the partial days at either end from the
// transactions themselves over the (status, created_at) index. A payment counts when it was
// created (the provider confirms it minutes later at most), which is also what the rollup keeps.
func (s *Service) revenue(ctx context.Context, sc scope, o *Overview) error {
	sums := map[string]map[string]int64{} // month -> currency -> amount
	totals := map[string]int64{}
	add := func(rows *sql.Rows) error {
		var (
			m, cur string
			amount int64
		)
		if err := rows.Scan(&m, &cur, &amount); err != nil {
			return err
		}
		if amount == 0 { // a day whose payments were all refunded
			return nil
		}
		if sums[m] == nil {
			sums[m] = map[string]int64{}
		}
		sums[m][cur] += amount
		totals[cur] += amount
		return nil
	}
	days, edges := splitDays(o.From, o.To)
	if days[0].Before(days[1]) {
		args := []any{days[0], days[1]}
		c, args := sc.where("plan_id", args)
		month := s.monthExpr("day")
		q := `SELECT ` + month + `, currency, CAST(SUM(total_minor) AS BIGINT) FROM revenue_dailies
WHERE day >= ? AND day < ?` + c + ` GROUP BY ` + month + `, currency`
		if err := s.query(ctx, q, args, add); err != nil {
			return err
		}
	}
	for _, e := range edges {
		args := []any{"SUCCEEDED", e[0], e[1]}
		c, args := sc.where("plan_id", args)
		month := s.monthExpr("created_at")
		q := `SELECT ` + month + `, currency, CAST(SUM(amount_minor) AS BIGINT) FROM transactions
WHERE status = ? AND created_at >= ? AND created_at < ?` + c + ` GROUP BY ` + month + `, currency`
		if err := s.query(ctx, q, args, add); err != nil {
			return err
		}
	}
	o.Revenue = []Money{}
	for cur, amount := range totals {
		o.Revenue = append(o.Revenue, Money{Currency: cur, AmountMinor: amount})
	}
	sortMoney(o.Revenue)
	o.RevenueByMonth = []MonthRevenue{}
	for start := monthStart(o.From); start.Before(o.To); start = start.AddDate(0, 1, 0) {
		key := start.Format("2006-01")
		mr := MonthRevenue{Month: key, Start: start, Amounts: make([]Money, 0, len(o.Revenue))}
		for _, tot := range o.Revenue {
			mr.Amounts = append(mr.Amounts, Money{Currency: tot.Currency, AmountMinor: sums[key][tot.Currency]})
		}
		o.RevenueByMonth = append(o.RevenueByMonth, mr)
	}
	return nil
}

// splitDays splits [from, to) into the whole UTC days [days[0], days[1]) (empty when days[0] is
// not before days[1]) and the partial days at either end, which the rollups cannot answer.
func splitDays(from, to time.Time) (days [2]time.Time, edges [][2]time.Time) {
	first := dayStart(from)
	if first.Before(from) {
		first = first.AddDate(0, 0, 1)
	}
	last := dayStart(to)   // exclusive
	if first.After(last) { // within one day
		return [2]time.Time{first, first}, [][2]time.Time{{from, to}}
	}
	if from.Before(first) {
		edges = append(edges, [2]time.Time{from, first})
	}
	if last.Before(to) {
		edges = append(edges, [2]time.Time{last, to})
	}
	return [2]time.Time{first, last}, edges
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// usage totals each metric over [from, to): whole UTC days from the UsageDaily rollup, and the
// partial days at either end (when from or to is not a midnight) from the events themselves, a
// day's worth at most on each side. For one plan, the rollup attributes an event to the plan of
// its subscription when it was recorded; the partial days use the subscription's plan now.
func (s *Service) usage(ctx context.Context, sc scope, from, to time.Time) ([]UsageTotal, error) {
	totals := map[metric.Metric]int64{}
	add := func(rows *sql.Rows) error {
		var (
			m string
			n int64
		)
		if err := rows.Scan(&m, &n); err != nil {
			return err
		}
		totals[metric.Metric(m)] += n
		return nil
	}
	days, edges := splitDays(from, to)
	if days[0].Before(days[1]) {
		args := []any{days[0], days[1]}
		c, args := sc.where("plan_id", args)
		q := `SELECT metric, CAST(SUM(total) AS BIGINT) FROM usage_dailies WHERE day >= ? AND day < ?` + c + ` GROUP BY metric`
		if err := s.query(ctx, q, args, add); err != nil {
			return nil, err
		}
	}
	for _, e := range edges {
		args := []any{e[0], e[1]}
		c := ""
		if sc.planID != "" {
			c = " AND subscription_id IN (SELECT id FROM plan_subscriptions WHERE plan_id = ?)"
			args = append(args, sc.planID)
		}
		q := `SELECT metric, CAST(SUM(amount) AS BIGINT) FROM usage_events WHERE created_at >= ? AND created_at < ?` + c + ` GROUP BY metric`
		if err := s.query(ctx, q, args, add); err != nil {
			return nil, err
		}
	}
	out := make([]UsageTotal, 0, len(metric.All))
	for _, m := range metric.All {
		out = append(out, UsageTotal{Metric: m, Total: totals[m]})
	}
	return out, nil
}
