package analytics

import (
	"context"
	"database/sql"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/internal/metric"
)

// DayUsage is one UTC day's usage, every metric's total.
type DayUsage struct {
	Day    time.Time
	Totals []UsageTotal
}

// UsageByDay is the usage of o's range day by day, for charts: every UTC day that starts in
// [From, At), from the daily rollup, each with every metric (zero included), so that a chart's
// axis has no gaps. A day the range cuts at either end counts whole.
func (s *Service) UsageByDay(ctx context.Context, o *Overview) ([]DayUsage, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	first, end := dayStart(o.From), o.At
	if !first.Before(end) {
		return []DayUsage{}, nil
	}
	totals := map[time.Time]map[metric.Metric]int64{}
	args := []any{first, end}
	c, args := scope{planID: o.PlanID}.where("plan_id", args)
	q := `SELECT ` + s.dayExpr("day") + `, metric, CAST(SUM(total) AS BIGINT) FROM usage_dailies WHERE day >= ? AND day < ?` + c + ` GROUP BY 1, metric`
	err := s.query(ctx, q, args, func(rows *sql.Rows) error {
		var (
			day string
			m   string
			n   int64
		)
		if err := rows.Scan(&day, &m, &n); err != nil {
			return err
		}
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return err
		}
		if totals[d] == nil {
			totals[d] = map[metric.Metric]int64{}
		}
		totals[d][metric.Metric(m)] += n
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []DayUsage
	for d := first; d.Before(end); d = d.AddDate(0, 0, 1) {
		day := DayUsage{Day: d, Totals: make([]UsageTotal, 0, len(metric.All))}
		for _, m := range metric.All {
			day.Totals = append(day.Totals, UsageTotal{Metric: m, Total: totals[d][m]})
		}
		out = append(out, day)
	}
	return out, nil
}

// dayExpr is the SQL for a UTC "YYYY-MM-DD" of a time column (see monthExpr).
func (s *Service) dayExpr(col string) string {
	if s.dialect == dialect.Postgres {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	return "strftime('%Y-%m-%d', " + col + ")"
}
