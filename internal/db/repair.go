package db

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/internal/metric"
)

// repairUsage brings usage counters and daily rollups that an unbounded amount corrupted back
// within metric.MaxTotal: on SQLite an overflowing addition left a REAL in the integer column
// (every later read of the counter failed), on PostgreSQL a counter near the bigint limit failed
// every later addition. Such a value is clamped to MaxTotal, not recounted from the usage events:
// the events that overflowed it carry the same out-of-range amounts, so a recount would overflow
// again, and a counter at MaxTotal means what those reports claimed, that the period's quota is
// spent. Values within bounds are left alone, so the statements change nothing on a sane
// database and run on every start.
func (d *DB) repairUsage(ctx context.Context) error {
	notInteger := func(col string) string {
		if d.Dialect == dialect.SQLite {
			return " OR typeof(" + col + ") <> 'integer'"
		}
		return ""
	}
	clamp := func(col string) string {
		return fmt.Sprintf("%[1]s = CASE WHEN %[1]s >= %[2]d THEN %[2]d WHEN %[1]s < 0 THEN 0 ELSE CAST(%[1]s AS BIGINT) END", col, metric.MaxTotal)
	}
	bad := func(col string) string {
		return fmt.Sprintf("%[1]s > %[2]d OR %[1]s < 0", col, metric.MaxTotal) + notInteger(col)
	}
	stmts := []string{
		"UPDATE usage_counters SET " + clamp("used") + ", " + clamp("reserved") + " WHERE " + bad("used") + " OR " + bad("reserved"),
		"UPDATE usage_dailies SET " + clamp("total") + " WHERE " + bad("total"),
	}
	for _, q := range stmts {
		if _, err := d.SQL.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("repairing usage totals: %w", err)
		}
	}
	return nil
}
