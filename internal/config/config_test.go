package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/settings"
)

func TestLoad(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(t *testing.T, c Config)
		wantErr string
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			if c.Addr != ":8080" || c.DatabaseURL != "steward.db" || !c.Auth.EnableSignup || c.Auth.DefaultUserRole != "PENDING" || c.Auth.JWTExpiresIn != "4w" || c.Auth.EnableAPIKeys {
				t.Fatalf("defaults = %+v", c)
			}
		}},
		{name: "Open WebUI variables", env: map[string]string{"ENABLE_SIGNUP": "false", "DEFAULT_USER_ROLE": "user", "JWT_EXPIRES_IN": "-1", "ENABLE_API_KEYS": "true", "STEWARD_ADDR": ":9000"},
			check: func(t *testing.T, c Config) {
				if c.Auth.EnableSignup || c.Auth.DefaultUserRole != "USER" || c.Auth.JWTExpiresIn != "-1" || !c.Auth.EnableAPIKeys || c.Addr != ":9000" {
					t.Fatalf("loaded = %+v", c)
				}
			}},
		{name: "flag beats env", env: map[string]string{"STEWARD_ADDR": ":9000"}, args: []string{"--addr", ":7000"},
			check: func(t *testing.T, c Config) {
				if c.Addr != ":7000" {
					t.Fatalf("addr = %s, want :7000", c.Addr)
				}
			}},
		{name: "production cookie is Secure", env: map[string]string{"STEWARD_ENV": "production"},
			check: func(t *testing.T, c Config) {
				if !c.CookieSecure || c.Env != "production" {
					t.Fatalf("CookieSecure = %v, Env = %q; want true, production", c.CookieSecure, c.Env)
				}
			}},
		{name: "production cookie can be turned off", env: map[string]string{"STEWARD_ENV": "production", "WEBUI_SESSION_COOKIE_SECURE": "false"},
			check: func(t *testing.T, c Config) {
				if c.CookieSecure {
					t.Fatal("CookieSecure = true, want false")
				}
			}},
		{name: "Open WebUI token window: a date lasts to its end",
			env: map[string]string{"STEWARD_ACCEPT_OPENWEBUI_TOKENS": "2027-01-31", "WEBUI_SECRET_KEY": strings.Repeat("k", 32)},
			check: func(t *testing.T, c Config) {
				if want := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC); !c.OpenWebUITokens.Until.Equal(want) || c.OpenWebUITokens.Secret != strings.Repeat("k", 32) {
					t.Fatalf("OpenWebUITokens = %+v, want until %v with WEBUI_SECRET_KEY", c.OpenWebUITokens, want)
				}
			}},
		{name: "Open WebUI token window: a time, and Open WebUI's own key",
			env: map[string]string{"STEWARD_ACCEPT_OPENWEBUI_TOKENS": "2027-01-31T18:00:00+03:00", "OPENWEBUI_SECRET_KEY": "short-owui-key16", "WEBUI_SECRET_KEY": strings.Repeat("k", 32)},
			check: func(t *testing.T, c Config) {
				if want := time.Date(2027, 1, 31, 15, 0, 0, 0, time.UTC); !c.OpenWebUITokens.Until.Equal(want) || c.OpenWebUITokens.Secret != "short-owui-key16" {
					t.Fatalf("OpenWebUITokens = %+v, want until %v with OPENWEBUI_SECRET_KEY", c.OpenWebUITokens, want)
				}
			}},
		{name: "Open WebUI token window: off by default", check: func(t *testing.T, c Config) {
			if !c.OpenWebUITokens.Until.IsZero() {
				t.Fatalf("OpenWebUITokens = %+v, want none", c.OpenWebUITokens)
			}
		}},
		{name: "Open WebUI token window needs Open WebUI's key", env: map[string]string{"STEWARD_ACCEPT_OPENWEBUI_TOKENS": "2027-01-31"},
			wantErr: "needs the key Open WebUI signed its tokens with"},
		{name: "Open WebUI token window: a bad end", env: map[string]string{"STEWARD_ACCEPT_OPENWEBUI_TOKENS": "next month", "OPENWEBUI_SECRET_KEY": "k"},
			wantErr: "STEWARD_ACCEPT_OPENWEBUI_TOKENS"},
		{name: "development cookie", check: func(t *testing.T, c Config) {
			if c.CookieSecure {
				t.Fatal("CookieSecure = true outside production, want false")
			}
		}},
		{name: "trusted proxies", env: map[string]string{"STEWARD_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7,::1"},
			check: func(t *testing.T, c Config) {
				got := fmt.Sprint(c.TrustedProxies)
				if want := "[10.0.0.0/8 192.168.1.7/32 ::1/128]"; got != want {
					t.Fatalf("TrustedProxies = %s, want %s", got, want)
				}
			}},
		{name: "bad trusted proxy", env: map[string]string{"STEWARD_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, wantErr: "STEWARD_TRUSTED_PROXIES"},
		{name: "bad role", env: map[string]string{"DEFAULT_USER_ROLE": "superuser"}, wantErr: "defaultUserRole"},
		{name: "bad boolean", env: map[string]string{"ENABLE_SIGNUP": "maybe"}, wantErr: "ENABLE_SIGNUP"},
		{name: "bad expiry", env: map[string]string{"JWT_EXPIRES_IN": "soon"}, wantErr: "jwtExpiresIn"},
		{name: "weak password policy", env: map[string]string{"STEWARD_PASSWORD_MIN_LENGTH": "4"}, wantErr: "passwordMinLength"},
		{name: "limit defaults", check: func(t *testing.T, c Config) {
			if got, want := c.Limits, DefaultLimits(); got != want {
				t.Fatalf("limits = %+v, want %+v", got, want)
			}
			if c.Production || !c.Introspection || c.PersistedOnly {
				t.Fatalf("production %v, introspection %v, persisted only %v; want false, true, false", c.Production, c.Introspection, c.PersistedOnly)
			}
		}},
		{name: "limits", env: map[string]string{"STEWARD_QUERY_LIMITS": "depth=20, complexity=50000", "STEWARD_ANONYMOUS_QUERY_LIMITS": "aliases=2",
			"STEWARD_MAX_BODY_BYTES": "2048", "STEWARD_REQUEST_TIMEOUT": "5s", "STEWARD_DEFAULT_PAGE_SIZE": "20", "STEWARD_MAX_PAGE_SIZE": "500"},
			check: func(t *testing.T, c Config) {
				l := c.Limits
				if l.SignedIn.Depth != 20 || l.SignedIn.Complexity != 50000 || l.SignedIn.Aliases != DefaultLimits().SignedIn.Aliases ||
					l.Anonymous.Aliases != 2 || l.BodyBytes != 2048 || l.Timeout != 5*time.Second || l.Pages.Default != 20 || l.Pages.Max != 500 {
					t.Fatalf("limits = %+v", l)
				}
			}},
		{name: "unknown limit", env: map[string]string{"STEWARD_QUERY_LIMITS": "width=3"}, wantErr: "width"},
		{name: "zero limit", env: map[string]string{"STEWARD_ANONYMOUS_QUERY_LIMITS": "depth=0"}, wantErr: "depth must be positive"},
		{name: "default page above max", env: map[string]string{"STEWARD_DEFAULT_PAGE_SIZE": "300"}, wantErr: "above the maximum"},
		{name: "bad timeout", env: map[string]string{"STEWARD_REQUEST_TIMEOUT": "30"}, wantErr: "STEWARD_REQUEST_TIMEOUT"},
		{name: "production", env: map[string]string{"STEWARD_ENV": "production", "STEWARD_PERSISTED_ONLY": "true", "STEWARD_PERSISTED_OPERATIONS": "ops.json"},
			check: func(t *testing.T, c Config) {
				if !c.Production || c.Introspection || !c.PersistedOnly || c.PersistedOperations != "ops.json" {
					t.Fatalf("production %v, introspection %v, persisted only %v %q", c.Production, c.Introspection, c.PersistedOnly, c.PersistedOperations)
				}
			}},
		{name: "production with introspection", env: map[string]string{"STEWARD_ENV": "production", "STEWARD_INTROSPECTION": "true"},
			check: func(t *testing.T, c Config) {
				if !c.Production || !c.Introspection {
					t.Fatalf("production %v, introspection %v, want both", c.Production, c.Introspection)
				}
			}},
		{name: "unknown environment", env: map[string]string{"STEWARD_ENV": "prod"}, wantErr: "STEWARD_ENV"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Load(c.args, func(k string) string { return c.env[k] })
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, cfg)
		})
	}
}

func TestSecretIsGeneratedOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Load([]string{"--db", filepath.Join(dir, "steward.db")}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SecretKeyFile != filepath.Join(dir, ".steward_secret_key") {
		t.Fatalf("secret key file = %s, want beside the database", cfg.SecretKeyFile)
	}
	first, err := cfg.Secret()
	if err != nil || len(first) < 32 {
		t.Fatalf("Secret = %q, %v", first, err)
	}
	second, _ := cfg.Secret()
	if string(first) != string(second) {
		t.Fatal("a second start generated another secret")
	}
	info, _ := os.Stat(cfg.SecretKeyFile)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode = %v, want 0600", info.Mode().Perm())
	}
	cfg.SecretKey = "short"
	if _, err := cfg.Secret(); err == nil {
		t.Fatal("a short WEBUI_SECRET_KEY was accepted")
	}
}

func TestLoadResourceLimits(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		wantWS      int
		wantAuth    time.Duration
		wantWebhook settings.RateRule
		wantErr     string
	}{
		{name: "defaults", wantWS: 50, wantAuth: 5 * time.Second, wantWebhook: settings.RateRule{Rate: 60, PeriodSeconds: 60}},
		{name: "set", env: map[string]string{"STEWARD_WS_MAX_PER_IP": "0", "STEWARD_WS_AUTH_TIMEOUT": "2s", "STEWARD_WEBHOOK_RATE_LIMIT": "10/1m"},
			wantWS: 0, wantAuth: 2 * time.Second, wantWebhook: settings.RateRule{Rate: 10, PeriodSeconds: 60}},
		{name: "webhook limit off", env: map[string]string{"STEWARD_WEBHOOK_RATE_LIMIT": "0"},
			wantWS: 50, wantAuth: 5 * time.Second, wantWebhook: settings.RateRule{}},
		{name: "bad count", env: map[string]string{"STEWARD_WS_MAX_PER_IP": "-1"}, wantErr: "STEWARD_WS_MAX_PER_IP"},
		{name: "bad timeout", env: map[string]string{"STEWARD_WS_AUTH_TIMEOUT": "5"}, wantErr: "STEWARD_WS_AUTH_TIMEOUT"},
		{name: "bad webhook limit", env: map[string]string{"STEWARD_WEBHOOK_RATE_LIMIT": "lots"}, wantErr: "STEWARD_WEBHOOK_RATE_LIMIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(nil, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.WSMaxPerIP != tt.wantWS || c.WSAuthTimeout != tt.wantAuth || c.WebhookRateLimit != tt.wantWebhook {
				t.Errorf("got ws %d, auth %s, webhook %+v; want %d, %s, %+v", c.WSMaxPerIP, c.WSAuthTimeout, c.WebhookRateLimit,
					tt.wantWS, tt.wantAuth, tt.wantWebhook)
			}
		})
	}
}

func TestLoadGatewayLeaseCalls(t *testing.T) {
	for env, want := range map[string]int64{"": 64, "0": 0, "8": 8} {
		c, err := Load(nil, func(k string) string {
			if k == "STEWARD_GATEWAY_LEASE_CALLS" {
				return env
			}
			return ""
		})
		if err != nil || c.Gateway.LeaseCalls != want {
			t.Errorf("STEWARD_GATEWAY_LEASE_CALLS=%q: %d, %v; want %d", env, c.Gateway.LeaseCalls, err, want)
		}
	}
	for _, bad := range []string{"-1", "lots", "100001"} {
		_, err := Load(nil, func(k string) string {
			if k == "STEWARD_GATEWAY_LEASE_CALLS" {
				return bad
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), "STEWARD_GATEWAY_LEASE_CALLS") {
			t.Errorf("STEWARD_GATEWAY_LEASE_CALLS=%q: err %v, want one naming the variable", bad, err)
		}
	}
}

func TestLoadGatewayLeaseIdle(t *testing.T) {
	only := func(v string) func(string) string {
		return func(k string) string {
			if k == "STEWARD_GATEWAY_LEASE_IDLE" {
				return v
			}
			return ""
		}
	}
	for env, want := range map[string]time.Duration{"": 0, "200ms": 200 * time.Millisecond, "3s": 3 * time.Second, "10m": 10 * time.Minute} {
		c, err := Load(nil, only(env))
		if err != nil || c.Gateway.LeaseIdle != want {
			t.Errorf("STEWARD_GATEWAY_LEASE_IDLE=%q: %s, %v; want %s", env, c.Gateway.LeaseIdle, err, want)
		}
	}
	for _, bad := range []string{"10ms", "soon", "11m"} {
		if _, err := Load(nil, only(bad)); err == nil || !strings.Contains(err.Error(), "STEWARD_GATEWAY_LEASE_IDLE") {
			t.Errorf("STEWARD_GATEWAY_LEASE_IDLE=%q: err %v, want one naming the variable", bad, err)
		}
	}
}
