package server_test

import (
	"crypto/rand"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// replicas starts two servers on one database and one Redis prefix, as two replicas.
func replicas(t *testing.T, b dbtest.Backend, opts ...st.Option) (*st.Server, *st.Server) {
	t.Helper()
	prefix := "steward-test:" + rand.Text() + ":"
	a := st.New(t, b, append([]st.Option{st.WithRedis(t, prefix)}, opts...)...)
	c := st.New(t, b, append([]st.Option{st.WithRedis(t, prefix), st.WithDatabaseURL(a.Config.DatabaseURL)}, opts...)...)
	return a, c
}

func TestConfigPropagatesAcrossReplicas(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		a, c := replicas(t, b)
		admin := a.Signup(t, "Ada")
		// Both replicas cache the section.
		for _, s := range []*st.Server{a, c} {
			if got := st.Get(s.MustQuery(t, admin.Token, `{ banners { id } }`), "banners"); len(got.([]any)) != 0 {
				t.Fatalf("banners = %v, want none", got)
			}
		}
		a.MustQuery(t, admin.Token, `mutation { setBanners(banners: [{id: "x", type: INFO, content: "hello"}]) { id } }`)
		start := time.Now()
		for {
			got := st.Get(c.MustQuery(t, admin.Token, `{ banners { id } }`), "banners.0.id")
			if got == "x" {
				t.Logf("the change reached the other replica after %s", time.Since(start))
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatal("the other replica still serves its cached banners")
			}
			time.Sleep(10 * time.Millisecond)
		}
		// Sign-up rules changed on one replica apply on the other.
		a.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {enableSignup: false}) { enableSignup } }`)
		for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
			r := c.Query(t, "", `mutation { signup(input: {name: "Bob", email: "bob@example.com", password: "long enough pw"}) { token } }`)
			if r.Code() == "FORBIDDEN" {
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("sign-up still open on the other replica: %s", r.Raw)
			}
		}
	})
}

func TestRateLimitSharedAcrossReplicas(t *testing.T) {
	a, c := replicas(t, dbtest.SQLite, st.WithRateLimits(limits(func(r *settings.RateLimits) {
		r.SigninPerEmail = settings.RateRule{Rate: 4, PeriodSeconds: 180}
	})))
	ada := a.Signup(t, "Ada")
	for i, s := range []*st.Server{a, c, a, c} {
		if code := s.Query(t, "", aliasedSignins(1), "e", ada.Email, "p", "wrong").Code(); code != "UNAUTHENTICATED" {
			t.Fatalf("attempt %d: code %s, want UNAUTHENTICATED", i, code)
		}
	}
	for _, s := range []*st.Server{a, c} {
		wantCode(t, s.Query(t, "", aliasedSignins(1), "e", ada.Email, "p", "wrong"), "RATE_LIMITED")
	}
}

// proxy forwards TCP connections to target until closed; closing it is a Redis outage for its
// clients without stopping the Redis that other tests use.
type proxy struct {
	ln     net.Listener
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			if p.closed {
				c.Close()
				r.Close()
				p.mu.Unlock()
				return
			}
			p.conns = append(p.conns, c, r)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(r, c); r.Close() }()
			go func() { _, _ = io.Copy(c, r); c.Close() }()
		}
	}()
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
}

// TestRateLimitFallsBackWhenRedisFails: with Redis gone mid-test, limits keep being enforced from
// memory and requests keep being answered.
func TestRateLimitFallsBackWhenRedisFails(t *testing.T) {
	u, err := url.Parse(st.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	u.Host = px.ln.Addr().String()
	s := st.New(t, dbtest.SQLite, st.WithRedis(t, "steward-test:"+rand.Text()+":"),
		func(c *config.Config, _ *server.Options) { c.RedisURL = u.String() },
		st.WithRateLimits(limits(func(r *settings.RateLimits) {
			r.SigninPerEmail = settings.RateRule{Rate: 3, PeriodSeconds: 180}
		})))
	ada := s.Signup(t, "Ada")
	wantCode(t, s.Query(t, "", aliasedSignins(1), "e", ada.Email, "p", "wrong"), "UNAUTHENTICATED")
	px.Close()
	// Memory starts counting afresh: three more attempts are answered, the fourth is limited.
	if got, r := signinTimes(t, s, 4, ada.Email, "wrong"); got["UNAUTHENTICATED"] != 3 || got["RATE_LIMITED"] != 1 {
		t.Fatalf("codes with Redis down = %v, want 3 UNAUTHENTICATED and 1 RATE_LIMITED: %s", got, r.Raw)
	}
	// The rest of the server still works.
	s.MustQuery(t, ada.Token, meQuery)
}

// longCaches keeps answers and credentials for a minute, so that only the replicas' announcements
// can make a replica drop them within the tests below.
func longCaches(_ *config.Config, o *server.Options) {
	o.QueryCacheTTL, o.CredentialCacheTTL = time.Minute, time.Minute
}

// eventually polls check every 10 ms until it holds, failing after the deadline; it logs how long
// the change took to reach the other replica.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	start := time.Now()
	for !check() {
		if time.Since(start) > 5*time.Second {
			t.Fatalf("%s: not within 5 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("%s after %s", what, time.Since(start))
}

// TestReplicasKeepTheirCachesCoherent: with Redis each replica caches credentials and answers,
// and drops them when another replica announces a change, long before their TTL (a minute here).
func TestReplicasKeepTheirCachesCoherent(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		a, c := replicas(t, b, longCaches)
		admin := a.Signup(t, "Ada")

		t.Run("a credential revoked on one replica is refused by the other", func(t *testing.T) {
			tok := a.Signin(t, admin)
			c.MustQuery(t, tok, `{ me { id } }`) // cached on c
			a.MustQuery(t, tok, `mutation { signout }`)
			eventually(t, "revoked token refused on the other replica", func() bool {
				return c.Query(t, tok, `{ me { id } }`).Code() == "UNAUTHENTICATED"
			})
		})
		t.Run("a role changed on one replica holds on the other", func(t *testing.T) {
			bob := c.Signup(t, "Bob")
			c.MustQuery(t, admin.Token, `mutation($id: ID!) { updateUser(id: $id, input: {role: USER}) { role } }`, "id", bob.ID)
			c.MustQuery(t, bob.Token, `{ myPermissions }`) // Bob's USER credential cached on c
			a.MustQuery(t, admin.Token, `mutation($id: ID!) { updateUser(id: $id, input: {role: PENDING}) { role } }`, "id", bob.ID)
			eventually(t, "demotion applied on the other replica", func() bool {
				return c.Query(t, bob.Token, `{ myPermissions }`).Code() == "FORBIDDEN"
			})
		})
		t.Run("a write on one replica is seen by the other's next read", func(t *testing.T) {
			count := func() any { return st.Get(c.MustQuery(t, admin.Token, `{ users { totalCount } }`), "users.totalCount") }
			before := count()
			if again := count(); again != before {
				t.Fatalf("totalCount moved with no write: %v then %v", before, again)
			}
			a.Signup(t, "Carol")
			eventually(t, "new account counted on the other replica", func() bool { return count() != before })
		})
	})
}

// TestReplicasShareModelAccessChanges: each replica's gateway remembers which models a caller
// may use for a minute here, and forgets it as soon as another replica announces a write to the
// grants, long before that.
func TestReplicasShareModelAccessChanges(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		up := fakeupstream.New()
		t.Cleanup(up.Close)
		a, c := replicas(t, b, longCaches, st.WithEnv(map[string]string{"OPENAI_API_BASE_URLS": up.BaseURL(), "ENABLE_API_KEYS": "true"}))
		admin, bob := a.Signup(t, "Ada"), a.Signup(t, "Bob")
		a.SetRole(t, bob.ID, "USER")
		a.MustQuery(t, admin.Token, `mutation { updateDefaultPermissions(permissions: {features: {api_keys: true}}) }`)
		key := st.Get(a.MustQuery(t, bob.Token, `mutation { createAPIKey(input: {name: "gateway"}) { key } }`), "createAPIKey.key").(string)
		access := func(userIDs ...any) map[string]any {
			return map[string]any{"read": map[string]any{"group_ids": []any{}, "user_ids": append([]any{}, userIDs...)}}
		}
		a.MustQuery(t, admin.Token, `mutation($ac: JSON) { createModel(input: {id: "secret-model", name: "Secret", accessControl: $ac}) { id } }`, "ac", access())
		callOnC := func() int {
			req, _ := http.NewRequest(http.MethodPost, c.URL+"/v1/chat/completions",
				strings.NewReader(`{"model": "secret-model", "messages": [{"role": "user", "content": "hi"}]}`))
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.HTTP.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode
		}
		for range 2 {
			if got := callOnC(); got != http.StatusNotFound {
				t.Fatalf("a call for a private model: status %d, want 404", got)
			}
		}
		a.MustQuery(t, admin.Token, `mutation($ac: JSON) { updateModel(id: "secret-model", input: {accessControl: $ac}) { id } }`, "ac", access(bob.ID))
		eventually(t, "a grant on one replica admitted by the other", func() bool { return callOnC() == http.StatusOK })
		a.MustQuery(t, admin.Token, `mutation($ac: JSON) { updateModel(id: "secret-model", input: {accessControl: $ac}) { id } }`, "ac", access())
		eventually(t, "a grant taken back on one replica refused by the other", func() bool { return callOnC() == http.StatusNotFound })
	})
}
