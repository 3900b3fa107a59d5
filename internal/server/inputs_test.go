package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/metric"
	st "github.com/steward-dev/steward/internal/servertest"
)

const signupMutation = `mutation($in: SignupInput!) { signup(input: $in) { token } }`

// TestInputsRefusedAtTheDoor sends what an attacker would: control characters, oversized strings
// and numbers near the int64 limit. Each is BAD_USER_INPUT naming its field, on both databases,
// and nothing is stored.
func TestInputsRefusedAtTheDoor(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) { testInputsRefusedAtTheDoor(t, b) })
}

func testInputsRefusedAtTheDoor(t *testing.T, b dbtest.Backend) {
	w := newBillingWorld(t, b)
	signup := func(name, email, password string) map[string]any {
		return map[string]any{"in": map[string]any{"name": name, "email": email, "password": password}}
	}
	local64 := strings.Repeat("a", 64)
	email306 := local64 + "@" + strings.Repeat("b", 237) + ".com" // 306 octets, local part within 64
	cases := []struct {
		name      string
		token     string
		query     string
		vars      map[string]any
		wantField string
	}{
		{"NUL in signup name", "", signupMutation, signup("Eve\x00", "eve@example.com", "password-of-eve"), "name"},
		{"NUL in signup email", "", signupMutation, signup("Eve", "eve\x00@example.com", "password-of-eve"), "email"},
		{"NUL in signup password", "", signupMutation, signup("Eve", "eve@example.com", "pass\x00word-of-eve"), "password"},
		{"escape in signup name", "", signupMutation, signup("Eve\x1b[2J", "eve@example.com", "password-of-eve"), "name"},
		{"newline in signup name", "", signupMutation, signup("Eve\nAdmin", "eve@example.com", "password-of-eve"), "name"},
		{"C1 control in signup name", "", signupMutation, signup("Eve\u0085", "eve@example.com", "password-of-eve"), "name"},
		{"NUL in a literal", "", `mutation { signup(input: {name: "Eve\u0000", email: "eve@example.com", password: "password-of-eve"}) { token } }`, nil, "name"},
		{"306-octet email", "", signupMutation, signup("Eve", email306, "password-of-eve"), "email"},
		{"65-octet local part", "", signupMutation, signup("Eve", local64+"a@example.com", "password-of-eve"), "email"},
		{"512 KB email", "", signupMutation, signup("Eve", strings.Repeat("e", 1<<19)+"@example.com", "password-of-eve"), "email"},
		{"NUL in signin email", "", `mutation($e: String!) { signin(input: {email: $e, password: "password-of-eve"}) { token } }`,
			map[string]any{"e": "ada@example.com\x00"}, "email"},
		{"NUL as users query", w.admin.Token, `query($q: String) { users(query: $q) { edges { node { id } } } }`, map[string]any{"q": "\x00"}, "query"},
		{"NUL literal as users query", w.admin.Token, `{ users(query: "\u0000") { edges { node { id } } } }`, nil, "query"},
		{"NUL in a nested field's argument", w.admin.Token, `query($q: String) { me { id } users(first: 1, query: $q) { totalCount } }`, map[string]any{"q": "a\x00"}, "query"},
		{"NUL in a fragment's argument", w.admin.Token, `query($q: String) { ...F } fragment F on Query { users(query: $q) { totalCount } }`, map[string]any{"q": "\x00"}, "query"},
		{"NUL inside JSON", w.bob.Token, `mutation($s: JSON!) { updateUserSettings(settings: $s) }`, map[string]any{"s": map[string]any{"stewardTest": map[string]any{"x": []any{"ok", "bad\x00"}}}}, "settings"},
		{"NUL in a JSON key", w.bob.Token, `mutation($s: JSON!) { updateUserSettings(settings: $s) }`, map[string]any{"s": map[string]any{"stewardTest\x00": 1}}, "settings"},
		{"usage amount near 2^63", w.admin.Token, recordMutation,
			map[string]any{"in": map[string]any{"userId": w.bob.ID, "metric": "TOKENS_INPUT", "amount": int64(9223372036854775000)}}, "amount"},
		{"usage amount just over the bound", w.admin.Token, recordMutation,
			map[string]any{"in": map[string]any{"userId": w.bob.ID, "metric": "TOKENS_INPUT", "amount": metric.MaxAmount + 1}}, "amount"},
		{"usage amount near 2^63 as a literal", w.admin.Token,
			fmt.Sprintf(`mutation { recordUsage(input: {userId: %q, metric: TOKENS_INPUT, amount: 9223372036854775000}) { replayed } }`, w.bob.ID), nil, "amount"},
		{"reservation near 2^63", w.admin.Token, `mutation($u: ID!) { reserveQuota(userId: $u, metric: TOKENS_INPUT, amount: 9223372036854775000) { quota { used } } }`,
			map[string]any{"u": w.bob.ID}, "amount"},
		{"settlement near 2^63", w.admin.Token, `mutation { settleReservation(id: "x", actualAmount: 9223372036854775000) { quota { used } } }`, nil, "actualAmount"},
		{"quota check near 2^63", w.admin.Token, checkQuery, map[string]any{"u": w.bob.ID, "m": "TOKENS_INPUT", "a": int64(9223372036854775000)}, "amount"},
		{"price near the int64 limit", w.admin.Token, createPlanMutation,
			map[string]any{"in": map[string]any{"name": "Whale", "price": "92233720368547758.07", "currency": "USD"}}, "price"},
		{"price just over the bound", w.admin.Token, createPlanMutation,
			map[string]any{"in": map[string]any{"name": "Whale", "price": "1000000000.01", "currency": "USD"}}, "price"},
		{"quota near 2^63", w.admin.Token, createPlanMutation,
			map[string]any{"in": map[string]any{"name": "Whale", "price": "1.00", "currency": "USD", "quotas": []any{map[string]any{"metric": "TOKENS_INPUT", "limit": int64(1) << 62}}}}, "quotas"},
	}
	before := countRows(t, w.s, "users") + countRows(t, w.s, "plans") + countRows(t, w.s, "usage_events")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := w.s.Query(t, c.token, c.query, flatten(c.vars)...)
			wantField(t, r, "BAD_USER_INPUT", c.wantField)
			if r.Status >= 500 {
				t.Fatalf("status %d, want < 500", r.Status)
			}
		})
	}
	if after := countRows(t, w.s, "users") + countRows(t, w.s, "plans") + countRows(t, w.s, "usage_events"); after != before {
		t.Fatalf("rows of users, plans and usage events: %d after the refusals, want %d", after, before)
	}
	if got := settingsOf(t, w.s, w.bob.Token); strings.Contains(got, "stewardTest") {
		t.Fatalf("settings changed by a refused update: %s", got)
	}
}

// TestInputsFreeTextAndBoundsAllowed checks the other side: line breaks in free text, amounts and
// prices at their bounds, and an email at RFC 5321's limits go through.
func TestInputsFreeTextAndBoundsAllowed(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		w.s.MustQuery(t, w.admin.Token, `mutation($d: String) { createGroup(input: {name: "Ops", description: $d}) { id } }`, "d", "line one\n\tline two")
		planID := w.createPlan(t, map[string]any{"price": "1000000000.00", "quotas": []any{map[string]any{"metric": "TOKENS_INPUT", "limit": metric.MaxTotal}}})
		w.assign(t, w.bob.ID, planID)
		r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "TOKENS_INPUT", "amount": metric.MaxAmount})
		if len(r.Errors) > 0 {
			t.Fatalf("recording the largest amount: %s", r.Raw)
		}
		email := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com" // 254 octets
		r = w.s.Query(t, "", signupMutation, "in", map[string]any{"name": "Long", "email": email, "password": "password-of-long"})
		if f, _ := firstErrorField(r); f == "email" && strings.Contains(r.Raw, "at most") {
			t.Fatalf("a 254-octet email was refused for its length: %s", r.Raw)
		}
	})
}

// TestUsageCounterRefusesOverflow fills a counter to metric.MaxTotal with the largest legal
// amounts; one more unit is refused with a CONFLICT and the counter stays where it was.
func TestUsageCounterRefusesOverflow(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		w.assign(t, w.bob.ID, w.createPlan(t, nil)) // no quota: only the counter's bound applies
		const perRequest = 20
		calls := int(metric.MaxTotal / metric.MaxAmount)
		var q strings.Builder
		q.WriteString("mutation($u: ID!, $a: Int!) {")
		for i := 0; i < perRequest; i++ {
			fmt.Fprintf(&q, " r%d: recordUsage(input: {userId: $u, metric: TOKENS_INPUT, amount: $a}) { replayed }", i)
		}
		q.WriteString(" }")
		for i := 0; i < calls/perRequest; i++ {
			w.s.MustQuery(t, w.admin.Token, q.String(), "u", w.bob.ID, "a", metric.MaxAmount)
		}
		used := func() int64 {
			d := w.s.MustQuery(t, w.admin.Token, checkQuery, "u", w.bob.ID, "m", "TOKENS_INPUT", "a", 0)
			return int64(st.Get(d, "checkQuota.used").(float64))
		}
		if got := used(); got != metric.MaxTotal {
			t.Fatalf("used = %d after %d records, want %d", got, calls, metric.MaxTotal)
		}
		events := countRows(t, w.s, "usage_events")
		r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "TOKENS_INPUT", "amount": 1})
		wantCode(t, r, "CONFLICT")
		if !strings.Contains(r.Errors[0].Message, "maximum") {
			t.Fatalf("message %q does not say the counter is at its maximum", r.Errors[0].Message)
		}
		if got := used(); got != metric.MaxTotal {
			t.Fatalf("used = %d after the refused record, want %d", got, metric.MaxTotal)
		}
		if got := countRows(t, w.s, "usage_events"); got != events {
			t.Fatalf("usage events = %d after the refused record, want %d", got, events)
		}
		r = w.s.Query(t, w.admin.Token, `mutation($u: ID!) { reserveQuota(userId: $u, metric: TOKENS_INPUT, amount: 1) { quota { used } } }`, "u", w.bob.ID)
		wantCode(t, r, "CONFLICT")
	})
}

// TestMigrationRepairsCorruptUsage writes what the unbounded amounts left behind (a REAL in an
// integer column on SQLite, a value near the int64 limit on PostgreSQL) into a counter and a
// daily rollup, restarts the app on the same database, and finds both clamped to metric.MaxTotal
// and the counter usable again.
func TestMigrationRepairsCorruptUsage(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		w.assign(t, w.bob.ID, w.createPlan(t, nil))
		w.s.MustQuery(t, w.admin.Token, recordMutation, "in", map[string]any{"userId": w.bob.ID, "metric": "TOKENS_INPUT", "amount": 5})
		corrupt := "9223372036854775000"
		if b == dbtest.SQLite {
			corrupt = "9.3e18"
		}
		for _, q := range []string{"UPDATE usage_counters SET used = " + corrupt, "UPDATE usage_dailies SET total = " + corrupt} {
			if _, err := w.s.App.DB.SQL.ExecContext(context.Background(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		restarted := st.New(t, b, st.WithDatabaseURL(w.s.Config.DatabaseURL))
		d := restarted.MustQuery(t, w.admin.Token, checkQuery, "u", w.bob.ID, "m", "TOKENS_INPUT", "a", 0)
		if got := int64(st.Get(d, "checkQuota.used").(float64)); got != metric.MaxTotal {
			t.Fatalf("used = %d after the restart, want %d", got, metric.MaxTotal)
		}
		for _, q := range []string{"SELECT CAST(used AS TEXT) FROM usage_counters", "SELECT CAST(total AS TEXT) FROM usage_dailies"} {
			var got string
			if err := restarted.App.DB.SQL.QueryRowContext(context.Background(), q).Scan(&got); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if want := fmt.Sprint(metric.MaxTotal); got != want {
				t.Fatalf("%s = %s, want %s (an integer)", q, got, want)
			}
		}
		r := restarted.Query(t, w.admin.Token, recordMutation, "in", map[string]any{"userId": w.bob.ID, "metric": "TOKENS_INPUT", "amount": 1})
		wantCode(t, r, "CONFLICT")
	})
}

// countRows counts a table's rows straight in the database.
func countRows(t *testing.T, s *st.Server, table string) int {
	t.Helper()
	var n int
	if err := s.App.DB.SQL.QueryRowContext(authz.AsOperator(context.Background()), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("counting %s: %v", table, err)
	}
	return n
}

func settingsOf(t *testing.T, s *st.Server, token string) string {
	t.Helper()
	d := s.MustQuery(t, token, `{ me { settings } }`)
	return fmt.Sprint(st.Get(d, "me.settings"))
}

func firstErrorField(r *st.Response) (string, bool) {
	if len(r.Errors) == 0 {
		return "", false
	}
	f, ok := r.Errors[0].Extensions["field"].(string)
	return f, ok
}

// flatten turns a variables map into Query's key, value pairs.
func flatten(vars map[string]any) []any {
	out := make([]any, 0, 2*len(vars))
	for k, v := range vars {
		out = append(out, k, v)
	}
	return out
}

// TestDatabaseErrorsStayHidden breaks the database under a running server (the usage rollup's
// table is gone): the answer is a bare INTERNAL_SERVER_ERROR, without the driver's text.
func TestDatabaseErrorsStayHidden(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		if _, err := w.s.App.DB.SQL.ExecContext(context.Background(), "DROP TABLE usage_dailies"); err != nil {
			t.Fatalf("dropping the rollup: %v", err)
		}
		r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "TOKENS_INPUT", "amount": 1})
		wantCode(t, r, "INTERNAL_SERVER_ERROR")
		for _, leak := range []string{"usage_dailies", "sql", "SQLSTATE", "rollup", ".go:"} {
			if strings.Contains(r.Raw, leak) {
				t.Fatalf("response leaks %q: %s", leak, r.Raw)
			}
		}
	})
}
