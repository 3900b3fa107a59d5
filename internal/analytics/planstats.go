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

// planCounts is one plan with its price and its number of subscriptions per status, and the
// exact MRR of its paying subscriptions in the plan's currency, each at its own price.
type planCounts struct {
	id, currency string
	byStatus     map[plansubscription.Status]int
	mrr          *big.Rat
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
		st.MRR = Money{Currency: p.currency, AmountMinor: money.RoundMinor(p.mrr)}
		out[p.id] = st
	}
	return out, nil
}

// planCounts reads the plans (all of them when ids is nil) with their subscription counts per
// status in one statement, and the MRR of their ACTIVE and PAST_DUE subscriptions that are not
// complimentary, each valued at the price it was sold at (a subscriber not yet renewed onto a new
// price version pays the old one). The join reads the covering plansubscription_plan_prices index
// alone.
// Subscriptions in a currency other than the plan's current one (sold before a currency change)
// are left out of the plan's MRR; Overview reports them in their own currency.
func (s *Service) planCounts(ctx context.Context, ids []string) ([]*planCounts, error) {
	q := `SELECT p.id, p.currency, s.status, s.complimentary, s.currency, s."interval", s.price_minor, COUNT(s.status)
FROM plans p LEFT JOIN plan_subscriptions s` + s.indexedBy("plansubscription_plan_prices") + ` ON s.plan_id = p.id`
	var args []any
	if ids != nil {
		q += " WHERE p.id IN (" + placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	q += ` GROUP BY p.id, p.currency, s.status, s.complimentary, s.currency, s."interval", s.price_minor`
	var (
		out  []*planCounts
		byID = map[string]*planCounts{}
	)
	err := s.query(ctx, q, args, func(rows *sql.Rows) error {
		var (
			id, currency          string
			status, cur, interval sql.NullString
			comp                  sql.NullBool
			price                 sql.NullInt64
			n                     int
		)
		if err := rows.Scan(&id, &currency, &status, &comp, &cur, &interval, &price, &n); err != nil {
			return err
		}
		p := byID[id]
		if p == nil {
			p = &planCounts{id: id, currency: currency, byStatus: map[plansubscription.Status]int{}, mrr: new(big.Rat)}
			byID[id] = p
			out = append(out, p)
		}
		if !status.Valid {
			return nil
		}
		st := plansubscription.Status(status.String)
		p.byStatus[st] += n
		if (st == plansubscription.StatusACTIVE || st == plansubscription.StatusPAST_DUE) && !comp.Bool && cur.String == currency {
			m, err := monthly(price.Int64, interval.String, n)
			if err != nil {
				return fmt.Errorf("plan %s: %w", id, err)
			}
			p.mrr.Add(p.mrr, m)
		}
		return nil
	})
	return out, err
}

// monthly is the exact monthly amount of n subscriptions at price per interval (an ent
// interval, "MONTH"); zero for a free price.
func monthly(price int64, interval string, n int) (*big.Rat, error) {
	m, err := money.MonthlyMinor(price, strings.ToLower(interval))
	if err != nil {
		return nil, err
	}
	return m.Mul(m, new(big.Rat).SetInt64(int64(n))), nil
}
