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

	"github.com/steward-dev/steward/internal/settings"
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
}

// YooKassa is the configuration of the YooKassa payment provider.
type YooKassa struct {
	ShopID    string
	SecretKey string
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
	cfg.YooKassa = YooKassa{ShopID: env("YOOKASSA_SHOP_ID", ""), SecretKey: env("YOOKASSA_SECRET_KEY", ""), APIURL: env("YOOKASSA_API_URL", "")}
	if o := env("CORS_ALLOW_ORIGIN", ""); o != "" {
		for _, p := range strings.Split(o, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.AllowedOrigins = append(cfg.AllowedOrigins, p)
			}
		}
	}
	var problems []error
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
	cfg.Env = env("STEWARD_ENV", "development")
	cfg.CookieSecure = cfg.Env == "production"
	proxies, err := ParsePrefixes(getenv("STEWARD_TRUSTED_PROXIES"))
	if err != nil {
		problems = append(problems, fmt.Errorf("STEWARD_TRUSTED_PROXIES: %w", err))
	}
	cfg.TrustedProxies = proxies
	boolVar("WEBUI_SESSION_COOKIE_SECURE", &cfg.CookieSecure)
	boolVar("STEWARD_TRUST_PROXY", &cfg.TrustProxy)
	boolVar("STEWARD_ALLOW_PRIVATE_TOOL_SERVERS", &cfg.AllowPrivateToolServers)
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
			return nil, errors.New("WEBUI_SECRET_KEY must be at least 32 characters")
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
