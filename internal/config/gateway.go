package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Gateway configures the OpenAI-compatible API at /v1 (internal/gateway). Its upstreams are in
// the connections settings (seeded from OPENAI_API_BASE_URLS and OPENAI_API_KEYS).
type Gateway struct {
	// DefaultMaxTokens is held for an answer whose request sets no max_tokens
	// (STEWARD_GATEWAY_DEFAULT_MAX_TOKENS, default 4096).
	DefaultMaxTokens int64
	// UnknownUsers is what a forwarded user steward does not know gets
	// (STEWARD_GATEWAY_UNKNOWN_USERS): "refuse" (default) or "pending" (an account awaiting approval).
	UnknownUsers string
	// MaxBodyBytes bounds a request body (STEWARD_GATEWAY_MAX_BODY_BYTES, default 8 MiB).
	MaxBodyBytes int64
	// HoldTTL bounds how long an unsettled call holds quota, for a process that dies mid-call
	// (STEWARD_GATEWAY_HOLD_TTL, a Go duration, default 10m).
	HoldTTL time.Duration
	// LeaseCalls is how many calls' worth of quota one lease takes, so that calls are admitted
	// in memory and written in batches (STEWARD_GATEWAY_LEASE_CALLS, default 64; 0 holds every
	// call in the database on its own; see billing.Leases).
	LeaseCalls int64
	// LeaseIdle gives a user's lease back after this long without calls
	// (STEWARD_GATEWAY_LEASE_IDLE, a Go duration from 100ms to 10m; zero, the default, means 2m
	// for a process alone and 10s with REDIS_URL): a user who calls again within it is admitted
	// from memory; one who calls after it waits for a new lease (one write to the database).
	LeaseIdle time.Duration
	// ServerTiming adds a Server-Timing header to the gateway's answers with the time each step
	// of a call took before its answer started (STEWARD_GATEWAY_SERVER_TIMING=true; off by
	// default, as it shows internals: for load tests such as steward-bench gateway --trace-slow).
	ServerTiming bool
}

// DefaultGateway is the gateway without configuration.
func DefaultGateway() Gateway {
	return Gateway{DefaultMaxTokens: 4096, UnknownUsers: "refuse", MaxBodyBytes: 8 << 20, HoldTTL: 10 * time.Minute, LeaseCalls: 64}
}

// loadGateway reads STEWARD_GATEWAY_*, reporting every bad value.
func loadGateway(getenv func(string) string, g *Gateway) []error {
	*g = DefaultGateway()
	var problems []error
	positive := func(name string, dst *int64, limit int64) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 || n > limit {
				problems = append(problems, fmt.Errorf("%s=%q: want a whole number from 1 to %d", name, v, limit))
				return
			}
			*dst = n
		}
	}
	positive("STEWARD_GATEWAY_DEFAULT_MAX_TOKENS", &g.DefaultMaxTokens, 10_000_000)
	positive("STEWARD_GATEWAY_MAX_BODY_BYTES", &g.MaxBodyBytes, 1<<30)
	if v := strings.ToLower(strings.TrimSpace(getenv("STEWARD_GATEWAY_UNKNOWN_USERS"))); v != "" {
		if v != "refuse" && v != "pending" {
			problems = append(problems, fmt.Errorf("STEWARD_GATEWAY_UNKNOWN_USERS=%q: want refuse or pending", v))
		} else {
			g.UnknownUsers = v
		}
	}
	if v := strings.TrimSpace(getenv("STEWARD_GATEWAY_HOLD_TTL")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute || d > 24*time.Hour {
			problems = append(problems, fmt.Errorf("STEWARD_GATEWAY_HOLD_TTL=%q: want a duration from 1m to 24h", v))
		} else {
			g.HoldTTL = d
		}
	}
	if v := strings.TrimSpace(getenv("STEWARD_GATEWAY_LEASE_CALLS")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 100_000 {
			problems = append(problems, fmt.Errorf("STEWARD_GATEWAY_LEASE_CALLS=%q: want a whole number from 0 to 100000", v))
		} else {
			g.LeaseCalls = n
		}
	}
	if v := strings.TrimSpace(getenv("STEWARD_GATEWAY_LEASE_IDLE")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > 10*time.Minute {
			problems = append(problems, fmt.Errorf("STEWARD_GATEWAY_LEASE_IDLE=%q: want a duration from 100ms to 10m", v))
		} else {
			g.LeaseIdle = d
		}
	}
	if v := strings.TrimSpace(getenv("STEWARD_GATEWAY_SERVER_TIMING")); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			problems = append(problems, fmt.Errorf("STEWARD_GATEWAY_SERVER_TIMING=%q: want true or false", v))
		} else {
			g.ServerTiming = on
		}
	}
	return problems
}
