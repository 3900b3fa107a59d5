package server_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// limits returns loose test limits with some rules replaced.
func limits(change func(r *settings.RateLimits)) settings.RateLimits {
	r := st.LooseRateLimits()
	change(&r)
	return r
}

// aliasedSignins builds one request signing in n times, each field aliased.
func aliasedSignins(n int) string {
	var b strings.Builder
	b.WriteString(`mutation($e: String!, $p: String!) {`)
	for i := range n {
		fmt.Fprintf(&b, " s%d: signin(input: {email: $e, password: $p}) { token }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// signinTimes signs in n times, one request each (an operation may hold one sign-in), and
// returns the error codes of all the answers and the last answer.
func signinTimes(t *testing.T, s *st.Server, n int, email, password string) (map[string]int, *st.Response) {
	t.Helper()
	all := map[string]int{}
	var r *st.Response
	for range n {
		r = s.Query(t, "", aliasedSignins(1), "e", email, "p", password)
		for code, k := range codes(r) {
			all[code] += k
		}
	}
	return all, r
}

// codes counts the error codes of a response.
func codes(r *st.Response) map[string]int {
	m := map[string]int{}
	for _, e := range r.Errors {
		m[fmt.Sprint(e.Extensions["code"])]++
	}
	return m
}

func TestSigninRateLimitCountsEveryAttempt(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b, st.WithRateLimits(limits(func(r *settings.RateLimits) {
			r.SigninPerEmail = settings.RateRule{Rate: 15, PeriodSeconds: 180}
		})))
		ada := s.Signup(t, "Ada")
		// Aliased sign-ins are refused whole (limits_test.go), so attempts come one per request;
		// they succeed, as five failures in a row would lock the account first.
		got, r := signinTimes(t, s, 16, ada.Email, ada.Password)
		if len(got) != 1 || got["RATE_LIMITED"] != 1 {
			t.Fatalf("codes = %v, want 15 sign-ins and 1 RATE_LIMITED: %s", got, r.Raw)
		}
		for _, e := range r.Errors {
			if e.Extensions["code"] == "RATE_LIMITED" {
				if ra, _ := e.Extensions["retryAfter"].(float64); ra < 1 || ra > 180 {
					t.Fatalf("retryAfter = %v, want 1..180", e.Extensions["retryAfter"])
				}
			}
		}
		if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 {
			t.Fatalf("Retry-After header = %q", r.Header.Get("Retry-After"))
		}
		if r.Header.Get("RateLimit-Limit") != "15" || r.Header.Get("RateLimit-Remaining") != "0" {
			t.Fatalf("RateLimit headers = %v", r.Header)
		}
		// The right password is refused too while the email is limited: guessing stays throttled.
		r = s.Query(t, "", aliasedSignins(1), "e", ada.Email, "p", ada.Password)
		wantCode(t, r, "RATE_LIMITED")
		// Another email from the same address is not affected by this one's limit.
		bob := s.Signup(t, "Bob")
		s.MustQuery(t, "", aliasedSignins(1), "e", bob.Email, "p", bob.Password)
	})
}

func TestRateLimitRules(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithRateLimits(limits(func(r *settings.RateLimits) {
		r.SigninPerIP = settings.RateRule{Rate: 4, PeriodSeconds: 60}
		r.SignupPerIP = settings.RateRule{Rate: 3, PeriodSeconds: 3600}
		r.MutationsPerUser = settings.RateRule{Rate: 3, PeriodSeconds: 60}
	})))
	ada := s.Signup(t, "Ada")
	s.Signup(t, "Bob")
	s.Signup(t, "Cy")
	t.Run("sign-up per address", func(t *testing.T) {
		r := s.Query(t, "", `mutation { signup(input: {name: "Di", email: "di@example.com", password: "long enough pw"}) { token } }`)
		wantCode(t, r, "RATE_LIMITED")
	})
	t.Run("admins change the limits at once", func(t *testing.T) {
		s.MustQuery(t, ada.Token, `mutation { updateRateLimitsConfig(input: {signupPerIp: {rate: 100}}) { enabled } }`)
		r := s.Query(t, "", `mutation { signup(input: {name: "Di", email: "di@example.com", password: "long enough pw"}) { token } }`)
		if len(r.Errors) > 0 {
			t.Fatalf("sign-up after raising the limit: %s", r.Raw)
		}
	})
	t.Run("sign-in per address across emails", func(t *testing.T) {
		got := map[string]int{}
		for _, e := range []string{"a", "b", "c", "d", "e"} {
			c, _ := signinTimes(t, s, 1, e+"@example.com", "x")
			for code, k := range c {
				got[code] += k
			}
		}
		if got["UNAUTHENTICATED"] != 4 || got["RATE_LIMITED"] != 1 {
			t.Fatalf("codes = %v, want 4 UNAUTHENTICATED and 1 RATE_LIMITED", got)
		}
	})
	t.Run("mutations per user", func(t *testing.T) {
		// One of the three was spent on updateRateLimitsConfig above.
		r := s.Query(t, ada.Token, `mutation { a: updateProfile(input: {name: "A"}) { name } b: updateProfile(input: {name: "B"}) { name }
			c: updateProfile(input: {name: "C"}) { name } }`)
		if got := codes(r); got["RATE_LIMITED"] != 1 || len(r.Errors) != 1 {
			t.Fatalf("codes = %v, want exactly 1 RATE_LIMITED: %s", got, r.Raw)
		}
		if p := r.Errors[0].Path; len(p) != 1 || p[0] != "c" {
			t.Fatalf("error path = %v, want [c]: %s", p, r.Raw)
		}
		if r.Header.Get("RateLimit-Limit") != "3" || r.Header.Get("Retry-After") == "" {
			t.Fatalf("headers = %v", r.Header)
		}
		// A limited mutation is rejected like any other: the whole operation rolled back.
		if got := st.Get(s.MustQuery(t, ada.Token, meQuery), "me.name"); got != "Ada" {
			t.Fatalf("name after a rejected batch = %v, want Ada", got)
		}
	})
}

func TestRequestsPerIPCeiling(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithRateLimits(limits(func(r *settings.RateLimits) {
		r.RequestsPerIP = settings.RateRule{Rate: 3, PeriodSeconds: 60}
	})))
	for i := range 3 {
		r := s.Query(t, "", meQuery)
		if r.Status != 200 || r.Header.Get("RateLimit-Remaining") != strconv.Itoa(2-i) {
			t.Fatalf("request %d: status %d, remaining %q", i, r.Status, r.Header.Get("RateLimit-Remaining"))
		}
	}
	r := s.Query(t, "", meQuery)
	if r.Status != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("over the ceiling: status %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	wantCode(t, r, "RATE_LIMITED")
	if ra, _ := r.Errors[0].Extensions["retryAfter"].(float64); ra < 1 {
		t.Fatalf("retryAfter = %v", r.Errors[0].Extensions["retryAfter"])
	}
}

const lockQuery = `query($id: ID!) { node(id: $id) { ... on User { lockedUntil failedSignins } } }`

func TestSigninLockout(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
		s := st.New(t, b, st.WithClock(clock.Now))
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		fail := func(n int) {
			t.Helper()
			for range n {
				wantCode(t, s.Query(t, "", aliasedSignins(1), "e", bob.Email, "p", "wrong password"), "UNAUTHENTICATED")
			}
		}
		lockedFor := func() time.Duration {
			t.Helper()
			v := st.Get(s.MustQuery(t, admin.Token, lockQuery, "id", bob.ID), "node.lockedUntil")
			if v == nil {
				return 0
			}
			until, err := time.Parse(time.RFC3339, v.(string))
			if err != nil {
				t.Fatal(err)
			}
			return until.Sub(clock.Now())
		}

		fail(4)
		if d := lockedFor(); d != 0 {
			t.Fatalf("locked after 4 failures for %s", d)
		}
		fail(1)
		if d := lockedFor(); d != time.Minute {
			t.Fatalf("lock after 5 failures = %s, want 1m", d)
		}
		// Locked: even the right password is refused, as a wrong one is, and the refusal is not
		// counted.
		r := s.Query(t, "", aliasedSignins(1), "e", bob.Email, "p", bob.Password)
		wantCode(t, r, "UNAUTHENTICATED")
		if got := st.Get(s.MustQuery(t, admin.Token, lockQuery, "id", bob.ID), "node.failedSignins"); got != float64(5) {
			t.Fatalf("failedSignins = %v, want 5", got)
		}
		// Other users see neither field.
		d := s.MustQuery(t, bob.Token, lockQuery, "id", bob.ID)
		if st.Get(d, "node.lockedUntil") != nil || st.Get(d, "node.failedSignins") != nil {
			t.Fatalf("a non-admin sees the lock: %v", d)
		}

		clock.Advance(61 * time.Second)
		fail(5)
		if d := lockedFor(); d != 2*time.Minute {
			t.Fatalf("second lock = %s, want 2m", d)
		}

		wantCode(t, s.Query(t, bob.Token, `mutation($id: ID!) { unlockUser(id: $id) { id } }`, "id", bob.ID), "FORBIDDEN")
		u := s.MustQuery(t, admin.Token, `mutation($id: ID!) { unlockUser(id: $id) { lockedUntil failedSignins } }`, "id", bob.ID)
		if st.Get(u, "unlockUser.lockedUntil") != nil || st.Get(u, "unlockUser.failedSignins") != float64(0) {
			t.Fatalf("after unlock: %v", u)
		}
		s.MustQuery(t, "", aliasedSignins(1), "e", bob.Email, "p", bob.Password)
		logs, err := s.App.DB.Client.AuditLog.Query().All(sysCtx())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(toString(logs), `"USER_UNLOCKED"`) {
			t.Fatal("no USER_UNLOCKED audit entry")
		}
		wantCode(t, s.Query(t, admin.Token, `mutation { unlockUser(id: "nobody") { id } }`), "NOT_FOUND")

		// A success clears the count: four more failures do not lock.
		fail(4)
		s.MustQuery(t, "", aliasedSignins(1), "e", bob.Email, "p", bob.Password)
		fail(4)
		if d := lockedFor(); d != 0 {
			t.Fatalf("locked after a success and 4 failures: %s", d)
		}
	})
}

// TestGatewayTrafficIsNotThrottledLikePeople: the LLM gateway meters thousands of calls for many
// users with one API key from one address. The per-user mutation limit and the per-address
// ceiling are sized for people, so metering and API-key requests skip them.
func TestGatewayTrafficIsNotThrottledLikePeople(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"ENABLE_API_KEYS": "true"}), st.WithRateLimits(limits(func(r *settings.RateLimits) {
		r.MutationsPerUser = settings.RateRule{Rate: 3, PeriodSeconds: 60}
		r.RequestsPerIP = settings.RateRule{Rate: 20, PeriodSeconds: 60}
	})))
	admin := s.Signup(t, "Ada")
	key := st.Get(s.MustQuery(t, admin.Token, `mutation { createAPIKey(input: {name: "gateway"}) { key } }`), "createAPIKey.key").(string)
	for i := range 25 {
		r := s.Query(t, key, `mutation($u: ID!) { recordUsage(input: {userId: $u, metric: REQUESTS, amount: 1}) { replayed } }`, "u", admin.ID)
		if len(r.Errors) > 0 {
			t.Fatalf("metering call %d was refused: %s", i+1, r.Raw)
		}
	}
	// A person's own changes are still limited.
	var last *st.Response
	for range 4 {
		last = s.Query(t, admin.Token, `mutation { updateProfile(input: {statusMessage: "busy"}) { id } }`)
	}
	wantCode(t, last, "RATE_LIMITED")
}
