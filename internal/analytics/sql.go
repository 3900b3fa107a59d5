package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/internal/db"
)

// query runs one statement through the ent client (the transaction's, when ctx carries one), so
// that it sees uncommitted rows of the same mutation and a counting driver sees it. The SQL is
// written with '?' placeholders and rebound for PostgreSQL.
func (s *Service) query(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := db.ClientFrom(ctx, s.client).QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("analytics: scanning: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	return nil
}

// rebind rewrites '?' placeholders for the database in use.
func (s *Service) rebind(q string) string { return db.Rebind(s.dialect, q) }

// monthExpr is the SQL for a UTC "YYYY-MM" of a time column. SQLite stores times as text with
// their offset, which strftime normalises to UTC; PostgreSQL's to_char would use the session's
// time zone without the AT TIME ZONE.
func (s *Service) monthExpr(col string) string {
	if s.dialect == dialect.Postgres {
		return "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM')"
	}
	return "strftime('%Y-%m', " + col + ")"
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// indexedBy pins SQLite to the named index. Without ANALYZE statistics its planner prefers an
// equality on a low-selectivity column (status) and then reads a row per subscription, which is
// the difference between milliseconds and hundreds of them at 100,000 rows. PostgreSQL has
// statistics and no such clause.
func (s *Service) indexedBy(index string) string {
	if s.dialect == dialect.Postgres {
		return ""
	}
	return " INDEXED BY " + index
}

// notIndexed makes SQLite read the table in order rather than through an index on a range that
// covers most of it (a random row lookup per entry: ten times slower at 100,000 subscriptions).
func (s *Service) notIndexed() string {
	if s.dialect == dialect.Postgres {
		return ""
	}
	return " NOT INDEXED"
}
