package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/internal/money"
)

// CustomerMetrics are the customer-level revenue figures of an overview: MRR movements month by
// month, paying customers, ARPU and net revenue retention, all per currency. A customer is a user;
// the rows of one user's life (linked by plan changes and renewals onto new prices) are one
// customer. Only paying subscriptions count: complimentary ones, free prices and trials bring no
// MRR (see the package doc for "paying at T").
type CustomerMetrics struct {
	// Months has every UTC calendar month that overlaps [From, At), clipped to it, in order.
	Months []MonthMovements
	// PayingAtStart and PayingAtEnd count customers with MRR at From and at At, per currency.
	PayingAtStart, PayingAtEnd []CustomerCount
	// ARPU is MRR at At divided by the customers paying at At, per currency (rounded once).
	ARPU []Money
	// NetRevenueRetention compares, per currency, the MRR at At of the customers who paid at From
	// with their MRR at From: expansion, contraction and churn count, new customers and
	// reactivations do not.
	NetRevenueRetention []Retention
}

// MonthMovements are the MRR movements of one month (or the part of it inside the range).
type MonthMovements struct {
	// Month is "YYYY-MM"; Start and End bound the part of it inside [From, At).
	Month      string
	Start, End time.Time
	// Currencies has one entry per currency seen in the range, sorted, zeros included.
	Currencies []Movements
}

// Movements compare each customer's MRR at the start and at the end of a month. A customer at zero
// who ends above zero is new, or reactivated when they paid at any time before; one above zero who
// ends at zero churned; one who ends higher expanded, lower contracted. Amounts are magnitudes
// (contraction and churn are positive) and StartMRR + New + Reactivated + Expansion − Contraction
// − Churned = EndMRR exactly before rounding; each figure is rounded once.
type Movements struct {
	Currency                                                         string
	StartMRR, New, Reactivated, Expansion, Contraction, Churned, Net Money
	EndMRR                                                           Money
	NewCustomers, ReactivatedCustomers, ExpansionCustomers           int
	ContractionCustomers, ChurnedCustomers                           int
}

// CustomerCount is a number of customers paying in one currency.
type CustomerCount struct {
	Currency  string
	Customers int
}

// Retention is the net revenue retention of one currency.
type Retention struct {
	Currency string
	// StartMRR is the MRR at From; RetainedMRR the MRR at At of those same customers.
	StartMRR, RetainedMRR Money
	// Rate is RetainedMRR / StartMRR rounded to 4 decimals; nil when nobody paid at From.
	Rate *float64
}

// payRow is one paying subscription: its customer, its own price in twelfths of a minor unit
// per month (exact for every interval), and the bounds (indexes into the month bounds of the
// range) at which it pays: from s up to, not including, e. A row that pays between two bounds
// only has s == e.
type payRow struct {
	user, currency string
	twelfths       int64
	s, e           int
}

func (r payRow) payingAt(bound int) bool { return r.s <= bound && bound < r.e }

// twelfths is a price's monthly amount times 12, an integer for every interval: a year's price
// is twelve months, a week 52/12 of a month, a day 365/12.
func twelfths(price int64, interval string) (int64, error) {
	mult := map[string]int64{"DAY": 365, "WEEK": 52, "MONTH": 12, "YEAR": 1}[interval]
	if mult == 0 {
		return 0, errors.New("analytics: unknown interval " + interval)
	}
	return price * mult, nil
}

// customerKey is one customer in one currency.
type customerKey struct{ user, currency string }

// Customers computes the customer metrics of an overview o (its plan, From and At). It reads
// every paying subscription that overlaps [From, At] and, for the customers who arrive in the
// range, whether they paid before it: two statements, whatever the range.
func (s *Service) Customers(ctx context.Context, o *Overview) (CustomerMetrics, error) {
	if err := authorize(ctx); err != nil {
		return CustomerMetrics{}, err
	}
	out := CustomerMetrics{Months: []MonthMovements{}, PayingAtStart: []CustomerCount{}, PayingAtEnd: []CustomerCount{},
		ARPU: []Money{}, NetRevenueRetention: []Retention{}}
	if !o.From.Before(o.At) {
		return out, nil // the range has not started yet
	}
	sc := scope{planID: o.PlanID}
	bounds := []time.Time{o.From}
	for m := monthStart(o.From).AddDate(0, 1, 0); m.Before(o.At); m = m.AddDate(0, 1, 0) {
		bounds = append(bounds, m)
	}
	bounds = append(bounds, o.At)
	rows, err := s.payRows(ctx, sc, bounds)
	if err != nil {
		return CustomerMetrics{}, err
	}
	before, err := s.paidBefore(ctx, sc, o.From, o.At)
	if err != nil {
		return CustomerMetrics{}, err
	}

	// Currencies are numbered (in code order) so that the per-month sums are slices, not maps:
	// the loop below runs once per customer and month.
	curIdx := map[string]int{}
	for _, r := range rows {
		curIdx[r.currency] = 0
	}
	curs := make([]string, 0, len(curIdx))
	for c := range curIdx {
		curs = append(curs, c)
	}
	sort.Strings(curs)
	for i, c := range curs {
		curIdx[c] = i
	}

	type sums struct {
		start, end, new, react, exp, contr, churn int64
		nNew, nReact, nExp, nContr, nChurn        int
	}
	months := make([][]sums, len(bounds)-1)
	for i := range months {
		months[i] = make([]sums, len(curs))
	}
	type cohort struct {
		start, retained, end int64
		nStart, nEnd         int
	}
	cohorts := make([]cohort, len(curs))

	// A row that pays at every bound moves nothing: it adds its amount to every month's start and
	// end and to the cohort, summed per currency without grouping it by customer (a customer
	// holds one subscription at a time, so such a customer has no other row in the range). Only
	// the rows that start or stop paying inside the range are grouped, to net each customer's
	// movements.
	steady := make([]cohort, len(curs))
	byCustomer := map[customerKey][]payRow{}
	for _, r := range rows {
		if r.s <= 0 && r.e >= len(bounds) {
			st := &steady[curIdx[r.currency]]
			st.start += r.twelfths
			st.nStart++
			continue
		}
		k := customerKey{r.user, r.currency}
		byCustomer[k] = append(byCustomer[k], r)
	}
	for ci, st := range steady {
		for i := range months {
			months[i][ci].start += st.start
			months[i][ci].end += st.start
		}
		c := &cohorts[ci]
		c.start += st.start
		c.retained += st.start
		c.end += st.start
		c.nStart += st.nStart
		c.nEnd += st.nStart
	}

	v := make([]int64, len(bounds))
	for k, rs := range byCustomer {
		ci := curIdx[k.currency]
		for i := range bounds {
			v[i] = 0
			for _, r := range rs {
				if r.payingAt(i) {
					v[i] += r.twelfths
				}
			}
		}
		for i := range months {
			m, s0, e := &months[i][ci], v[i], v[i+1]
			m.start += s0
			m.end += e
			switch kind, amount := classify(s0, e, func() bool { return before[k] || paidEarlier(rs, i) }); kind {
			case movedNew:
				m.new += amount
				m.nNew++
			case movedReactivated:
				m.react += amount
				m.nReact++
			case movedChurned:
				m.churn += amount
				m.nChurn++
			case movedExpansion:
				m.exp += amount
				m.nExp++
			case movedContraction:
				m.contr += amount
				m.nContr++
			}
		}
		c := &cohorts[ci]
		if first, last := v[0], v[len(v)-1]; first > 0 {
			c.start += first
			c.retained += last
			c.nStart++
		}
		if last := v[len(v)-1]; last > 0 {
			c.end += last
			c.nEnd++
		}
	}

	for i := range months {
		mm := MonthMovements{Month: bounds[i].Format("2006-01"), Start: bounds[i], End: bounds[i+1], Currencies: []Movements{}}
		for ci, c := range curs {
			m := months[i][ci]
			mm.Currencies = append(mm.Currencies, Movements{Currency: c,
				StartMRR: fromTwelfths(c, m.start), EndMRR: fromTwelfths(c, m.end), Net: fromTwelfths(c, m.end-m.start),
				New: fromTwelfths(c, m.new), Reactivated: fromTwelfths(c, m.react), Expansion: fromTwelfths(c, m.exp),
				Contraction: fromTwelfths(c, m.contr), Churned: fromTwelfths(c, m.churn),
				NewCustomers: m.nNew, ReactivatedCustomers: m.nReact, ExpansionCustomers: m.nExp,
				ContractionCustomers: m.nContr, ChurnedCustomers: m.nChurn})
		}
		out.Months = append(out.Months, mm)
	}
	for ci, c := range curs {
		co := cohorts[ci]
		out.PayingAtStart = append(out.PayingAtStart, CustomerCount{Currency: c, Customers: co.nStart})
		out.PayingAtEnd = append(out.PayingAtEnd, CustomerCount{Currency: c, Customers: co.nEnd})
		arpu := Money{Currency: c}
		if co.nEnd > 0 {
			arpu.AmountMinor = money.RoundMinor(big.NewRat(co.end, 12*int64(co.nEnd)))
		}
		out.ARPU = append(out.ARPU, arpu)
		ret := Retention{Currency: c, StartMRR: fromTwelfths(c, co.start), RetainedMRR: fromTwelfths(c, co.retained)}
		if co.start > 0 {
			rate := round4(float64(co.retained) / float64(co.start))
			ret.Rate = &rate
		}
		out.NetRevenueRetention = append(out.NetRevenueRetention, ret)
	}
	return out, nil
}

// movement is the kind of change of one customer's MRR over a month.
type movement int

const (
	movedNone movement = iota
	movedNew
	movedReactivated
	movedExpansion
	movedContraction
	movedChurned
)

// classify names the movement of a customer whose MRR went from start to end (any unit) and how
// much it moved (a magnitude). paidBefore is asked only when the customer starts at zero and ends
// above it: it tells a reactivation from a new customer.
func classify(start, end int64, paidBefore func() bool) (movement, int64) {
	switch {
	case start == end:
		return movedNone, 0
	case start == 0 && paidBefore():
		return movedReactivated, end
	case start == 0:
		return movedNew, end
	case end == 0:
		return movedChurned, start
	case end > start:
		return movedExpansion, end - start
	default:
		return movedContraction, start - end
	}
}

// paidEarlier reports whether any of a customer's rows paid before bound i. It is asked only of a
// customer who pays nothing at bound i, so a row that started paying by then has stopped since.
func paidEarlier(rs []payRow, i int) bool {
	for _, r := range rs {
		if r.s <= i {
			return true
		}
	}
	return false
}

// fromTwelfths rounds a sum of twelfths to minor units, once, halves away from zero.
func fromTwelfths(currency string, t int64) Money {
	return Money{Currency: currency, AmountMinor: money.RoundMinor(big.NewRat(t, 12))}
}

// payRows reads the paying subscriptions that overlap [bounds[0], bounds[last]]: not
// complimentary, a price above zero, created by the last bound and not ended by the first. A row
// pays from its trial's end (or its creation) until it ends or is paused, whichever comes first;
// one still TRIALING, or PAUSED without a pause mark, is not paying now; one that never paid (it
// ended or was paused within its trial) is left out. The database places each row's lifecycle
// times among the bounds and computes its monthly twelfths, so that no time crosses the driver
// (parsing four per row was most of the cost at 100,000 subscriptions).
func (s *Service) payRows(ctx context.Context, sc scope, bounds []time.Time) ([]payRow, error) {
	// rank(col) counts the bounds before col, -1 for NULL.
	var args []any
	rank := func(col string) string {
		var b strings.Builder
		b.WriteString("CASE WHEN " + col + " IS NULL THEN -1")
		for i, t := range bounds {
			fmt.Fprintf(&b, " WHEN %s <= ? THEN %d", col, i)
			args = append(args, t)
		}
		fmt.Fprintf(&b, " ELSE %d END", len(bounds))
		return b.String()
	}
	cols := rank("created_at") + ", " + rank("trial_end") + ", " + rank("ended_at") + ", " + rank("paused_at")
	args = append(args, false, bounds[len(bounds)-1], bounds[0], plansubscription.StatusACTIVE.String(), plansubscription.StatusPAST_DUE.String())
	c, args := sc.where("plan_id", args)
	q := `SELECT user_id, currency, price_minor * CASE "interval" WHEN 'DAY' THEN 365 WHEN 'WEEK' THEN 52 WHEN 'MONTH' THEN 12 WHEN 'YEAR' THEN 1 ELSE 0 END,
 ` + cols + ` FROM plan_subscriptions` + s.notIndexed() + `
WHERE complimentary = ? AND price_minor > 0 AND created_at <= ? AND (ended_at IS NULL OR ended_at > ?)
 AND (ended_at IS NOT NULL OR paused_at IS NOT NULL OR status IN (?, ?))
 AND (ended_at IS NULL OR (ended_at > created_at AND (trial_end IS NULL OR trial_end < ended_at)))
 AND (paused_at IS NULL OR (paused_at > created_at AND (trial_end IS NULL OR trial_end < paused_at)))` + c
	var out []payRow
	err := s.query(ctx, q, args, func(rows *sql.Rows) error {
		var (
			r                             payRow
			created, trial, ended, paused int
		)
		if err := rows.Scan(&r.user, &r.currency, &r.twelfths, &created, &trial, &ended, &paused); err != nil {
			return err
		}
		if r.twelfths <= 0 {
			return errors.New("analytics: a subscription with an unknown interval")
		}
		r.s, r.e = max(created, trial), len(bounds)
		for _, end := range []int{ended, paused} {
			if end >= 0 {
				r.e = min(r.e, end)
			}
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// paidBefore finds the customers (user and currency) who arrive in [from, at] (a resume counts)
// and had paid before from, in a row that paid for a while before it ended or was paused: a
// reactivation rather than a new customer.
func (s *Service) paidBefore(ctx context.Context, sc scope, from, at time.Time) (map[customerKey]bool, error) {
	args := []any{false, from}
	c1, args := sc.where("plan_id", args)
	args = append(args, from, at)
	// From the few rows ended before the range, each probed for a row created in it on the
	// (user_id, created_at) index; the other way round reads a row per customer who arrived.
	q := `SELECT DISTINCT user_id, currency FROM plan_subscriptions p` + s.indexedBy("plansubscription_ended_at_created_at") + `
WHERE complimentary = ? AND price_minor > 0 AND ended_at <= ? AND (trial_end IS NULL OR trial_end < ended_at)
 AND (paused_at IS NULL OR (paused_at > created_at AND (trial_end IS NULL OR trial_end < paused_at)))` + c1 + `
 AND EXISTS (SELECT 1 FROM plan_subscriptions n WHERE n.user_id = p.user_id AND n.created_at >= ? AND n.created_at <= ?)`
	out := map[customerKey]bool{}
	err := s.query(ctx, q, args, func(rows *sql.Rows) error {
		var k customerKey
		if err := rows.Scan(&k.user, &k.currency); err != nil {
			return err
		}
		out[k] = true
		return nil
	})
	return out, err
}
