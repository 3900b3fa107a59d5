package server_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// meterKey gives bob billing.usage.write (through the default permissions) and returns an API
// key of his, as an LLM gateway would hold.
func (w billingWorld) meterKey(t *testing.T) string {
	t.Helper()
	w.s.MustQuery(t, w.admin.Token, `mutation($p: JSON!) { updateDefaultPermissions(permissions: $p) }`,
		"p", map[string]any{"billing": map[string]any{"usage": map[string]any{"write": true}}, "features": map[string]any{"api_keys": true}})
	d := w.s.MustQuery(t, w.bob.Token, `mutation { createAPIKey(input: {name: "gateway"}) { key } }`)
	return st.Get(d, "createAPIKey.key").(string)
}

var apiKeysOn = st.WithEnv(map[string]string{"ENABLE_API_KEYS": "true"})

func TestRecordUsage(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b, apiKeysOn)
		carol := w.s.Signup(t, "Carol")
		w.s.SetRole(t, carol.ID, "USER")
		planID := w.createPlan(t, map[string]any{"quotas": []any{map[string]any{"metric": "REQUESTS", "limit": 3}}})
		subID := w.assign(t, carol.ID, planID)

		t.Run("permission", func(t *testing.T) {
			in := map[string]any{"userId": carol.ID, "metric": "REQUESTS", "amount": 1}
			wantCode(t, w.record(t, w.bob.Token, in), "FORBIDDEN")
			wantCode(t, w.record(t, carol.Token, in), "FORBIDDEN") // not even for oneself
			wantCode(t, w.record(t, "", in), "UNAUTHENTICATED")
			wantCode(t, w.s.Query(t, carol.Token, checkQuery, "u", w.admin.ID, "m", "REQUESTS", "a", 1), "FORBIDDEN")
		})
		key := w.meterKey(t)

		in := map[string]any{"userId": carol.ID, "metric": "REQUESTS", "amount": 1, "idempotencyKey": "call-1", "modelId": "gpt-4o", "enforce": true}
		first := w.record(t, key, in)
		if first.Code() != "" {
			t.Fatalf("first record: %s", first.Raw)
		}
		if got := st.Get(first.Data, "recordUsage.event.subscriptionID"); got != subID {
			t.Errorf("event subscription = %v, want %s", got, subID)
		}
		if st.Get(first.Data, "recordUsage.replayed") != false || num(st.Get(first.Data, "recordUsage.quota.used")) != 1 {
			t.Errorf("first record = %s", first.Raw)
		}
		t.Run("replay counts once", func(t *testing.T) {
			again := w.record(t, key, in)
			if again.Code() != "" || st.Get(again.Data, "recordUsage.replayed") != true {
				t.Fatalf("replay = %s", again.Raw)
			}
			if st.Get(again.Data, "recordUsage.event.id") != st.Get(first.Data, "recordUsage.event.id") {
				t.Errorf("replay returned another event")
			}
			if got := num(st.Get(w.s.MustQuery(t, key, checkQuery, "u", carol.ID, "m", "REQUESTS", "a", 0), "checkQuota.used")); got != 1 {
				t.Errorf("used after replay = %d, want 1", got)
			}
		})
		t.Run("reused key with other input is a conflict", func(t *testing.T) {
			other := map[string]any{"userId": carol.ID, "metric": "REQUESTS", "amount": 2, "idempotencyKey": "call-1", "modelId": "gpt-4o", "enforce": true}
			wantCode(t, w.record(t, key, other), "CONFLICT")
		})
		t.Run("enforce refuses beyond the quota and records nothing", func(t *testing.T) {
			r := w.record(t, key, map[string]any{"userId": carol.ID, "metric": "REQUESTS", "amount": 3, "enforce": true})
			wantCode(t, r, "QUOTA_EXCEEDED")
			if got := num(r.Errors[0].Extensions["limit"]); got != 3 {
				t.Errorf("extensions.limit = %d, want 3", got)
			}
			n, _ := w.s.App.DB.Client.UsageEvent.Query().Where(usageevent.UserID(carol.ID)).Count(authz.AsOperator(context.Background()))
			if n != 1 {
				t.Errorf("events = %d, want 1", n)
			}
			// Without enforce the same report is recorded: metering tells the truth.
			r = w.record(t, key, map[string]any{"userId": carol.ID, "metric": "REQUESTS", "amount": 3})
			if r.Code() != "" || num(st.Get(r.Data, "recordUsage.quota.used")) != 4 || st.Get(r.Data, "recordUsage.quota.allowed") != false {
				t.Fatalf("unenforced record = %s", r.Raw)
			}
			c := w.s.MustQuery(t, carol.Token, checkQuery, "u", carol.ID, "m", "REQUESTS", "a", 1)
			if st.Get(c, "checkQuota.allowed") != false || num(st.Get(c, "checkQuota.remaining")) != 0 {
				t.Errorf("own checkQuota = %v", c)
			}
		})
		t.Run("two reports in one mutation are all or nothing", func(t *testing.T) {
			// A lone recordUsage shares a commit with concurrent ones; several in one operation
			// still form one transaction, so the refused second undoes the first.
			events := func() int {
				n, err := w.s.App.DB.Client.UsageEvent.Query().Where(usageevent.UserID(carol.ID)).Count(authz.AsOperator(context.Background()))
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := events()
			r := w.s.Query(t, key, `mutation($u: ID!) {
  a: recordUsage(input: {userId: $u, metric: IMAGES, amount: 1}) { replayed }
  b: recordUsage(input: {userId: $u, metric: REQUESTS, amount: 1, enforce: true}) { replayed }
}`, "u", carol.ID)
			wantCode(t, r, "QUOTA_EXCEEDED")
			if after := events(); after != before {
				t.Errorf("events went from %d to %d; the first report should have been rolled back", before, after)
			}
		})
		t.Run("unlimited metric", func(t *testing.T) {
			r := w.record(t, key, map[string]any{"userId": carol.ID, "metric": "IMAGES", "amount": 1000, "enforce": true})
			if r.Code() != "" || st.Get(r.Data, "recordUsage.quota.limit") != nil {
				t.Fatalf("unlimited record = %s", r.Raw)
			}
		})
		t.Run("user without a subscription is unlimited", func(t *testing.T) {
			r := w.record(t, key, map[string]any{"userId": w.admin.ID, "metric": "REQUESTS", "amount": 50, "enforce": true})
			if r.Code() != "" || st.Get(r.Data, "recordUsage.event.subscriptionID") != nil {
				t.Fatalf("record without subscription = %s", r.Raw)
			}
			d := w.s.MustQuery(t, w.admin.Token, `{ myUsage { subscription { id } metrics { metric used limit } } }`)
			if st.Get(d, "myUsage.subscription") != nil || num(st.Get(d, "myUsage.metrics.2.used")) != 50 {
				t.Errorf("myUsage without subscription = %v", d)
			}
		})
		bad := []struct {
			name  string
			in    map[string]any
			code  string
			field string
		}{
			{"negative amount", map[string]any{"amount": -1}, "BAD_USER_INPUT", "amount"},
			{"empty key", map[string]any{"idempotencyKey": ""}, "BAD_USER_INPUT", "idempotencyKey"},
			{"unknown metric", map[string]any{"metric": "WATTS"}, "BAD_USER_INPUT", "metric"},
			{"unknown user", map[string]any{"userId": "nobody"}, "NOT_FOUND", ""},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				in := map[string]any{"userId": carol.ID, "metric": "REQUESTS", "amount": 1}
				for k, v := range c.in {
					in[k] = v
				}
				wantField(t, w.record(t, key, in), c.code, c.field)
			})
		}
		t.Run("checkQuota of an unknown user", func(t *testing.T) {
			wantCode(t, w.s.Query(t, w.admin.Token, `{ users: checkQuota(userId: "x", metric: REQUESTS) { used } }`), "NOT_FOUND")
		})
		t.Run("myUsage and User.usage", func(t *testing.T) {
			d := w.s.MustQuery(t, carol.Token, `{ myUsage { subscription { id } metrics { metric used limit percentage } } me { usage { metrics { used } } currentSubscription { id } } }`)
			if st.Get(d, "myUsage.subscription.id") != subID || st.Get(d, "me.currentSubscription.id") != subID {
				t.Errorf("myUsage subscription = %v", d)
			}
			if st.Get(d, "myUsage.metrics.2.metric") != "REQUESTS" || num(st.Get(d, "myUsage.metrics.2.used")) != 4 || st.Get(d, "myUsage.metrics.2.percentage") != float64(4)*100/3 {
				t.Errorf("REQUESTS usage = %v", st.Get(d, "myUsage.metrics.2"))
			}
		})
	})
}

// TestConcurrentEnforcement is the race LiteLLM has: 200 concurrent enforced reports of 1 against
// a quota of 100 must accept exactly 100, and the same with reservations.
func TestConcurrentEnforcement(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		planID := w.createPlan(t, map[string]any{"quotas": []any{
			map[string]any{"metric": "REQUESTS", "limit": 100}, map[string]any{"metric": "IMAGES", "limit": 100}}})
		w.assign(t, w.bob.ID, planID)
		const callers = 200
		run := func(fn func(i int) *st.Response) (ok, exceeded int) {
			var okN, exN, other atomic.Int64
			var wg sync.WaitGroup
			var firstOther atomic.Value
			for i := range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := fn(i)
					switch r.Code() {
					case "":
						okN.Add(1)
					case "QUOTA_EXCEEDED":
						exN.Add(1)
					default:
						other.Add(1)
						firstOther.CompareAndSwap(nil, r.Raw)
					}
				}()
			}
			wg.Wait()
			if other.Load() > 0 {
				t.Fatalf("%d unexpected answers, e.g. %v", other.Load(), firstOther.Load())
			}
			return int(okN.Load()), int(exN.Load())
		}
		t.Run("recordUsage", func(t *testing.T) {
			ok, exceeded := run(func(i int) *st.Response {
				return w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": 1, "enforce": true,
					"idempotencyKey": fmt.Sprintf("race-%d", i)})
			})
			if ok != 100 || exceeded != 100 {
				t.Fatalf("accepted %d, refused %d; want 100 and 100", ok, exceeded)
			}
			d := w.s.MustQuery(t, w.admin.Token, checkQuery, "u", w.bob.ID, "m", "REQUESTS", "a", 0)
			n, _ := w.s.App.DB.Client.UsageEvent.Query().Where(usageevent.UserID(w.bob.ID)).Count(authz.AsOperator(context.Background()))
			if num(st.Get(d, "checkQuota.used")) != 100 || n != 100 {
				t.Fatalf("counter used = %v, events = %d; want 100 and 100", st.Get(d, "checkQuota.used"), n)
			}
		})
		t.Run("reserveQuota", func(t *testing.T) {
			var mu sync.Mutex
			var ids []string
			ok, exceeded := run(func(i int) *st.Response {
				r := w.s.Query(t, w.admin.Token, `mutation($u: ID!) { reserveQuota(userId: $u, metric: IMAGES, amount: 1) { reservation { id } } }`, "u", w.bob.ID)
				if r.Code() == "" {
					mu.Lock()
					ids = append(ids, st.Get(r.Data, "reserveQuota.reservation.id").(string))
					mu.Unlock()
				}
				return r
			})
			if ok != 100 || exceeded != 100 {
				t.Fatalf("reserved %d, refused %d; want 100 and 100", ok, exceeded)
			}
			// Settle them all concurrently with actual 1: usage ends at exactly the quota.
			var wg sync.WaitGroup
			for _, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := w.s.Query(t, w.admin.Token, `mutation($id: ID!) { settleReservation(id: $id, actualAmount: 1) { reservation { status } } }`, "id", id)
					if r.Code() != "" {
						t.Errorf("settle: %s", r.Raw)
					}
				}()
			}
			wg.Wait()
			d := w.s.MustQuery(t, w.admin.Token, checkQuery, "u", w.bob.ID, "m", "IMAGES", "a", 1)
			if num(st.Get(d, "checkQuota.used")) != 100 || num(st.Get(d, "checkQuota.reserved")) != 0 || st.Get(d, "checkQuota.allowed") != false {
				t.Fatalf("after settling: %v", d)
			}
		})
		t.Run("concurrent duplicates of one key count once", func(t *testing.T) {
			var replayed atomic.Int64
			var wg sync.WaitGroup
			for range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := w.record(t, w.admin.Token, map[string]any{"userId": w.admin.ID, "metric": "TOKENS_OUTPUT", "amount": 7, "idempotencyKey": "dup"})
					if r.Code() != "" {
						t.Errorf("duplicate: %s", r.Raw)
						return
					}
					if st.Get(r.Data, "recordUsage.replayed") == true {
						replayed.Add(1)
					}
				}()
			}
			wg.Wait()
			n, _ := w.s.App.DB.Client.UsageEvent.Query().Where(usageevent.IdempotencyKey("dup")).Count(authz.AsOperator(context.Background()))
			if n != 1 || replayed.Load() != 19 {
				t.Fatalf("events = %d, replayed = %d; want 1 and 19", n, replayed.Load())
			}
		})
	})
}

func TestReservations(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
		w := newBillingWorld(t, b, st.WithClock(clock.Now))
		planID := w.createPlan(t, map[string]any{"quotas": []any{map[string]any{"metric": "TOKENS_OUTPUT", "limit": 1000}}})
		w.assign(t, w.bob.ID, planID)
		reserve := `mutation($u: ID!, $a: Int!, $ttl: Int) { reserveQuota(userId: $u, metric: TOKENS_OUTPUT, amount: $a, ttlSeconds: $ttl) {
			reservation { id status amount expiresAt } quota { used reserved remaining } } }`
		settle := `mutation($id: ID!, $a: Int!) { settleReservation(id: $id, actualAmount: $a) { reservation { status settledAmount } event { amount } quota { used reserved } } }`
		release := `mutation($id: ID!) { releaseReservation(id: $id) { status } }`
		check := func() (used, reserved int64) {
			d := w.s.MustQuery(t, w.admin.Token, checkQuery, "u", w.bob.ID, "m", "TOKENS_OUTPUT", "a", 0)
			return num(st.Get(d, "checkQuota.used")), num(st.Get(d, "checkQuota.reserved"))
		}
		d := w.s.MustQuery(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 600, "ttl", 60)
		r1 := st.Get(d, "reserveQuota.reservation.id").(string)
		if num(st.Get(d, "reserveQuota.quota.remaining")) != 400 {
			t.Fatalf("after reserving 600: %v", d)
		}
		t.Run("reserved budget counts against the quota", func(t *testing.T) {
			wantCode(t, w.s.Query(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 500), "QUOTA_EXCEEDED")
			wantCode(t, w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "TOKENS_OUTPUT", "amount": 401, "enforce": true}), "QUOTA_EXCEEDED")
		})
		t.Run("settle records the actual amount and frees the rest", func(t *testing.T) {
			d := w.s.MustQuery(t, w.admin.Token, settle, "id", r1, "a", 250)
			if st.Get(d, "settleReservation.reservation.status") != "SETTLED" || num(st.Get(d, "settleReservation.event.amount")) != 250 {
				t.Fatalf("settle = %v", d)
			}
			if used, reserved := check(); used != 250 || reserved != 0 {
				t.Fatalf("used, reserved = %d, %d; want 250, 0", used, reserved)
			}
			wantCode(t, w.s.Query(t, w.admin.Token, settle, "id", r1, "a", 1), "CONFLICT")
			wantCode(t, w.s.Query(t, w.admin.Token, release, "id", r1), "CONFLICT")
		})
		t.Run("release frees everything", func(t *testing.T) {
			id := st.Get(w.s.MustQuery(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 700), "reserveQuota.reservation.id")
			if st.Get(w.s.MustQuery(t, w.admin.Token, release, "id", id), "releaseReservation.status") != "RELEASED" {
				t.Fatalf("release failed")
			}
			if used, reserved := check(); used != 250 || reserved != 0 {
				t.Fatalf("used, reserved = %d, %d; want 250, 0", used, reserved)
			}
		})
		t.Run("settling above the reservation records the overage", func(t *testing.T) {
			id := st.Get(w.s.MustQuery(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 100), "reserveQuota.reservation.id")
			w.s.MustQuery(t, w.admin.Token, settle, "id", id, "a", 150)
			if used, reserved := check(); used != 400 || reserved != 0 {
				t.Fatalf("used, reserved = %d, %d; want 400, 0", used, reserved)
			}
		})
		t.Run("expired reservations are released lazily and by the job", func(t *testing.T) {
			lazy := st.Get(w.s.MustQuery(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 600, "ttl", 30), "reserveQuota.reservation.id")
			clock.Advance(31 * time.Second)
			if used, reserved := check(); used != 400 || reserved != 0 {
				t.Fatalf("checkQuota counts an expired hold: used, reserved = %d, %d", used, reserved)
			}
			// The enforced call finds the budget held, releases the expired hold and goes through.
			if r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "TOKENS_OUTPUT", "amount": 500, "enforce": true}); r.Code() != "" {
				t.Fatalf("record after expiry: %s", r.Raw)
			}
			wantCode(t, w.s.Query(t, w.admin.Token, settle, "id", lazy, "a", 1), "CONFLICT")

			id := st.Get(w.s.MustQuery(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 50, "ttl", 10), "reserveQuota.reservation.id")
			clock.Advance(11 * time.Second)
			stats, err := w.s.App.Renewer.RunOnce(context.Background(), clock.Now())
			if err != nil || stats.ReservationsExpired != 1 {
				t.Fatalf("RunOnce = %+v, %v; want 1 reservation expired", stats, err)
			}
			d := w.s.MustQuery(t, w.admin.Token, `query($id: ID!) { node(id: $id) { ... on QuotaReservation { status } } }`, "id", id)
			if st.Get(d, "node.status") != "EXPIRED" {
				t.Errorf("reservation status = %v, want EXPIRED", d)
			}
			if used, reserved := check(); used != 900 || reserved != 0 {
				t.Fatalf("used, reserved = %d, %d; want 900, 0", used, reserved)
			}
		})
		t.Run("validation and permission", func(t *testing.T) {
			wantField(t, w.s.Query(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 0), "BAD_USER_INPUT", "amount")
			wantField(t, w.s.Query(t, w.admin.Token, reserve, "u", w.bob.ID, "a", 1, "ttl", 90000), "BAD_USER_INPUT", "ttlSeconds")
			wantCode(t, w.s.Query(t, w.bob.Token, reserve, "u", w.bob.ID, "a", 1), "FORBIDDEN")
			wantCode(t, w.s.Query(t, w.admin.Token, release, "id", "nope"), "NOT_FOUND")
		})
	})
}
