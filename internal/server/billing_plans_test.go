package server_test

import (
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

func TestCreatePlan(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		d := w.s.MustQuery(t, w.admin.Token, createPlanMutation, "in", map[string]any{
			"name": "Базовый", "description": "Starter", "price": "199.9", "currency": "RUB", "interval": "MONTH",
			"translations": []any{map[string]any{"locale": "ru", "name": "Базовый", "description": "Для начала"}},
			"quotas":       []any{map[string]any{"metric": "TOKENS_INPUT", "limit": 5000000000}, map[string]any{"metric": "REQUESTS", "limit": 100}},
			"features":     []any{"GPT-4o", "Priority support"}, "displayOrder": 2, "metadata": map[string]any{"tier": 1},
		})
		p := d["createPlan"].(map[string]any)
		if id := p["id"].(string); !strings.HasPrefix(id, "bazovyy-") {
			t.Errorf("id = %q, want a slug of the name (bazovyy-...)", id)
		}
		checks := map[string]any{
			"price": "199.90", "currency": "RUB", "interval": "MONTH", "isActive": true,
			"quotas.0.metric": "TOKENS_INPUT", "quotas.0.limit": float64(5000000000), "quotas.1.metric": "REQUESTS",
			"translations.0.locale": "ru", "translations.0.description": "Для начала", "features.1": "Priority support",
			"displayOrder": float64(2), "metadata.tier": float64(1),
		}
		for path, want := range checks {
			if got := st.Get(p, path); got != want {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}
		if got := auditCount(t, w.s, "PLAN_CREATED"); got != 1 {
			t.Errorf("PLAN_CREATED entries = %d, want 1", got)
		}

		// An explicit id, and its uniqueness.
		w.createPlan(t, map[string]any{"id": "pro"})
		wantCode(t, w.s.Query(t, w.admin.Token, createPlanMutation, "in", map[string]any{"id": "pro", "name": "X", "price": "1", "currency": "USD"}), "CONFLICT")

		bad := []struct {
			name  string
			in    map[string]any
			field string
		}{
			{"negative price", map[string]any{"price": "-1.00"}, "price"},
			{"malformed price", map[string]any{"price": "1,50"}, "price"},
			{"too many fraction digits", map[string]any{"price": "1.001"}, "price"},
			{"empty price", map[string]any{"price": ""}, "price"},
			{"unknown currency", map[string]any{"currency": "XXX"}, "currency"},
			{"lower-case currency", map[string]any{"currency": "usd"}, "currency"},
			{"negative display order", map[string]any{"displayOrder": -1}, "displayOrder"},
			{"negative quota", map[string]any{"quotas": []any{map[string]any{"metric": "IMAGES", "limit": -5}}}, "quotas"},
			{"duplicate quota metric", map[string]any{"quotas": []any{map[string]any{"metric": "IMAGES", "limit": 1}, map[string]any{"metric": "IMAGES", "limit": 2}}}, "quotas"},
			{"blank name", map[string]any{"name": "   "}, "name"},
			{"bad id", map[string]any{"id": "has space"}, "id"},
			{"bad locale", map[string]any{"translations": []any{map[string]any{"locale": "Russian!", "name": "x"}}}, "translations.0.locale"},
			{"empty feature", map[string]any{"features": []any{""}}, "features"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				in := map[string]any{"name": "Bad", "price": "1.00", "currency": "USD"}
				for k, v := range c.in {
					in[k] = v
				}
				wantField(t, w.s.Query(t, w.admin.Token, createPlanMutation, "in", in), "BAD_USER_INPUT", c.field)
			})
		}
		t.Run("unknown metric", func(t *testing.T) { // rejected while coercing the variable
			in := map[string]any{"name": "Bad", "price": "1.00", "currency": "USD", "quotas": []any{map[string]any{"metric": "BOGUS", "limit": 1}}}
			wantField(t, w.s.Query(t, w.admin.Token, createPlanMutation, "in", in), "BAD_USER_INPUT", "metric")
		})
		t.Run("float price literal", func(t *testing.T) {
			r := w.s.Query(t, w.admin.Token, `mutation { createPlan(input: {name: "F", price: 1.5, currency: "USD"}) { id } }`)
			wantCode(t, r, "BAD_USER_INPUT")
		})
		if got := len(w.s.MustQuery(t, w.admin.Token, `{ plans(includeInactive: true) { id } }`)["plans"].([]any)); got != 2 {
			t.Errorf("plans after rejected inputs = %d, want 2 (nothing created)", got)
		}

		t.Run("authorization", func(t *testing.T) {
			in := map[string]any{"name": "X", "price": "1", "currency": "USD"}
			wantCode(t, w.s.Query(t, w.bob.Token, createPlanMutation, "in", in), "FORBIDDEN")
			wantCode(t, w.s.Query(t, "", createPlanMutation, "in", in), "UNAUTHENTICATED")
		})
	})
}

func TestPlanVisibility(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		w.createPlan(t, map[string]any{"id": "b", "displayOrder": 2})
		w.createPlan(t, map[string]any{"id": "a", "displayOrder": 1})
		w.createPlan(t, map[string]any{"id": "hidden", "isActive": false})
		list := `{ plans(includeInactive: true) { id } }`
		ids := func(d map[string]any) string {
			var out []string
			for _, p := range d["plans"].([]any) {
				out = append(out, p.(map[string]any)["id"].(string))
			}
			return strings.Join(out, ",")
		}
		cases := []struct {
			name, token, want string
		}{
			{"admin sees inactive", w.admin.Token, "hidden,a,b"},
			{"user sees active only", w.bob.Token, "a,b"},
			{"anonymous sees active only", "", "a,b"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := ids(w.s.MustQuery(t, c.token, list)); got != c.want {
					t.Fatalf("plans = %s, want %s", got, c.want)
				}
			})
		}
		if got := st.Get(w.s.MustQuery(t, w.admin.Token, `{ plan(id: "hidden") { id } }`), "plan.id"); got != "hidden" {
			t.Errorf("admin plan(hidden) = %v", got)
		}
		wantCode(t, w.s.Query(t, w.bob.Token, `{ plan(id: "hidden") { id } }`), "NOT_FOUND")
		wantCode(t, w.s.Query(t, w.bob.Token, `{ node(id: "hidden") { id } }`), "NOT_FOUND")

		// A subscriber still sees their own plan after it is deactivated.
		w.assign(t, w.bob.ID, "a")
		w.s.MustQuery(t, w.admin.Token, `mutation { togglePlan(id: "a") { isActive } }`)
		if got := st.Get(w.s.MustQuery(t, w.bob.Token, `{ mySubscription { plan { id isActive } } }`), "mySubscription.plan.id"); got != "a" {
			t.Errorf("subscriber's deactivated plan = %v, want a", got)
		}
		if got := st.Get(w.s.MustQuery(t, w.bob.Token, `{ node(id: "a") { id } }`), "node.id"); got != "a" {
			t.Errorf("node(own deactivated plan) = %v, want a", got)
		}
	})
}

func TestPlanRules(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		id := w.createPlan(t, map[string]any{"id": "pro", "name": "Pro", "quotas": []any{
			map[string]any{"metric": "TOKENS_INPUT", "limit": 1000}, map[string]any{"metric": "REQUESTS", "limit": 10},
		}, "translations": []any{map[string]any{"locale": "ru", "name": "Про", "description": "d"}, map[string]any{"locale": "de", "name": "Pro"}},
			"displayOrder": 3})
		update := `mutation($id: ID!, $in: UpdatePlanInput!) { updatePlan(id: $id, input: $in) { ` + planFields + ` } }`
		quotas := func(tokens, requests int) []any {
			return []any{map[string]any{"metric": "TOKENS_INPUT", "limit": tokens}, map[string]any{"metric": "REQUESTS", "limit": requests}}
		}

		// Without subscribers, anything goes.
		w.s.MustQuery(t, w.admin.Token, update, "id", id, "in", map[string]any{"quotas": quotas(900, 10)})
		w.assign(t, w.bob.ID, id)

		t.Run("lowering a quota with live subscriptions is a conflict", func(t *testing.T) {
			r := w.s.Query(t, w.admin.Token, update, "id", id, "in", map[string]any{"quotas": quotas(500, 10), "name": "Renamed"})
			wantCode(t, r, "CONFLICT")
			msg := r.Errors[0].Message
			for _, want := range []string{"TOKENS_INPUT", "900", "500", "new plan"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not mention %q", msg, want)
				}
			}
			if got := st.Get(w.s.MustQuery(t, w.admin.Token, `{ plan(id: "pro") { name } }`), "plan.name"); got != "Pro" {
				t.Errorf("rejected update changed the name to %v", got)
			}
		})
		allowed := []struct {
			name string
			in   map[string]any
		}{
			{"raising quotas", map[string]any{"quotas": quotas(2000, 20)}},
			{"adding a metric", map[string]any{"quotas": append(quotas(2000, 20), map[string]any{"metric": "IMAGES", "limit": 5})}},
			{"dropping a metric makes it unlimited", map[string]any{"quotas": quotas(2000, 20)}},
			{"changing price and text", map[string]any{"price": "12.50", "name": "Pro+", "description": "More"}},
		}
		for _, c := range allowed {
			t.Run(c.name, func(t *testing.T) {
				w.s.MustQuery(t, w.admin.Token, update, "id", id, "in", c.in)
			})
		}
		wantCode(t, w.s.Query(t, w.admin.Token, update, "id", id, "in", map[string]any{"interval": "YEAR"}), "CONFLICT")
		wantField(t, w.s.Query(t, w.admin.Token, update, "id", id, "in", map[string]any{"displayOrder": -2}), "BAD_USER_INPUT", "displayOrder")
		wantField(t, w.s.Query(t, w.admin.Token, update, "id", id, "in", map[string]any{"price": "-3"}), "BAD_USER_INPUT", "price")
		wantCode(t, w.s.Query(t, w.admin.Token, update, "id", "nope", "in", map[string]any{"name": "x"}), "NOT_FOUND")
		if got := auditCount(t, w.s, "PLAN_UPDATED"); got != 5 {
			t.Errorf("PLAN_UPDATED entries = %d, want 5", got)
		}

		t.Run("delete of a referenced plan is a conflict", func(t *testing.T) {
			wantCode(t, w.s.Query(t, w.admin.Token, `mutation { deletePlan(id: "pro") }`), "CONFLICT")
		})
		t.Run("toggle", func(t *testing.T) {
			d := w.s.MustQuery(t, w.admin.Token, `mutation { togglePlan(id: "pro") { isActive } }`)
			if st.Get(d, "togglePlan.isActive") != false {
				t.Fatalf("toggle = %v, want inactive", d)
			}
			if auditCount(t, w.s, "PLAN_DEACTIVATED") != 1 {
				t.Errorf("no PLAN_DEACTIVATED entry")
			}
			w.s.MustQuery(t, w.admin.Token, `mutation { togglePlan(id: "pro") { isActive } }`)
		})
		t.Run("duplicate", func(t *testing.T) {
			d := w.s.MustQuery(t, w.admin.Token, `mutation { duplicatePlan(id: "pro") { `+planFields+` } }`)
			p := d["duplicatePlan"].(map[string]any)
			want := map[string]any{
				"name": "Pro+ (Copy)", "isActive": false, "displayOrder": float64(4), "price": "12.50",
				"translations.0.locale": "de", "translations.0.name": "Pro (Kopie)",
				"translations.1.locale": "ru", "translations.1.name": "Про (копия)",
			}
			for path, v := range want {
				if got := st.Get(p, path); got != v {
					t.Errorf("%s = %v, want %v", path, got, v)
				}
			}
			if p["id"] == "pro" {
				t.Errorf("duplicate kept the id")
			}
			// The copy has no subscribers: it can be deleted.
			if got := st.Get(w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { deletePlan(id: $id) }`, "id", p["id"]), "deletePlan"); got != p["id"] {
				t.Errorf("deletePlan = %v, want %v", got, p["id"])
			}
			if auditCount(t, w.s, "PLAN_DUPLICATED") != 1 || auditCount(t, w.s, "PLAN_DELETED") != 1 {
				t.Errorf("missing PLAN_DUPLICATED or PLAN_DELETED entry")
			}
		})
		wantCode(t, w.s.Query(t, w.bob.Token, `mutation { togglePlan(id: "pro") { id } }`), "FORBIDDEN")
		wantCode(t, w.s.Query(t, w.bob.Token, `mutation { deletePlan(id: "pro") }`), "FORBIDDEN")
	})
}
