// Package config reads steward's start-up configuration from flags and the environment. Variables
// keep Open WebUI's names where the concept is the same, and use STEWARD_* otherwise.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/steward-dev/steward/internal/gqllimit"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/internal/tracing"
)

// Config is everything steward needs to start.
type Config struct {
	// Addr is the listen address (STEWARD_ADDR, --addr).
	Addr string
	// DatabaseURL is a postgres:// URL or a SQLite path (DATABASE_URL, --db).
	DatabaseURL string
	// RedisURL turns on cross-replica features (REDIS_URL).
	RedisURL string
	// RedisPrefix starts every Redis key and channel steward uses (STEWARD_REDIS_PREFIX), so that
	// several deployments can share one Redis.
	RedisPrefix string
	// SecretKey signs tokens (WEBUI_SECRET_KEY); generated and kept in SecretKeyFile when empty.
	SecretKey     string
	SecretKeyFile string
	// CookieSecure marks the token cookie Secure (WEBUI_SESSION_COOKIE_SECURE).
	CookieSecure bool
	// AllowedOrigins may call the API from browsers, websockets included (CORS_ALLOW_ORIGIN,
	// a comma-separated list; "*" allows any origin).
	AllowedOrigins []string
	// Auth seeds the persisted authentication settings on first start.
	Auth settings.Auth
	// Seeds seed the other persisted sections on first start (Open WebUI's variables for each).
	Seeds settings.Seeds
	// AllowPrivateToolServers lets verifyToolServer reach loopback, private and link-local
	// addresses (STEWARD_ALLOW_PRIVATE_TOOL_SERVERS).
	AllowPrivateToolServers bool
	// BypassAdminAccessControl lets admins read and write every resource (BYPASS_ADMIN_ACCESS_CONTROL).
	BypassAdminAccessControl bool
	// TrustedProxies are the proxies (addresses or CIDRs, STEWARD_TRUSTED_PROXIES) whose
	// X-Forwarded-For is believed: the client address is the rightmost entry that is not one of them.
	TrustedProxies []netip.Prefix
	// TrustProxy is the deprecated STEWARD_TRUST_PROXY: true trusts loopback proxies when
	// TrustedProxies is empty.
	TrustProxy bool
	// Env is the deployment kind (STEWARD_ENV); "production" turns on safe defaults such as a
	// Secure token cookie.
	Env string
	// PprofAddr, when set (STEWARD_PPROF_ADDR, e.g. 127.0.0.1:6060), serves Go's profiler there,
	// on its own listener so it is never exposed with the API.
	PprofAddr string
	// LogFormat is "text" or "json" (STEWARD_LOG_FORMAT).
	LogFormat string
	// DefaultPlanID is the billing plan new accounts get (STEWARD_DEFAULT_PLAN_ID).
	DefaultPlanID string
	// WebhookRateLimit bounds the payment webhook calls of one client address
	// (STEWARD_WEBHOOK_RATE_LIMIT, "N/period", default 60/1m; "0" turns it off): each call costs a
	// request to the payment provider, so a flood is refused before it is amplified.
	WebhookRateLimit settings.RateRule
	// WSMaxPerIP bounds the open websockets of one client address (STEWARD_WS_MAX_PER_IP,
	// default 50; 0 means no limit).
	WSMaxPerIP int
	// WSAuthTimeout is how long a websocket may stay open without a signed-in viewer
	// (STEWARD_WS_AUTH_TIMEOUT, a Go duration, default 5s).
	WSAuthTimeout time.Duration
	// YooKassa holds the payment provider's credentials (YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY,
	// YOOKASSA_API_URL); without them payments are off.
	YooKassa YooKassa
	// Recurring and Receipts configure renewal charges of saved methods and fiscal receipts.
	Recurring Recurring
	Receipts  Receipts
	// Limits bound what one request may cost.
	Limits Limits
	// Tracing says where OpenTelemetry traces go (OTEL_EXPORTER_OTLP_ENDPOINT and the other
	// standard variables); without an endpoint tracing is off.
	Tracing tracing.Config
	// Production is STEWARD_ENV=production: introspection and suggestions default to off.
	Production bool
	// Introspection lets every caller, not only admins, introspect the schema and see "Did you
	// mean" suggestions (STEWARD_INTROSPECTION; defaults to true outside production).
	Introspection bool
	// PersistedOnly runs only persisted operations, except for admins (STEWARD_PERSISTED_ONLY).
	PersistedOnly bool
	// PersistedOperations is a JSON file mapping SHA-256 hashes to allowed operations
	// (STEWARD_PERSISTED_OPERATIONS).
	PersistedOperations string
	// Gateway configures the OpenAI-compatible API at /v1 (STEWARD_GATEWAY_*, see gateway.go).
	Gateway Gateway
	// External configures sign-in through external identities (WEBUI_URL, trusted headers).
	External External
	// OpenWebUITokens keeps Open WebUI's tokens working for imported accounts for a while.
	OpenWebUITokens OpenWebUITokens
}

// Limits bound every GraphQL request; see internal/gqllimit.
type Limits struct {
	// BodyBytes bounds a request body (STEWARD_MAX_BODY_BYTES).
	BodyBytes int64
	// ResponseBytes bounds an answer's data (STEWARD_MAX_RESPONSE_BYTES).
	ResponseBytes int
	// Timeout is the deadline of a query or mutation (STEWARD_REQUEST_TIMEOUT).
	Timeout time.Duration
	// SignedIn and Anonymous bound the operation document (STEWARD_QUERY_LIMITS and
	// STEWARD_ANONYMOUS_QUERY_LIMITS, e.g. "depth=12,complexity=20000").
	SignedIn, Anonymous gqllimit.Limits
	// Pages are the default and maximum page sizes (STEWARD_DEFAULT_PAGE_SIZE, STEWARD_MAX_PAGE_SIZE).
	Pages gqllimit.Pages
}

// DefaultLimits are the limits without configuration.
func DefaultLimits() Limits {
	return Limits{BodyBytes: 1 << 20, ResponseBytes: 8 << 20, Timeout: 30 * time.Second,
		SignedIn: gqllimit.DefaultLimits(), Anonymous: gqllimit.DefaultAnonymousLimits(), Pages: gqllimit.DefaultPages()}
}

// Validate reports every limit out of range.
func (l Limits) Validate() error {
	var problems []error
	if l.BodyBytes <= 0 || l.ResponseBytes <= 0 || l.Timeout <= 0 {
		problems = append(problems, errors.New("body size, response size and request timeout must be positive"))
	}
	if err := l.SignedIn.Validate(); err != nil {
		problems = append(problems, fmt.Errorf("STEWARD_QUERY_LIMITS: %w", err))
	}
	if err := l.Anonymous.Validate(); err != nil {
		problems = append(problems, fmt.Errorf("STEWARD_ANONYMOUS_QUERY_LIMITS: %w", err))
	}
	if err := l.Pages.Validate(); err != nil {
		problems = append(problems, err)
	}
	return errors.Join(problems...)
}

// parseQueryLimits applies "key=value,..." (keys: bytes, tokens, depth, aliases, spreads,
// repeats, complexity) over l; keys left out keep their value.
func parseQueryLimits(s string, l gqllimit.Limits) (gqllimit.Limits, error) {
	fields := map[string]*int{"bytes": &l.QueryBytes, "tokens": &l.Tokens, "depth": &l.Depth, "aliases": &l.Aliases,
		"spreads": &l.Spreads, "repeats": &l.Repeats, "complexity": &l.Complexity}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dst, ok := fields[strings.TrimSpace(k)]
		if !ok {
			return l, fmt.Errorf("unknown limit %q (want bytes, tokens, depth, aliases, spreads, repeats or complexity)", k)
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return l, fmt.Errorf("limit %q: %q is not a number", k, v)
		}
		*dst = n
	}
	return l, nil
}

// YooKassa is the configuration of the YooKassa payment provider; Config.Recurring and
// Config.Receipts say how it is used.
type YooKassa struct {
	ShopID    string
	SecretKey string
	// SyncAfter is how long a payment may stay PENDING before the billing job re-reads it from
	// YooKassa, in case its notification was lost (STEWARD_PAYMENT_SYNC_AFTER, default 10m).
	SyncAfter time.Duration
	// APIURL overrides the API root (tests point it at a fake server).
	APIURL string
}

// Load reads flags from args (without the program name) and variables through getenv.
func Load(args []string, getenv func(string) string) (Config, error) {
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	cfg := Config{Auth: settings.DefaultAuth(), Seeds: settings.DefaultSeeds()}
	fs := flag.NewFlagSet("steward", flag.ContinueOnError)
	fs.StringVar(&cfg.Addr, "addr", env("STEWARD_ADDR", ":8080"), "listen address (STEWARD_ADDR)")
	fs.StringVar(&cfg.DatabaseURL, "db", env("DATABASE_URL", "steward.db"), "SQLite file or postgres:// URL (DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	cfg.RedisURL = env("REDIS_URL", "")
	cfg.RedisPrefix = env("STEWARD_REDIS_PREFIX", "steward:")
	cfg.SecretKey = env("WEBUI_SECRET_KEY", "")
	cfg.SecretKeyFile = env("STEWARD_SECRET_KEY_FILE", defaultSecretKeyFile(cfg.DatabaseURL))
	cfg.LogFormat = env("STEWARD_LOG_FORMAT", "text")
	cfg.PprofAddr = env("STEWARD_PPROF_ADDR", "")
	cfg.DefaultPlanID = env("STEWARD_DEFAULT_PLAN_ID", "")
	cfg.External = loadExternal(getenv)
	cfg.YooKassa = YooKassa{ShopID: env("YOOKASSA_SHOP_ID", ""), SecretKey: env("YOOKASSA_SECRET_KEY", ""), APIURL: env("YOOKASSA_API_URL", "")}
	if o := env("CORS_ALLOW_ORIGIN", ""); o != "" {
		for _, p := range strings.Split(o, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.AllowedOrigins = append(cfg.AllowedOrigins, p)
			}
		}
	}
	var problems []error
	var err error
	if cfg.OpenWebUITokens, err = loadOpenWebUITokens(getenv, cfg.SecretKey); err != nil {
		problems = append(problems, err)
	}
	boolVar := func(name string, dst *bool) {
		v := getenv(name)
		if strings.TrimSpace(v) == "" {
			return
		}
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			problems = append(problems, fmt.Errorf("%s=%q is not a boolean", name, v))
			return
		}
		*dst = b
	}
	cfg.BypassAdminAccessControl = true
	boolVar("BYPASS_ADMIN_ACCESS_CONTROL", &cfg.BypassAdminAccessControl)
	cfg.Env = strings.ToLower(strings.TrimSpace(env("STEWARD_ENV", "development")))
	cfg.CookieSecure = cfg.Env == "production"
	proxies, err := ParsePrefixes(getenv("STEWARD_TRUSTED_PROXIES"))
	if err != nil {
		problems = append(problems, fmt.Errorf("STEWARD_TRUSTED_PROXIES: %w", err))
	}
	cfg.TrustedProxies = proxies
	boolVar("WEBUI_SESSION_COOKIE_SECURE", &cfg.CookieSecure)
	boolVar("STEWARD_TRUST_PROXY", &cfg.TrustProxy)
	boolVar("STEWARD_ALLOW_PRIVATE_TOOL_SERVERS", &cfg.AllowPrivateToolServers)
	if cfg.Tracing, err = tracing.FromEnv(getenv); err != nil {
		problems = append(problems, err)
	}
	seeds, err := settings.SeedsFromEnv(getenv)
	if err != nil {
		problems = append(problems, err)
	}
	cfg.Seeds = seeds
	boolVar("ENABLE_SIGNUP", &cfg.Auth.EnableSignup)
	boolVar("ENABLE_API_KEYS", &cfg.Auth.EnableAPIKeys)
	boolVar("ENABLE_API_KEY", &cfg.Auth.EnableAPIKeys) // Open WebUI's older spelling
	boolVar("SHOW_ADMIN_DETAILS", &cfg.Auth.ShowAdminDetails)
	if r := getenv("DEFAULT_USER_ROLE"); r != "" {
		cfg.Auth.DefaultUserRole = strings.ToUpper(strings.TrimSpace(r))
	}
	cfg.Auth.DefaultGroupID = env("DEFAULT_GROUP_ID", "")
	cfg.Auth.JWTExpiresIn = env("JWT_EXPIRES_IN", cfg.Auth.JWTExpiresIn)
	if v := getenv("STEWARD_PASSWORD_MIN_LENGTH"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			problems = append(problems, fmt.Errorf("STEWARD_PASSWORD_MIN_LENGTH=%q is not a number", v))
		}
		cfg.Auth.PasswordMinLength = n
	}
	cfg.WebhookRateLimit = settings.RateRule{Rate: 60, PeriodSeconds: 60}
	if v := getenv("STEWARD_WEBHOOK_RATE_LIMIT"); strings.TrimSpace(v) != "" {
		r, err := settings.ParseRateRule(v)
		if err != nil {
			problems = append(problems, fmt.Errorf("STEWARD_WEBHOOK_RATE_LIMIT: %w", err))
		}
		cfg.WebhookRateLimit = r
	}
	cfg.WSMaxPerIP = 50
	if v := strings.TrimSpace(getenv("STEWARD_WS_MAX_PER_IP")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			problems = append(problems, fmt.Errorf("STEWARD_WS_MAX_PER_IP=%q is not a count (0 for no limit)", v))
		}
		cfg.WSMaxPerIP = n
	}
	cfg.YooKassa.SyncAfter = 10 * time.Minute
	if v := strings.TrimSpace(getenv("STEWARD_PAYMENT_SYNC_AFTER")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Errorf("STEWARD_PAYMENT_SYNC_AFTER=%q is not a positive duration (e.g. 10m)", v))
		}
		cfg.YooKassa.SyncAfter = d
	}
	cfg.WSAuthTimeout = 5 * time.Second
	if v := strings.TrimSpace(getenv("STEWARD_WS_AUTH_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Errorf("STEWARD_WS_AUTH_TIMEOUT=%q is not a positive duration (e.g. 5s)", v))
		}
		cfg.WSAuthTimeout = d
	}
	if err := cfg.Auth.Validate(); err != nil {
		problems = append(problems, fmt.Errorf("authentication settings: %w", err))
	}
	problems = append(problems, loadLimits(&cfg, getenv, boolVar)...)
	problems = append(problems, loadRecurring(&cfg, getenv, boolVar)...)
	return cfg, errors.Join(problems...)
}

// ParsePrefixes reads a comma-separated list of addresses ("10.0.0.7") and CIDRs ("10.0.0.0/8").
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if strings.Contains(p, "/") {
			pre, err := netip.ParsePrefix(p)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", p)
			}
			out = append(out, pre.Masked())
			continue
		}
		addr, err := netip.ParseAddr(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR", p)
		}
		addr = addr.Unmap()
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return out, nil
}

// loadLimits reads the request limits and the production switches.
func loadLimits(cfg *Config, getenv func(string) string, boolVar func(string, *bool)) []error {
	var problems []error
	intVar := func(name string, set func(int64)) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s=%q is not a number", name, v))
				return
			}
			set(n)
		}
	}
	l := DefaultLimits()
	intVar("STEWARD_MAX_BODY_BYTES", func(n int64) { l.BodyBytes = n })
	intVar("STEWARD_MAX_RESPONSE_BYTES", func(n int64) { l.ResponseBytes = int(n) })
	intVar("STEWARD_DEFAULT_PAGE_SIZE", func(n int64) { l.Pages.Default = int(n) })
	intVar("STEWARD_MAX_PAGE_SIZE", func(n int64) { l.Pages.Max = int(n) })
	if v := strings.TrimSpace(getenv("STEWARD_REQUEST_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			problems = append(problems, fmt.Errorf("STEWARD_REQUEST_TIMEOUT=%q is not a duration (e.g. 30s)", v))
		}
		l.Timeout = d
	}
	var err error
	if l.SignedIn, err = parseQueryLimits(getenv("STEWARD_QUERY_LIMITS"), l.SignedIn); err != nil {
		problems = append(problems, fmt.Errorf("STEWARD_QUERY_LIMITS: %w", err))
	}
	if l.Anonymous, err = parseQueryLimits(getenv("STEWARD_ANONYMOUS_QUERY_LIMITS"), l.Anonymous); err != nil {
		problems = append(problems, fmt.Errorf("STEWARD_ANONYMOUS_QUERY_LIMITS: %w", err))
	}
	if err := l.Validate(); err != nil {
		problems = append(problems, err)
	}
	cfg.Limits = l
	switch cfg.Env {
	case "development":
	case "production":
		cfg.Production = true
	default:
		problems = append(problems, fmt.Errorf("STEWARD_ENV=%q: want production or development", cfg.Env))
	}
	cfg.Introspection = !cfg.Production
	boolVar("STEWARD_INTROSPECTION", &cfg.Introspection)
	boolVar("STEWARD_PERSISTED_ONLY", &cfg.PersistedOnly)
	cfg.PersistedOperations = strings.TrimSpace(getenv("STEWARD_PERSISTED_OPERATIONS"))
	problems = append(problems, loadGateway(getenv, &cfg.Gateway)...)
	return problems
}

// defaultSecretKeyFile keeps the generated key beside a SQLite database, or in the working folder.
func defaultSecretKeyFile(dbURL string) string {
	if strings.Contains(dbURL, "://") && !strings.HasPrefix(dbURL, "sqlite://") {
		return ".steward_secret_key"
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return filepath.Join(filepath.Dir(path), ".steward_secret_key")
}

// Secret returns the JWT secret: WEBUI_SECRET_KEY when set, otherwise the key in SecretKeyFile,
// generated (256 random bits, file mode 0600) the first time.
func (c Config) Secret() ([]byte, error) {
	if c.SecretKey != "" {
		if len(c.SecretKey) < 32 {
			return nil, errors.New("WEBUI_SECRET_KEY must be at least 32 characters; moving from Open WebUI with a shorter key, give steward a new one and put the old one in OPENWEBUI_SECRET_KEY so that its tokens keep working")
		}
		return []byte(c.SecretKey), nil
	}
	if b, err := os.ReadFile(c.SecretKeyFile); err == nil {
		key := strings.TrimSpace(string(b))
		if len(key) < 32 {
			return nil, fmt.Errorf("secret key in %s is shorter than 32 characters", c.SecretKeyFile)
		}
		return []byte(key), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading secret key: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	key := hex.EncodeToString(raw)
	f, err := os.OpenFile(c.SecretKeyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return c.Secret() // another process won the race: use its key
	}
	if err != nil {
		return nil, fmt.Errorf("creating secret key file: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString(key + "\n"); err != nil {
		return nil, fmt.Errorf("writing secret key file: %w", err)
	}
	return []byte(key), nil
}
