package settings

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/ratelimit"
)

// RateLimitsKey is the section holding the rate limits.
const RateLimitsKey = "rateLimits"

// RateRule allows Rate events per PeriodSeconds, a rolling window. Rate 0 turns the rule off.
type RateRule struct {
	Rate          int `json:"rate"`
	PeriodSeconds int `json:"periodSeconds"`
}

// Limit returns the rule as a limiter limit; ok is false when the rule is off.
func (r RateRule) Limit() (ratelimit.Limit, bool) {
	if r.Rate <= 0 {
		return ratelimit.Limit{}, false
	}
	return ratelimit.Limit{Rate: r.Rate, Period: time.Duration(r.PeriodSeconds) * time.Second}, true
}

func (r RateRule) validate(field string) error {
	if r.Rate < 0 || r.Rate > 1_000_000 {
		return errs.Invalid(field+".rate", "must be between 0 (off) and 1000000")
	}
	if r.Rate > 0 && (r.PeriodSeconds < 1 || r.PeriodSeconds > 7*24*3600) {
		return errs.Invalid(field+".periodSeconds", "must be between 1 second and 7 days")
	}
	return nil
}

// RateLimits holds every limit the server enforces. Sign-in is limited per email (Open WebUI's
// 15 per 3 minutes) and, higher, per client address, so that one address cannot try many
// accounts; RequestsPerIP is a ceiling on every GraphQL request of an address.
type RateLimits struct {
	Enabled          bool     `json:"enabled"`
	SigninPerEmail   RateRule `json:"signinPerEmail"`
	SigninPerIP      RateRule `json:"signinPerIp"`
	SignupPerIP      RateRule `json:"signupPerIp"`
	MutationsPerUser RateRule `json:"mutationsPerUser"`
	RequestsPerIP    RateRule `json:"requestsPerIp"`
}

// DefaultRateLimits are steward's defaults.
func DefaultRateLimits() RateLimits {
	return RateLimits{
		Enabled:          true,
		SigninPerEmail:   RateRule{Rate: 15, PeriodSeconds: 180},
		SigninPerIP:      RateRule{Rate: 60, PeriodSeconds: 180},
		SignupPerIP:      RateRule{Rate: 20, PeriodSeconds: 3600},
		MutationsPerUser: RateRule{Rate: 300, PeriodSeconds: 60},
		RequestsPerIP:    RateRule{Rate: 1200, PeriodSeconds: 60},
	}
}

// Validate checks every rule.
func (r RateLimits) Validate() error {
	for _, x := range r.rules() {
		if err := x.rule.validate(x.field); err != nil {
			return err
		}
	}
	return nil
}

type namedRule struct {
	field string
	rule  *RateRule
}

func (r *RateLimits) rules() []namedRule {
	return []namedRule{
		{"signinPerEmail", &r.SigninPerEmail}, {"signinPerIp", &r.SigninPerIP}, {"signupPerIp", &r.SignupPerIP},
		{"mutationsPerUser", &r.MutationsPerUser}, {"requestsPerIp", &r.RequestsPerIP},
	}
}

// RateRulePatch changes the fields of one rule that are set.
type RateRulePatch struct {
	Rate          *int
	PeriodSeconds *int
}

// RateLimitsPatch changes the fields that are set and keeps the others.
type RateLimitsPatch struct {
	Enabled          *bool
	SigninPerEmail   *RateRulePatch
	SigninPerIP      *RateRulePatch
	SignupPerIP      *RateRulePatch
	MutationsPerUser *RateRulePatch
	RequestsPerIP    *RateRulePatch
}

func (p RateLimitsPatch) apply(r RateLimits) RateLimits {
	setIf(&r.Enabled, p.Enabled)
	for i, x := range r.rules() {
		q := []*RateRulePatch{p.SigninPerEmail, p.SigninPerIP, p.SignupPerIP, p.MutationsPerUser, p.RequestsPerIP}[i]
		if q != nil {
			setIf(&x.rule.Rate, q.Rate)
			setIf(&x.rule.PeriodSeconds, q.PeriodSeconds)
		}
	}
	return r
}

// ParseRateRule parses "N/period" (for example "15/3m", "1200/1m", "0" for off), the format of
// the STEWARD_RATE_LIMIT_* variables.
func ParseRateRule(s string) (RateRule, error) {
	s = strings.TrimSpace(s)
	if s == "0" || strings.EqualFold(s, "off") {
		return RateRule{}, nil
	}
	n, p, ok := strings.Cut(s, "/")
	rate, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || rate < 0 {
		return RateRule{}, fmt.Errorf("%q is not N/period (e.g. 15/3m) or 0", s)
	}
	d, err := time.ParseDuration(strings.TrimSpace(p))
	if err != nil || d < time.Second || d%time.Second != 0 {
		return RateRule{}, fmt.Errorf("%q: the period must be whole seconds, e.g. 3m or 90s", s)
	}
	return RateRule{Rate: rate, PeriodSeconds: int(d / time.Second)}, nil
}

// Rules returns the limits as the limiter policy reads them.
func (r RateLimits) Rules() ratelimit.Rules {
	lim := func(x RateRule) *ratelimit.Limit {
		if l, ok := x.Limit(); ok {
			return &l
		}
		return nil
	}
	return ratelimit.Rules{
		Enabled: r.Enabled, SigninPerEmail: lim(r.SigninPerEmail), SigninPerIP: lim(r.SigninPerIP),
		SignupPerIP: lim(r.SignupPerIP), MutationsPerUser: lim(r.MutationsPerUser), RequestsPerIP: lim(r.RequestsPerIP),
	}
}
