package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// holdProxy stands between steward and Redis. While forwarding it passes bytes both ways; while
// holding it accepts connections and keeps every byte, in flight or new, without ever answering:
// a Redis that hangs, which is worse than one that refuses connections.
type holdProxy struct {
	ln     net.Listener
	target string
	done   chan struct{}

	mu sync.Mutex
	// gate is closed while the proxy forwards.
	gate  chan struct{}
	conns []net.Conn
}

func newHoldProxy(t *testing.T, target string) *holdProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &holdProxy{ln: ln, target: target, done: make(chan struct{}), gate: make(chan struct{})}
	close(p.gate)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *holdProxy) addr() string { return p.ln.Addr().String() }

func (p *holdProxy) hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.gate:
		p.gate = make(chan struct{})
	default:
	}
}

func (p *holdProxy) forward() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.gate:
	default:
		close(p.gate)
	}
}

// open waits until the proxy forwards, or reports false once it is closed.
func (p *holdProxy) open() bool {
	p.mu.Lock()
	g := p.gate
	p.mu.Unlock()
	select {
	case <-g:
		return true
	case <-p.done:
		return false
	}
}

func (p *holdProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go p.pump(up, c)
		go p.pump(c, up)
	}
}

func (p *holdProxy) pump(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.open() {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *holdProxy) close() {
	close(p.done)
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// queryWithin is Server.Query bounded by ctx: a request still unanswered when ctx ends fails the
// test instead of hanging it.
func queryWithin(ctx context.Context, t *testing.T, s *st.Server, token, query string, vars map[string]any) *st.Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatalf("request not answered in time while Redis hangs: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &st.Response{Status: resp.StatusCode, Raw: string(raw)}
	var decoded struct {
		Data   map[string]any `json:"data"`
		Errors []st.Error     `json:"errors"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatalf("decoding %q: %v", raw, err)
	}
	out.Data, out.Errors = decoded.Data, decoded.Errors
	return out
}

// When Redis accepts connections but never answers, sign-in, authenticated requests and
// recordUsage still answer, from the local fallbacks, and once Redis answers again steward uses
// it again by itself.
func TestRedisThatHangs(t *testing.T) {
	redisURL := st.RedisURL(t)
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newHoldProxy(t, u.Host)
	proxied := *u
	proxied.Host = proxy.addr()
	prefix := st.NewRedisPrefix()
	// Limits high enough never to refuse, over a long period so that their Redis keys (whose
	// lifetime is the time to regain what was spent) outlive the test and show Redis is used.
	limits := settings.DefaultRateLimits()
	for _, r := range []*settings.RateRule{&limits.SigninPerEmail, &limits.SigninPerIP, &limits.SignupPerIP, &limits.MutationsPerUser, &limits.RequestsPerIP} {
		*r = settings.RateRule{Rate: 10000, PeriodSeconds: 7 * 24 * 3600}
	}
	s := st.New(t, dbtest.SQLite, st.WithRateLimits(limits), func(c *config.Config, _ *server.Options) {
		c.RedisURL, c.RedisPrefix = proxied.String(), prefix
	})
	t.Cleanup(func() {
		if keys, err := redisClient(t, redisURL).Keys(context.Background(), "rate:"+prefix+"*").Result(); err == nil && len(keys) > 0 {
			redisClient(t, redisURL).Del(context.Background(), keys...)
		}
	})
	admin := s.Signup(t, "Ada")
	bob := s.Signup(t, "Bob")
	s.SetRole(t, bob.ID, "USER")

	direct := redisClient(t, redisURL)
	limiterKeys := func() int {
		keys, err := direct.Keys(context.Background(), "rate:"+prefix+"*").Result()
		if err != nil {
			t.Fatalf("reading Redis directly: %v", err)
		}
		return len(keys)
	}
	if limiterKeys() == 0 {
		t.Fatal("no rate limit keys in Redis before the outage: the test cannot tell Redis is used")
	}

	const signin = `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`
	const record = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { event { id } } }`
	proxy.hold()
	// Generous: a Redis timeout per request would take minutes for these; fallbacks take well
	// under a second once the breaker is open.
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	for i := range 10 {
		r := queryWithin(ctx, t, s, "", signin, map[string]any{"e": bob.Email, "p": bob.Password})
		if len(r.Errors) > 0 || st.Get(r.Data, "signin.token") == nil {
			t.Fatalf("signin %d while Redis hangs: %s", i+1, r.Raw)
		}
		r = queryWithin(ctx, t, s, bob.Token, `{ me { id } }`, nil)
		if len(r.Errors) > 0 || st.Get(r.Data, "me.id") != bob.ID {
			t.Fatalf("me %d while Redis hangs: %s", i+1, r.Raw)
		}
		r = queryWithin(ctx, t, s, admin.Token, record, map[string]any{"in": map[string]any{
			"userId": bob.ID, "metric": "REQUESTS", "amount": 1, "idempotencyKey": fmt.Sprintf("hang-%d", i)}})
		if len(r.Errors) > 0 || st.Get(r.Data, "recordUsage.event.id") == nil {
			t.Fatalf("recordUsage %d while Redis hangs: %s", i+1, r.Raw)
		}
	}

	// Back: the next probes reach Redis, and the limits are counted there again.
	if keys := mustKeys(t, direct, "rate:"+prefix+"*"); len(keys) > 0 {
		if err := direct.Del(context.Background(), keys...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	proxy.forward()
	recovered, cancelRecovery := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancelRecovery()
	for limiterKeys() == 0 {
		select {
		case <-recovered.Done():
			t.Fatal("steward did not use Redis again after it recovered")
		case <-time.After(200 * time.Millisecond):
		}
		r := queryWithin(recovered, t, s, "", signin, map[string]any{"e": bob.Email, "p": bob.Password})
		if len(r.Errors) > 0 {
			t.Fatalf("signin after recovery: %s", r.Raw)
		}
	}
}

func redisClient(t *testing.T, rawURL string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

func mustKeys(t *testing.T, c *redis.Client, pattern string) []string {
	t.Helper()
	keys, err := c.Keys(context.Background(), pattern).Result()
	if err != nil {
		t.Fatalf("keys %s: %v", pattern, err)
	}
	return keys
}
