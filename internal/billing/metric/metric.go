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
