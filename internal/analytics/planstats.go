package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"strings"

	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/money"
)

// planCounts is one plan with its price and its number of subscriptions per status.
type planCounts struct {
	id, currency, interval string
	priceMinor             int64
	byStatus               map[plansubscription.Status]int
}

// PlanStats returns the statistics of each plan in planIDs that exists, keyed by plan id; unknown
// ids are absent from the map. It runs one statement whatever the number of plans, so a
// dataloader can serve a whole plans page with it.
func (s *Service) PlanStats(ctx context.Context, planIDs []string) (map[string]PlanStats, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]PlanStats, len(planIDs))
	if len(planIDs) == 0 {
		return out, nil
	}
	plans, err := s.planCounts(ctx, planIDs)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		st := PlanStats{PlanID: p.id}
		for status, n := range p.byStatus {
			st.TotalSubscriptions += n
			switch status {
			case plansubscription.StatusACTIVE, plansubscription.StatusPAST_DUE, plansubscription.StatusTRIALING:
				st.ActiveSubscriptions += n
			}
			if status == plansubscription.StatusCANCELED {
				st.CanceledSubscriptions = n
			}
		}
		mrr, err := p.monthly(p.byStatus[plansubscription.StatusACTIVE] + p.byStatus[plansubscription.StatusPAST_DUE])
		if err != nil {
			return nil, err
		}
		st.MRR = Money{Currency: p.currency, AmountMinor: money.RoundMinor(mrr)}
		out[p.id] = st
	}
	return out, nil
}

// monthly is the exact monthly amount of n subscriptions to the plan (zero for a free plan).
func (p planCounts) monthly(n int) (*big.Rat, error) {
	m, err := money.MonthlyMinor(p.priceMinor, strings.ToLower(p.interval))
	if err != nil {
		return nil, fmt.Errorf("analytics: plan %s: %w", p.id, err)
	}
	return m.Mul(m, new(big.Rat).SetInt64(int64(n))), nil
}

// planCounts reads the plans (all of them when ids is nil) with their subscription counts per
// status in one statement. The join walks the (plan_id, status) index of plan_subscriptions, and
// counting status rather than id keeps it an index-only scan.
func (s *Service) planCounts(ctx context.Context, ids []string) ([]*planCounts, error) {
	q := `SELECT p.id, p.price_minor, p."interval", p.currency, s.status, COUNT(s.status)
FROM plans p LEFT JOIN plan_subscriptions s ON s.plan_id = p.id`
	var args []any
	if ids != nil {
		q += " WHERE p.id IN (" + placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	q += ` GROUP BY p.id, p.price_minor, p."interval", p.currency, s.status`
	var (
		out  []*planCounts
		byID = map[string]*planCounts{}
	)
	err := s.query(ctx, q, args, func(rows *sql.Rows) error {
		var (
			id, interval, currency string
			price                  int64
			status                 sql.NullString
			n                      int
		)
		if err := rows.Scan(&id, &price, &interval, &currency, &status, &n); err != nil {
			return err
		}
		p := byID[id]
		if p == nil {
			p = &planCounts{id: id, currency: currency, interval: interval, priceMinor: price,
				byStatus: map[plansubscription.Status]int{}}
			byID[id] = p
			out = append(out, p)
		}
		if status.Valid {
			p.byStatus[plansubscription.Status(status.String)] += n
		}
		return nil
	})
	return out, err
}

// mrrOf sums the exact monthly amounts of n paying subscriptions per plan into MRR and ARR per
// currency, rounding once per currency at the end. Free plans and plans with no paying
// subscription add no currency, except the plan keep (PlanAnalytics always shows its currency).
func mrrOf(plans []*planCounts, paying map[string]int, keep string) (mrr, arr []Money, err error) {
	sums := map[string]*big.Rat{}
	for _, p := range plans {
		n := paying[p.id]
		if (n == 0 || p.priceMinor == 0) && p.id != keep {
			continue
		}
		m, err := p.monthly(n)
		if err != nil {
			return nil, nil, err
		}
		if sums[p.currency] == nil {
			sums[p.currency] = new(big.Rat)
		}
		sums[p.currency].Add(sums[p.currency], m)
	}
	mrr, arr = []Money{}, []Money{}
	for cur, sum := range sums {
		mrr = append(mrr, Money{Currency: cur, AmountMinor: money.RoundMinor(sum)})
		year := new(big.Rat).Mul(sum, big.NewRat(12, 1))
		arr = append(arr, Money{Currency: cur, AmountMinor: money.RoundMinor(year)})
	}
	sortMoney(mrr)
	sortMoney(arr)
	return mrr, arr, nil
}
