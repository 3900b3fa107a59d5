package analytics

import (
	"context"
	"database/sql"
	"math/big"
	"time"

	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/internal/money"
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
		return Overview{}, errs.Invalid("planId", "is required")
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

	// One plan's overview shows MRR in its currency even at zero; every plan's needs no plan row.
	keep := ""
	if planID != "" {
		err := s.query(ctx, `SELECT currency FROM plans WHERE id = ?`, []any{planID}, func(rows *sql.Rows) error { return rows.Scan(&keep) })
		if err != nil {
			return Overview{}, err
		}
		if keep == "" {
			return Overview{}, errs.NotFound("plan")
		}
	}
	if err := s.counts(ctx, sc, &o, minTime(from, now)); err != nil {
		return Overview{}, err
	}
	if o.ActiveAtStart > 0 {
		o.ChurnRate = round4(float64(o.CanceledSubscriptions) / float64(o.ActiveAtStart))
	}
	if o.TrialsEnded > 0 {
		o.TrialConversionRate = round4(float64(o.TrialsConverted) / float64(o.TrialsEnded))
	}

	groups, err := s.payingAt(ctx, sc, o.At)
	if err != nil {
		return Overview{}, err
	}
	if o.MRR, o.ARR, o.Complimentary, err = mrrOf(groups, keep); err != nil {
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

// activeAt is the SQL that counts subscriptions active at one instant, as four index range
// counts instead of one scan: created by T, minus ended by T, minus trialing at T (but not ended),
// minus paused at T (but neither ended nor trialing, which the others took out). It appends its
// arguments to args, in the order of its placeholders.
func (s *Service) activeAt(sc scope, t time.Time, args []any) (string, []any) {
	var c1, c2, c3, c4 string
	args = append(args, t)
	c1, args = sc.where("plan_id", args)
	args = append(args, t, t)
	c2, args = sc.where("plan_id", args)
	args = append(args, t, t, t)
	c3, args = sc.where("plan_id", args)
	args = append(args, t, t, t, t)
	c4, args = sc.where("plan_id", args)
	return `(SELECT COUNT(*) FROM plan_subscriptions WHERE created_at <= ?` + c1 + `)
 - (SELECT COUNT(*) FROM plan_subscriptions WHERE ended_at <= ? AND created_at <= ?` + c2 + `)
 - (SELECT COUNT(*) FROM plan_subscriptions WHERE trial_end > ? AND created_at <= ? AND (ended_at IS NULL OR ended_at > ?)` + c3 + `)
 - (SELECT COUNT(*) FROM plan_subscriptions` + s.indexedBy("plansubscription_paused") + ` WHERE paused_at <= ? AND created_at <= ? AND (ended_at IS NULL OR ended_at > ?)
    AND (trial_end IS NULL OR trial_end <= ?)` + c4 + `)`, args
}

// counts fills the customer and trial counts in one statement of indexed COUNTs. A row that
// replaces another (a plan change, a renewal onto a new price, a fallback to the default plan, a
// pause or a resume) is the same customer moving, so it is not new: new customers are rows
// created in the range that replace none. Lost ones are rows ended in the range that nothing
// replaced, less those that were paused (lost when the pause started), plus the pauses that
// started in the range (a pause row created at its paused_at; a paused row moved onto a new price
// keeps the earlier paused_at).
//
// A continued row keeps its trial_end, so a trial is counted on one row of its chain only: the
// row that held the subscription when the trial ended (created by then, ended after), or the last
// one when the chain ended by then (nothing replaced it). Earlier rows of the chain were replaced
// by the trial's end, later ones were created after it. The trial converted when that row went on
// past the trial's end.
func (s *Service) counts(ctx context.Context, sc scope, o *Overview, start time.Time) error {
	var (
		args []any
		c    [6]string
	)
	args = append(args, o.From, o.To)
	c[0], args = sc.where("plan_id", args)
	args = append(args, o.From, o.To)
	c[1], args = sc.where("plan_id", args)
	args = append(args, o.From, o.To)
	c[4], args = sc.where("plan_id", args)
	args = append(args, o.From, o.To)
	c[5], args = sc.where("plan_id", args)
	// Trials that ended in [From, At): a later end is not known yet.
	trialTo := o.At
	if trialTo.Before(o.From) {
		trialTo = o.From
	}
	args = append(args, o.From, trialTo, false)
	c[2], args = sc.where("plan_id", args)
	args = append(args, o.From, trialTo, false)
	c[3], args = sc.where("plan_id", args)
	startSQL, args := s.activeAt(sc, start, args)
	endSQL, args := s.activeAt(sc, o.At, args)
	// Pauses are few, ended subscriptions many: SQLite, without statistics, would read every row
	// ended in the range to test its paused_at (most of this statement's time at 100,000 rows).
	paused := s.indexedBy("plansubscription_paused")
	q := `SELECT
 (SELECT COUNT(*) FROM plan_subscriptions WHERE created_at >= ? AND created_at < ? AND replaces_id IS NULL` + c[0] + `),
 (SELECT COUNT(*) FROM plan_subscriptions WHERE ended_at >= ? AND ended_at < ? AND replaced_by_id IS NULL` + c[1] + `)
 - (SELECT COUNT(*) FROM plan_subscriptions` + paused + ` WHERE paused_at IS NOT NULL AND ended_at >= ? AND ended_at < ? AND replaced_by_id IS NULL` + c[4] + `)
 + (SELECT COUNT(*) FROM plan_subscriptions` + paused + ` WHERE paused_at >= ? AND paused_at < ? AND paused_at = created_at` + c[5] + `),
 (SELECT COUNT(*) FROM plan_subscriptions WHERE trial_end >= ? AND trial_end < ? AND complimentary = ?` + c[2] + `
   AND created_at <= trial_end AND (ended_at IS NULL OR ended_at > trial_end OR replaced_by_id IS NULL)),
 (SELECT COUNT(*) FROM plan_subscriptions WHERE trial_end >= ? AND trial_end < ? AND complimentary = ?` + c[3] + `
   AND created_at <= trial_end AND (ended_at IS NULL OR ended_at > trial_end)),
 ` + startSQL + `,
 ` + endSQL
	return s.query(ctx, q, args, func(rows *sql.Rows) error {
		return rows.Scan(&o.NewSubscriptions, &o.CanceledSubscriptions, &o.TrialsEnded, &o.TrialsConverted, &o.ActiveAtStart, &o.ActiveAtEnd)
	})
}

// priceGroup is a number of subscriptions sharing one price, paying or complimentary.
type priceGroup struct {
	complimentary      bool
	currency, interval string
	priceMinor         int64
	n                  int
}

// payingAt counts the subscriptions that paid at instant t (or would have, for complimentary ones)
// grouped by their own price: those created by t and not trialing at t that either are ACTIVE or
// PAST_DUE now or ended after t without having been paused by t (paused_at marks a pause for good,
// so a pause or a resume today does not change the answer for a past t). Prices are each row's own (a renewal onto a new price starts a new row), so the
// answer for a past t does not change when prices do. Free prices are left out. Without a plan
// scope the first and largest parts are index-only scans of plansubscription_paying.
func (s *Service) payingAt(ctx context.Context, sc scope, t time.Time) ([]priceGroup, error) {
	var (
		args []any
		c    [4]string
	)
	active, pastDue := plansubscription.StatusACTIVE.String(), plansubscription.StatusPAST_DUE.String()
	args = append(args, active, t)
	c[0], args = sc.where("plan_id", args)
	args = append(args, pastDue, t)
	c[3], args = sc.where("plan_id", args)
	args = append(args, t, active, pastDue, t)
	c[1], args = sc.where("plan_id", args)
	args = append(args, t, t, t, t)
	c[2], args = sc.where("plan_id", args)
	first := ""
	if sc.planID == "" {
		first = s.indexedBy("plansubscription_paying")
	}
	const cols = `complimentary, currency, "interval", price_minor`
	// One part per paying status: an equality on status lets the index give the groups in order.
	q := `SELECT 1, ` + cols + `, COUNT(*) FROM plan_subscriptions` + first + `
 WHERE status = ? AND created_at <= ? AND price_minor > 0` + c[0] + ` GROUP BY ` + cols + `
UNION ALL SELECT 1, ` + cols + `, COUNT(*) FROM plan_subscriptions` + first + `
 WHERE status = ? AND created_at <= ? AND price_minor > 0` + c[3] + ` GROUP BY ` + cols + `
UNION ALL SELECT -1, ` + cols + `, COUNT(*) FROM plan_subscriptions` + s.indexedBy("plansubscription_trial_end") + `
 WHERE trial_end > ? AND status IN (?, ?) AND created_at <= ? AND price_minor > 0` + c[1] + ` GROUP BY ` + cols + `
UNION ALL SELECT 1, ` + cols + `, COUNT(*) FROM plan_subscriptions` + s.indexedBy("plansubscription_ended_at_created_at") + `
 WHERE ended_at > ? AND created_at <= ? AND (trial_end IS NULL OR trial_end <= ?) AND (paused_at IS NULL OR paused_at > ?)
 AND price_minor > 0` + c[2] + ` GROUP BY ` + cols
	sums := map[priceGroup]int{}
	err := s.query(ctx, q, args, func(rows *sql.Rows) error {
		var (
			sign, n int
			g       priceGroup
		)
		if err := rows.Scan(&sign, &g.complimentary, &g.currency, &g.interval, &g.priceMinor, &n); err != nil {
			return err
		}
		sums[g] += sign * n
		return nil
	})
	out := make([]priceGroup, 0, len(sums))
	for g, n := range sums {
		if n != 0 {
			g.n = n
			out = append(out, g)
		}
	}
	return out, err
}

// mrrOf sums the exact monthly amounts of the price groups into MRR and ARR per currency, and
// the complimentary ones into their own line, rounding once per currency at the end. keep, when
// set, is a currency MRR and ARR always show (PlanAnalytics shows its plan's, zero included).
func mrrOf(groups []priceGroup, keep string) (mrr, arr []Money, comp Complimentary, err error) {
	sums, compSums := map[string]*big.Rat{}, map[string]*big.Rat{}
	if keep != "" {
		sums[keep] = new(big.Rat)
	}
	for _, g := range groups {
		m, err := monthly(g.priceMinor, g.interval, g.n)
		if err != nil {
			return nil, nil, Complimentary{}, err
		}
		into := sums
		if g.complimentary {
			into = compSums
			comp.Subscriptions += g.n
		}
		if into[g.currency] == nil {
			into[g.currency] = new(big.Rat)
		}
		into[g.currency].Add(into[g.currency], m)
	}
	mrr, arr = []Money{}, []Money{}
	for cur, sum := range sums {
		mrr = append(mrr, Money{Currency: cur, AmountMinor: money.RoundMinor(sum)})
		year := new(big.Rat).Mul(sum, big.NewRat(12, 1))
		arr = append(arr, Money{Currency: cur, AmountMinor: money.RoundMinor(year)})
	}
	comp.MRR = []Money{}
	for cur, sum := range compSums {
		comp.MRR = append(comp.MRR, Money{Currency: cur, AmountMinor: money.RoundMinor(sum)})
	}
	sortMoney(mrr)
	sortMoney(arr)
	sortMoney(comp.MRR)
	return mrr, arr, comp, nil
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
		args := []any{"SUCCEEDED", "PARTIALLY_REFUNDED", e[0], e[1]}
		c, args := sc.where("plan_id", args)
		month := s.monthExpr("created_at")
		q := `SELECT ` + month + `, currency, CAST(SUM(amount_minor - refunded_minor) AS BIGINT) FROM transactions
WHERE status IN (?, ?) AND created_at >= ? AND created_at < ?` + c + ` GROUP BY ` + month + `, currency`
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
