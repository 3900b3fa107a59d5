package analytics

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		name       string
		start, end int64
		paidBefore bool
		want       movement
		amount     int64
	}{
		{"no change", 590, 590, false, movedNone, 0},
		{"still nothing", 0, 0, true, movedNone, 0},
		{"first payment", 0, 590, false, movedNew, 590},
		{"back after leaving", 0, 590, true, movedReactivated, 590},
		{"upgrade", 590, 1490, false, movedExpansion, 900},
		{"downgrade", 1490, 690, false, movedContraction, 800},
		{"left", 1490, 0, true, movedChurned, 1490},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, amount := classify(tt.start, tt.end, func() bool { return tt.paidBefore })
			if got != tt.want || amount != tt.amount {
				t.Errorf("classify(%d, %d) = %v %d, want %v %d", tt.start, tt.end, got, amount, tt.want, tt.amount)
			}
		})
	}
}

// TestTwelfths: a month's price counted twelve times is an integer for every interval, so sums
// stay exact until they are rounded once.
func TestTwelfths(t *testing.T) {
	tests := []struct {
		interval string
		price    int64
		want     int64
	}{
		{"MONTH", 59000, 708000},   // 590.00 a month
		{"YEAR", 1200000, 1200000}, // 12000.00 a year = 1000.00 a month
		{"WEEK", 700, 36400},       // 7.00 a week = 30.3333.. a month
		{"DAY", 100, 36500},        // 1.00 a day = 30.4166.. a month
	}
	for _, tt := range tests {
		got, err := twelfths(tt.price, tt.interval)
		if err != nil || got != tt.want {
			t.Errorf("twelfths(%d, %s) = %d, %v; want %d", tt.price, tt.interval, got, err, tt.want)
		}
	}
	if _, err := twelfths(100, "FORTNIGHT"); err == nil {
		t.Error("an unknown interval was accepted")
	}
	if got := fromTwelfths("USD", 36400+36400); got.AmountMinor != 6067 { // 6066.67 rounds up
		t.Errorf("two weekly 7.00 = %d minor, want 6067", got.AmountMinor)
	}
}

func TestPayRowPayingAt(t *testing.T) {
	// Paying from bound 1 up to bound 3: at bounds 1 and 2.
	r := payRow{s: 1, e: 3}
	for bound, want := range []bool{false, true, true, false, false} {
		if got := r.payingAt(bound); got != want {
			t.Errorf("payingAt(%d) = %v, want %v", bound, got, want)
		}
	}
	if (payRow{s: 2, e: 2}).payingAt(2) {
		t.Error("a row that paid only between two bounds pays at one")
	}
	if !paidEarlier([]payRow{{s: 2, e: 2}}, 2) || paidEarlier([]payRow{{s: 3, e: 4}}, 2) {
		t.Error("paidEarlier does not follow the rows' first bounds")
	}
}
