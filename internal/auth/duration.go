package auth

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseExpiresIn parses Open WebUI's JWT_EXPIRES_IN: "-1" (or "0") for tokens that never expire,
// otherwise a number with a unit: ms, s, m, h, d, w (e.g. "4w", "12h", "30m"); Go durations also work.
func ParseExpiresIn(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "-1" || s == "0" {
		return 0, nil
	}
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseFloat(num, 64)
			// !(n > 0) also refuses NaN; a product beyond int64 nanoseconds (292 years, "Infh",
			// "1e300w") would convert to a negative duration, an already expired token.
			if err != nil || !(n > 0) || n*float64(u.unit) >= math.MaxInt64 {
				break
			}
			if d := time.Duration(n * float64(u.unit)); d > 0 { // "1e-300s" rounds to nothing
				return d, nil
			}
			break
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("invalid expiry %q: use -1, or a number with ms, s, m, h, d or w (e.g. 4w)", s)
}
