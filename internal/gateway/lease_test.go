package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// callConcurrently makes calls concurrent chat completions, the i-th through servers[i%len], and
// counts the answers by status.
func callConcurrently(t *testing.T, servers []*st.Server, key string, calls int) map[int]int {
	t.Helper()
	raw, _ := json.Marshal(chat(false, "max_tokens", 10))
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		status = map[int]int{}
	)
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := servers[i%len(servers)]
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/chat/completions", bytes.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+key)
			resp, err := s.HTTP.Do(req)
			if err != nil {
				t.Errorf("call: %v", err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			status[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return status
}

// With a quota roomy enough for leases (a lease takes up to a quarter of what remains), one
// process still admits exactly N of 200 concurrent calls, and once its leases are idle the
// counters hold exactly the admitted calls and nothing reserved.
func TestLeasedQuotaAdmitsExactlyNOf200ConcurrentCalls(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		const n, calls = 100, 200
		w.plan(t, w.user.ID, map[string]int{"REQUESTS": n})
		status := callConcurrently(t, []*st.Server{w.s}, w.userKey, calls)
		if status[http.StatusOK] != n || status[http.StatusTooManyRequests] != calls-n {
			t.Fatalf("statuses %v, want %d OK and %d refused", status, n, calls-n)
		}
		if got := w.up.Count(); got != n {
			t.Errorf("upstream got %d calls, want %d", got, n)
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": n})
	})
}

// Two steward processes on one database never admit more than the quota together: each lease
// is a reservation counted against it. Budget one refused for while the other's lease held it
// comes back when that lease ends, and is then admitted to the last unit.
func TestTwoGatewaysOnOneDatabaseNeverOverAdmit(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		second := st.New(t, b, st.WithEnv(map[string]string{"OPENAI_API_BASE_URLS": w.up.BaseURL(), "OPENAI_API_KEYS": upstreamKey,
			"ENABLE_API_KEYS": "true", "STEWARD_GATEWAY_LEASE_IDLE": "200ms"}), st.WithDatabaseURL(w.s.Config.DatabaseURL))
		const n, calls = 100, 200
		w.plan(t, w.user.ID, map[string]int{"REQUESTS": n})
		status := callConcurrently(t, []*st.Server{w.s, second}, w.userKey, calls)
		ok := status[http.StatusOK]
		if ok > n || ok+status[http.StatusTooManyRequests] != calls {
			t.Fatalf("statuses %v: want at most %d OK and the rest refused", status, n)
		}
		if got := w.up.Count(); got != int64(ok) {
			t.Errorf("upstream got %d calls, want the %d admitted", got, ok)
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": int64(ok)})
		rest := callConcurrently(t, []*st.Server{w.s, second}, w.userKey, n-ok+1)
		if rest[http.StatusOK] != n-ok || rest[http.StatusTooManyRequests] != 1 {
			t.Fatalf("after the leases ended: statuses %v, want the %d left OK and one refused", rest, n-ok)
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": n})
	})
}

// With leases off (STEWARD_GATEWAY_LEASE_CALLS=0) every call holds and settles in the database
// on its own, exactly as well.
func TestWithoutLeasesEachCallHoldsInTheDatabase(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, map[string]string{"STEWARD_GATEWAY_LEASE_CALLS": "0"})
	const n, calls = 100, 200
	w.plan(t, w.user.ID, map[string]int{"REQUESTS": n})
	status := callConcurrently(t, []*st.Server{w.s}, w.userKey, calls)
	if status[http.StatusOK] != n || status[http.StatusTooManyRequests] != calls-n {
		t.Fatalf("statuses %v, want %d OK and %d refused", status, n, calls-n)
	}
	w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": n})
	held, err := w.s.App.DB.Client.QuotaReservation.Query().Count(authz.AsOperator(context.Background()))
	if err != nil || held != 3*n {
		t.Fatalf("%d reservations (%v), want one per admitted call and metric (%d)", held, err, 3*n)
	}
}
