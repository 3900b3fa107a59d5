// Package metric names the metered usage quantities. It is its own leaf package because the ent
// schema, the billing domain and GraphQL all share the one type.
package metric

import (
	"fmt"
	"io"
	"strconv"
)

// Metric is a metered quantity, the GraphQL enum UsageMetric.
type Metric string

// The metrics plans can put quotas on.
const (
	TokensInput  Metric = "TOKENS_INPUT"
	TokensOutput Metric = "TOKENS_OUTPUT"
	Requests     Metric = "REQUESTS"
	Images       Metric = "IMAGES"
	AudioMinutes Metric = "AUDIO_MINUTES"
)

// All lists every metric in display order.
var All = []Metric{TokensInput, TokensOutput, Requests, Images, AudioMinutes}

// Values lists the stored values; ent uses it for the enum column.
func (Metric) Values() []string {
	v := make([]string, len(All))
	for i, m := range All {
		v[i] = string(m)
	}
	return v
}

// Valid reports whether m is a known metric.
func (m Metric) Valid() bool {
	for _, k := range All {
		if k == m {
			return true
		}
	}
	return false
}

// String returns the stored value.
func (m Metric) String() string { return string(m) }

// MarshalGQL writes the enum value.
func (m Metric) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(m))) }

// UnmarshalGQL reads the enum value.
func (m *Metric) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("UsageMetric must be a string")
	}
	if !Metric(s).Valid() {
		return fmt.Errorf("%q is not a valid UsageMetric", s)
	}
	*m = Metric(s)
	return nil
}

// Bounds on usage numbers. Counters and the daily rollup are int64 columns (SQLite INTEGER,
// PostgreSQL bigint) whose limit is about 9.2·10^18; SQLite silently turns an overflowing sum
// into a float and PostgreSQL fails the statement, so every number that is added up is bounded
// far below that limit instead:
//   - MaxAmount is the most one call may report, reserve, settle or check: 10^12 (a trillion
//     tokens in one call is already beyond any real request).
//   - MaxTotal is the most a usage counter (one subscription, metric and period) may hold, and so
//     the largest quota a plan may set: 10^15. A counter refuses an amount that would take it
//     past MaxTotal rather than overflow, and since used and reserved are each at most MaxTotal,
//     used + reserved + one amount never comes near the int64 limit in SQL.
//   - A daily rollup row adds up every user of a plan, so it saturates at MaxTotal instead of
//     refusing (a full rollup must not stop metering); summing 9,000 such rows still fits int64.
const (
	MaxAmount int64 = 1_000_000_000_000
	MaxTotal  int64 = 1_000_000_000_000_000
)

// CheckAmount reports whether n is a usage amount one call may carry: 0 to MaxAmount.
func CheckAmount(n int64) error {
	if n < 0 || n > MaxAmount {
		return fmt.Errorf("must be between 0 and %d", MaxAmount)
	}
	return nil
}

// CheckLimit reports whether n is a quota a plan may set: 0 to MaxTotal.
func CheckLimit(n int64) error {
	if n < 0 || n > MaxTotal {
		return fmt.Errorf("must be between 0 and %d", MaxTotal)
	}
	return nil
}
