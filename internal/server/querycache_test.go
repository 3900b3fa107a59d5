package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
)

// queryCacheWorld is a server with a settable clock and Bob, a user whose sign-in bookkeeping
// (last-used and last-active writes, which run in the background) has landed, so that no write
// the test did not make moves the write count under it.
func queryCacheWorld(t *testing.T, b dbtest.Backend, opts ...st.Option) (s *st.Server, clock *st.Clock, bob st.Account, name func() string) {
	t.Helper()
	clock = st.NewClock(time.Now())
	s = st.New(t, b, append(opts, st.WithClock(clock.Now))...)
	s.Signup(t, "Ada")
	bob = s.Signup(t, "Bob")
	s.SetRole(t, bob.ID, "USER")
	name = func() string { return st.Get(s.MustQuery(t, bob.Token, `{ me { name } }`), "me.name").(string) }
	name()
	for !bookkept(t, s, bob.ID) {
		time.Sleep(5 * time.Millisecond)
	}
	// The write count moves right after each of those writes returns: wait until it rests.
	for prev := s.App.DB.Writes(); ; {
		time.Sleep(100 * time.Millisecond) // long enough for a late bookkeeping write under -race
		cur := s.App.DB.Writes()
		if cur == prev {
			break
		}
		prev = cur
	}
	return s, clock, bob, name
}

func bookkept(t *testing.T, s *st.Server, userID string) bool {
	t.Helper()
	var n int
	err := s.App.DB.SQL.QueryRowContext(context.Background(), db.Rebind(s.App.DB.Dialect,
		`SELECT COUNT(*) FROM users u JOIN sessions s ON s.user_id = u.id
		 WHERE u.id = ? AND u.last_active_at IS NOT NULL AND s.last_used_at IS NOT NULL`), userID).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// renameBehindTheService changes a name without going through steward, as another process would.
func renameBehindTheService(t *testing.T, s *st.Server, userID, name string) {
	t.Helper()
	_, err := s.App.DB.SQL.ExecContext(context.Background(), db.Rebind(s.App.DB.Dialect, `UPDATE users SET name = ? WHERE id = ?`), name, userID)
	if err != nil {
		t.Fatal(err)
	}
}

func TestQueryCache(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s, clock, bob, name := queryCacheWorld(t, b)
		if got := name(); got != "Bob" {
			t.Fatalf("name = %q", got)
		}

		renameBehindTheService(t, s, bob.ID, "Robert")
		if got := name(); got != "Bob" {
			t.Errorf("name right after an outside change = %q, want the reused answer %q", got, "Bob")
		}
		clock.Advance(server.DefaultQueryCacheTTL)
		if got := name(); got != "Robert" {
			t.Errorf("name after the TTL = %q, want %q", got, "Robert")
		}

		s.MustQuery(t, bob.Token, `mutation { updateProfile(input: {name: "Bobby"}) { id } }`)
		if got := name(); got != "Bobby" {
			t.Errorf("name right after a change through the API = %q, want %q", got, "Bobby")
		}

		ada := s.Signin(t, st.Account{Email: "ada@example.com", Password: "password-of-ada"})
		if got := st.Get(s.MustQuery(t, ada, `{ me { name } }`), "me.name"); got != "Ada" {
			t.Errorf("another viewer's answer to the same query = %v, want Ada", got)
		}
	})
}

// TestConcurrentErroringQueriesEachGetTheirAnswer: identical queries that miss the cache together
// run once, and the one that ran an answer with an error used to answer `null` to its own client.
func TestConcurrentErroringQueriesEachGetTheirAnswer(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		s.HTTP.Timeout = 10 * time.Second
		s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		// users is for admins: bob's identical queries all fail on that field, while `me` answers.
		const q = `{ me { id } users { totalCount } }`
		const n = 60
		var wg sync.WaitGroup
		results := make([]*st.Response, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				results[i] = s.Query(t, bob.Token, q)
			}(i)
		}
		wg.Wait()
		for i, r := range results {
			if r.Raw == "null" || r.Code() != "FORBIDDEN" {
				t.Fatalf("answer %d = %s, want a FORBIDDEN error", i, r.Raw)
			}
		}
	})
}
