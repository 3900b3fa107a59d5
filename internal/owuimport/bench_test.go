package owuimport_test

import (
	"fmt"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/owuimport/owuitest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// benchUsers is the size of the generated deployment: accounts, each with a password, an
// identity, a membership of Engineers and a usage row.
const benchUsers = 5000

// BenchmarkImport imports a generated Open WebUI deployment of benchUsers accounts into a fresh
// steward database (SQLite, and PostgreSQL when configured): one whole import per iteration.
//
//	go test ./internal/owuimport -run '^$' -bench Import -benchtime 3x
func BenchmarkImport(b *testing.B) {
	for _, backend := range dbtest.Backends() {
		b.Run(string(backend), func(b *testing.B) {
			gen := fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)`, benchUsers)
			from := owuitest.New(b, dbtest.SQLite, owuitest.Newer,
				gen+` INSERT INTO "user" (id, name, email, role, created_at, updated_at, last_active_at)
				  SELECT 'bu-' || i, 'User ' || i, 'user' || i || '@example.com', 'user', 1733000000 + i, 1733000000 + i, 1733000000 + i FROM n`,
				gen+` INSERT INTO "auth" (id, email, password, active)
				  SELECT 'bu-' || i, 'user' || i || '@example.com', (SELECT password FROM "auth" WHERE id = 'u-bob'), TRUE FROM n`,
				gen+` INSERT INTO "group_member" (id, group_id, user_id, created_at, updated_at)
				  SELECT 'bgm-' || i, 'g-eng', 'bu-' || i, 1733000000, 1733000000 FROM n`,
				gen+` INSERT INTO "billing_usage" (id, user_id, metric, amount, period_start, period_end, created_at)
				  SELECT 'bus-' || i, 'bu-' || i, 'requests', 1, 1733000000, 1735600000, 1733000000 + i FROM n`)
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				s := st.New(b, backend)
				b.StartTimer()
				rep, err := importInto(b, s, from, false)
				if err != nil || rep.Tables[0].Created != benchUsers+4 {
					b.Fatalf("import: %v", err)
				}
			}
			b.ReportMetric(float64(benchUsers*b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}
