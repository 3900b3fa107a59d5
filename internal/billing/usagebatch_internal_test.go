package billing

import (
	"context"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
)

// TestBatchReadsUseTheirIndexes: a usage batch reads its users' subscriptions and counters by
// the index of each user's live subscription and each subscription's counters, whatever the
// number of users, not by walking every live subscription or counter (SQLite, which plans the
// JSON array of ids without knowing its length).
func TestBatchReadsUseTheirIndexes(t *testing.T) {
	d := dbtest.NewDB(t, dbtest.SQLite)
	ids := []string{"a", "b", "c"}
	for _, tc := range []struct {
		name, index string
		query       func() (string, any)
	}{
		{"subscriptions", "plansubscription_current_per_user", func() (string, any) { return liveSubsQuery(false, ids) }},
		{"counters", "usagecounter_subscription_id_metric_period_start", func() (string, any) { return countersQuery(false, ids) }},
	} {
		q, list := tc.query()
		args := []any{list}
		if strings.Count(q, "?") == 2 {
			args = append(args, "2025-01-01")
		}
		rows, err := d.SQL.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		_ = rows.Close()
		text := strings.Join(plan, "; ")
		if !strings.Contains(text, "USING INDEX "+tc.index) || strings.Contains(text, "SCAN s ") || strings.Contains(text, "SCAN c ") {
			t.Errorf("%s: plan %q; want a search by %s for each id", tc.name, text, tc.index)
		}
	}
}
