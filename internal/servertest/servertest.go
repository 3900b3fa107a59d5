// Package servertest runs a real steward over HTTP against a throwaway database, for integration
// tests that go through the public GraphQL API as clients do.
package servertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	"github.com/steward-dev/steward/internal/settings"
)

// TestSecret signs the test servers' tokens.
const TestSecret = "test-secret-key-0123456789abcdef0123456789"

// Server is a running test server.
type Server struct {
	URL     string
	App     *server.App
	Backend dbtest.Backend
	Config  config.Config
	HTTP    *http.Client
}

// Option adjusts the configuration before the server starts.
type Option func(*config.Config, *server.Options)

// WithEnv loads the configuration from these environment variables (as `steward` would).
func WithEnv(env map[string]string) Option {
	return func(c *config.Config, _ *server.Options) {
		loaded, err := config.Load(nil, func(k string) string { return env[k] })
		if err != nil {
			panic(err)
		}
		loaded.DatabaseURL, loaded.SecretKey, loaded.SecretKeyFile = c.DatabaseURL, c.SecretKey, c.SecretKeyFile
		loaded.RedisURL, loaded.RedisPrefix = c.RedisURL, c.RedisPrefix
		if !hasRateLimitEnv(env) {
			loaded.Seeds.RateLimits = c.Seeds.RateLimits
		}
		*c = loaded
	}
}

// NewRedisPrefix returns a prefix unique to this test run.
func NewRedisPrefix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "steward-test:" + hex.EncodeToString(b) + ":"
}

// WithKeepAlive sets the websocket ping interval.
func WithKeepAlive(d time.Duration) Option {
	return func(_ *config.Config, o *server.Options) { o.KeepAlive = d }
}

// WithLogger sends the server's logs to logger instead of discarding them, for tests that read them.
func WithLogger(logger *slog.Logger) Option {
	return func(_ *config.Config, o *server.Options) { o.Logger = logger }
}

// WithGatesOff turns the schema's @hasRole and @hasPermission gates off (see server.Options).
func WithGatesOff() Option {
	return func(_ *config.Config, o *server.Options) { o.GatesOff = true }
}

// WithClock sets the server's clock.
func WithClock(now func() time.Time) Option {
	return func(_ *config.Config, o *server.Options) { o.Now = now }
}

// WithDatabaseURL starts the server on an existing database (another test server's
// Config.DatabaseURL) instead of a fresh one, as a second replica or a restart would.
func WithDatabaseURL(url string) Option {
	return func(c *config.Config, _ *server.Options) { c.DatabaseURL = url }
}

// WithRateLimits seeds these rate limits instead of the loose test defaults.
func WithRateLimits(r settings.RateLimits) Option {
	return func(c *config.Config, _ *server.Options) { c.Seeds.RateLimits = r }
}

// WithRedis connects the server to the Redis of STEWARD_TEST_REDIS_URL (the test is skipped when
// it is unset), with prefix in front of its keys and channels: servers given the same prefix
// share limits and settings changes, as replicas do.
func WithRedis(t testing.TB, prefix string) Option {
	t.Helper()
	url := RedisURL(t)
	t.Cleanup(func() { deleteRedisKeys(t, url, "rate:"+prefix+"*") })
	return func(c *config.Config, _ *server.Options) { c.RedisURL, c.RedisPrefix = url, prefix }
}

// WithVerifyTimeout sets the tool server verification timeout.
func WithVerifyTimeout(d time.Duration) Option {
	return func(_ *config.Config, o *server.Options) { o.VerifyTimeout = d }
}

// deleteRedisKeys removes a test's keys (the limiter's expire on their own, but tests clean up).
func deleteRedisKeys(t testing.TB, url, pattern string) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	iter := c.Scan(ctx, 0, pattern, 100).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if len(keys) > 0 {
		if err := c.Del(ctx, keys...).Err(); err != nil {
			t.Logf("deleting test keys: %v", err)
		}
	}
}

// RedisEnv names the variable that points tests at a Redis server.
const RedisEnv = "STEWARD_TEST_REDIS_URL"

// RedisURL returns STEWARD_TEST_REDIS_URL, skipping the test when it is unset.
func RedisURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(RedisEnv)
	if url == "" {
		t.Skip(RedisEnv + " not set: skipping Redis test")
	}
	return url
}

// LooseRateLimits are the test servers' default limits: every test client comes from 127.0.0.1
// and many tests sign up and sign in far more often than a person would, so the limits are high
// enough never to trigger unless a test sets its own.
func LooseRateLimits() settings.RateLimits {
	r := settings.DefaultRateLimits()
	for _, rule := range []*settings.RateRule{&r.SigninPerEmail, &r.SigninPerIP, &r.SignupPerIP, &r.MutationsPerUser, &r.RequestsPerIP} {
		rule.Rate = 100000
	}
	return r
}

func hasRateLimitEnv(env map[string]string) bool {
	for k := range env {
		if strings.HasPrefix(k, "STEWARD_RATE_LIMIT") {
			return true
		}
	}
	return false
}

// ForEachBackend runs fn as a subtest on SQLite and, when configured, on PostgreSQL.
func ForEachBackend(t *testing.T, fn func(t *testing.T, b dbtest.Backend)) {
	t.Helper()
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) { fn(t, b) })
	}
}

// New starts a server on a fresh database of backend b.
func New(t testing.TB, b dbtest.Backend, opts ...Option) *Server {
	t.Helper()
	cfg, err := config.Load(nil, func(string) string { return "" })
	if err != nil {
		t.Fatalf("default config: %v", err)
	}
	cfg.DatabaseURL = "" // a fresh database unless an option names one
	cfg.SecretKey = TestSecret
	cfg.Seeds.RateLimits = LooseRateLimits()
	sopts := server.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		// A cheap argon2id cost keeps tests fast; production uses OWASP's parameters.
		Argon2: auth.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1},
	}
	for _, o := range opts {
		o(&cfg, &sopts)
	}
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = dbtest.NewURL(t, b)
	}
	app, err := server.New(context.Background(), cfg, sopts)
	if err != nil {
		t.Fatalf("starting server: %v", err)
	}
	ts := httptest.NewServer(app.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = app.Close()
	})
	return &Server{URL: ts.URL, App: app, Backend: b, Config: cfg, HTTP: ts.Client()}
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Response is a decoded GraphQL response with its HTTP status and headers.
type Response struct {
	Status  int
	Header  http.Header
	Cookies []*http.Cookie
	Data    map[string]any
	Errors  []Error
	Raw     string
}

// Code returns the extensions.code of the first error, or "" when there is none.
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Request is one GraphQL call.
type Request struct {
	Query     string
	Variables map[string]any
	// Token is sent as Authorization: Bearer when set.
	Token string
	// Cookie is sent as the token cookie when set.
	Cookie string
	Header map[string]string
}

// Do posts req and decodes the answer; transport failures fail the test.
func (s *Server) Do(t testing.TB, req Request) *Response {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": req.Query, "variables": req.Variables})
	hr, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	if req.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+req.Token)
	}
	if req.Cookie != "" {
		hr.AddCookie(&http.Cookie{Name: "token", Value: req.Cookie})
	}
	for k, v := range req.Header {
		hr.Header.Set(k, v)
	}
	resp, err := s.HTTP.Do(hr)
	if err != nil {
		t.Fatalf("posting GraphQL: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Cookies: resp.Cookies(), Raw: string(raw)}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("decoding response %q: %v", raw, err)
	}
	return out
}

// Query runs query with a bearer token (may be empty) and variables given as key, value pairs.
func (s *Server) Query(t testing.TB, token, query string, kv ...any) *Response {
	t.Helper()
	vars := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		vars[kv[i].(string)] = kv[i+1]
	}
	return s.Do(t, Request{Query: query, Variables: vars, Token: token})
}

// MustQuery is Query that fails the test on any GraphQL error.
func (s *Server) MustQuery(t testing.TB, token, query string, kv ...any) map[string]any {
	t.Helper()
	r := s.Query(t, token, query, kv...)
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %s", r.Raw)
	}
	return r.Data
}

// Account is a signed-up user.
type Account struct {
	ID, Email, Password, Token string
}

// Signup creates an account through the API. The first one becomes admin.
func (s *Server) Signup(t testing.TB, name string) Account {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
	password := "password-of-" + strings.ToLower(name)
	d := s.MustQuery(t, "", `mutation($in: SignupInput!) { signup(input: $in) { token user { id } } }`,
		"in", map[string]any{"name": name, "email": email, "password": password})
	p := d["signup"].(map[string]any)
	return Account{ID: Get(p, "user.id").(string), Email: email, Password: password, Token: p["token"].(string)}
}

// SetRole changes an account's role straight in the database, as an operator tool would, and
// tells the service, as such a tool must.
func (s *Server) SetRole(t testing.TB, userID, role string) {
	t.Helper()
	ctx := context.Background()
	err := s.App.DB.Client.User.UpdateOneID(userID).SetRole(user.Role(role)).Exec(authz.As(ctx, authz.Operator))
	if err != nil {
		t.Fatalf("setting role: %v", err)
	}
	s.App.Credentials.CredentialsChanged(ctx, userID) // as every account change in the service does
}

// Get walks a dotted path ("signup.user.id", "users.edges.0.node") through decoded JSON.
func Get(v any, path string) any {
	for _, p := range strings.Split(path, ".") {
		switch n := v.(type) {
		case map[string]any:
			v = n[p]
		case []any:
			var i int
			if _, err := fmt.Sscanf(p, "%d", &i); err != nil || i < 0 || i >= len(n) {
				return nil
			}
			v = n[i]
		default:
			return nil
		}
	}
	return v
}

// Clock is a settable clock for servers started WithClock(c.Now).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Signin signs an account in again and returns the new token.
func (s *Server) Signin(t testing.TB, a Account) string {
	t.Helper()
	d := s.MustQuery(t, "", `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`,
		"e", a.Email, "p", a.Password)
	return Get(d, "signin.token").(string)
}
