package server_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// BenchmarkCheckQuota executes the gateway's quota check through the real handler on SQLite,
// without a network: the server's own CPU and allocations per check (-benchmem).
func BenchmarkCheckQuota(b *testing.B) {
	s := st.New(b, dbtest.SQLite)
	admin := s.Signup(b, "Ada")
	plan := s.MustQuery(b, admin.Token, `mutation($in: CreatePlanInput!) { createPlan(input: $in) { id } }`, "in", map[string]any{
		"name": "Bench", "price": "0", "currency": "USD",
		"quotas": []any{map[string]any{"metric": "TOKENS_INPUT", "limit": 1 << 40}},
	})
	user := s.Signup(b, "Bea")
	s.MustQuery(b, admin.Token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p) { id } }`,
		"u", user.ID, "p", st.Get(plan, "createPlan.id"))
	s.MustQuery(b, admin.Token, `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { replayed } }`, "in", map[string]any{
		"userId": user.ID, "metric": "TOKENS_INPUT", "amount": 5, "idempotencyKey": "bench-1", "enforce": true})
	do := poster(s.App.Handler(), admin.Token, map[string]any{
		"query":     `query($u: ID!, $m: UsageMetric!) { checkQuota(userId: $u, metric: $m, amount: 1) { allowed used reserved limit remaining resetsAt } }`,
		"variables": map[string]any{"u": user.ID, "m": "TOKENS_INPUT"},
	})
	if w := do(); w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte(`"allowed":true`)) {
		b.Fatalf("checkQuota: %d %s", w.Code, w.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		do()
	}
}
