package money

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/steward-dev/steward/internal/errs"
)

func TestParseCurrency(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Currency
		wantExp int
		wantErr bool
	}{
		{name: "rub", in: "RUB", want: RUB, wantExp: 2},
		{name: "usd", in: "USD", want: USD, wantExp: 2},
		{name: "jpy has no minor units", in: "JPY", want: JPY, wantExp: 0},
		{name: "try", in: "TRY", want: TRY, wantExp: 2},
		{name: "lower case", in: "rub", wantErr: true},
		{name: "padded", in: " RUB", wantErr: true},
		{name: "unknown", in: "XXX", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCurrency(tt.in)
			if tt.wantErr {
				assertInvalid(t, err, "currency")
				return
			}
			if err != nil {
				t.Fatalf("ParseCurrency(%q) error = %v, want nil", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseCurrency(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got.Exponent() != tt.wantExp {
				t.Errorf("%s.Exponent() = %d, want %d", got, got.Exponent(), tt.wantExp)
			}
		})
	}
}

func TestCurrenciesAllValid(t *testing.T) {
	got := Currencies()
	if len(got) != len(exponents) {
		t.Fatalf("len(Currencies()) = %d, want %d", len(got), len(exponents))
	}
	for _, c := range got {
		if !c.Valid() {
			t.Errorf("%s.Valid() = false, want true", c)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		cur       Currency
		want      int64
		wantField string // non-empty means an error on that field is expected
	}{
		{name: "integer", in: "199", cur: RUB, want: 19900},
		{name: "one fraction digit", in: "199.9", cur: RUB, want: 19990},
		{name: "two fraction digits", in: "199.90", cur: RUB, want: 19990},
		{name: "one cent", in: "0.01", cur: USD, want: 1},
		{name: "zero", in: "0", cur: USD, want: 0},
		{name: "leading zeros", in: "007.50", cur: EUR, want: 750},
		{name: "jpy integer", in: "500", cur: JPY, want: 500},
		{name: "max int64 jpy", in: "9223372036854775807", cur: JPY, want: math.MaxInt64},
		{name: "max int64 usd", in: "92233720368547758.07", cur: USD, want: math.MaxInt64},
		{name: "overflow by one minor unit", in: "92233720368547758.08", cur: USD, wantField: "price"},
		{name: "overflow in scaling", in: "92233720368547759", cur: USD, wantField: "price"},
		{name: "overflow in digits", in: "99999999999999999999999", cur: JPY, wantField: "price"},
		{name: "too many fraction digits", in: "1.001", cur: USD, wantField: "price"},
		{name: "trailing zero beyond exponent", in: "1.000", cur: USD, wantField: "price"},
		{name: "jpy fraction", in: "500.0", cur: JPY, wantField: "price"},
		{name: "negative", in: "-1.00", cur: USD, wantField: "price"},
		{name: "plus sign", in: "+1.00", cur: USD, wantField: "price"},
		{name: "empty", in: "", cur: USD, wantField: "price"},
		{name: "exponent", in: "1e3", cur: USD, wantField: "price"},
		{name: "upper exponent", in: "1E3", cur: USD, wantField: "price"},
		{name: "leading space", in: " 1", cur: USD, wantField: "price"},
		{name: "trailing space", in: "1 ", cur: USD, wantField: "price"},
		{name: "decimal comma", in: "199,90", cur: RUB, wantField: "price"},
		{name: "bare point", in: ".", cur: RUB, wantField: "price"},
		{name: "leading point", in: ".5", cur: RUB, wantField: "price"},
		{name: "trailing point", in: "5.", cur: RUB, wantField: "price"},
		{name: "two points", in: "1.2.3", cur: RUB, wantField: "price"},
		{name: "underscore", in: "1_000", cur: RUB, wantField: "price"},
		{name: "non-ascii digit", in: "١", cur: RUB, wantField: "price"},
		{name: "nan", in: "NaN", cur: RUB, wantField: "price"},
		{name: "hex", in: "0x10", cur: RUB, wantField: "price"},
		{name: "unknown currency", in: "1.00", cur: "XXX", wantField: "currency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDecimal(tt.in, tt.cur)
			if tt.wantField != "" {
				assertInvalid(t, err, tt.wantField)
				return
			}
			if err != nil {
				t.Fatalf("ParseDecimal(%q, %s) error = %v, want nil", tt.in, tt.cur, err)
			}
			if got != tt.want {
				t.Errorf("ParseDecimal(%q, %s) = %d, want %d", tt.in, tt.cur, got, tt.want)
			}
		})
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		name  string
		minor int64
		cur   Currency
		want  string
	}{
		{name: "whole", minor: 19900, cur: RUB, want: "199.00"},
		{name: "fraction", minor: 19990, cur: RUB, want: "199.90"},
		{name: "one cent", minor: 1, cur: USD, want: "0.01"},
		{name: "ten cents", minor: 10, cur: USD, want: "0.10"},
		{name: "zero", minor: 0, cur: USD, want: "0.00"},
		{name: "negative", minor: -150, cur: USD, want: "-1.50"},
		{name: "negative cent", minor: -1, cur: USD, want: "-0.01"},
		{name: "jpy", minor: 500, cur: JPY, want: "500"},
		{name: "jpy negative", minor: -500, cur: JPY, want: "-500"},
		{name: "max", minor: math.MaxInt64, cur: USD, want: "92233720368547758.07"},
		{name: "min", minor: math.MinInt64, cur: USD, want: "-92233720368547758.08"},
		{name: "unknown currency uses two digits", minor: 5, cur: "XXX", want: "0.05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDecimal(tt.minor, tt.cur); got != tt.want {
				t.Errorf("FormatDecimal(%d, %s) = %q, want %q", tt.minor, tt.cur, got, tt.want)
			}
		})
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	for _, c := range Currencies() {
		for _, minor := range []int64{0, 1, 9, 10, 99, 100, 12345, 19990, math.MaxInt64} {
			s := FormatDecimal(minor, c)
			got, err := ParseDecimal(s, c)
			if err != nil {
				t.Fatalf("ParseDecimal(FormatDecimal(%d, %s) = %q) error = %v", minor, c, s, err)
			}
			if got != minor {
				t.Errorf("round trip of %d %s via %q = %d, want %d", minor, c, s, got, minor)
			}
		}
	}
}

func TestMonthlyMinor(t *testing.T) {
	tests := []struct {
		name      string
		minor     int64
		interval  string
		wantExact *big.Rat
		wantRound int64
	}{
		{name: "yearly divides evenly", minor: 1200, interval: "year", wantExact: big.NewRat(100, 1), wantRound: 100},
		{name: "yearly with remainder", minor: 99900, interval: "year", wantExact: big.NewRat(99900, 12), wantRound: 8325},
		{name: "weekly rounds down", minor: 700, interval: "week", wantExact: big.NewRat(36400, 12), wantRound: 3033},
		{name: "monthly unchanged", minor: 19900, interval: "month", wantExact: big.NewRat(19900, 1), wantRound: 19900},
		{name: "daily", minor: 100, interval: "day", wantExact: big.NewRat(36500, 12), wantRound: 3042},
		{name: "yearly half rounds up", minor: 6, interval: "year", wantExact: big.NewRat(1, 2), wantRound: 1},
		{name: "negative half rounds away from zero", minor: -6, interval: "year", wantExact: big.NewRat(-1, 2), wantRound: -1},
		{name: "zero", minor: 0, interval: "week", wantExact: new(big.Rat), wantRound: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MonthlyMinor(tt.minor, tt.interval)
			if err != nil {
				t.Fatalf("MonthlyMinor(%d, %q) error = %v", tt.minor, tt.interval, err)
			}
			if got.Cmp(tt.wantExact) != 0 {
				t.Errorf("MonthlyMinor(%d, %q) = %s, want %s", tt.minor, tt.interval, got, tt.wantExact)
			}
			if r := RoundMinor(got); r != tt.wantRound {
				t.Errorf("RoundMinor(%s) = %d, want %d", got, r, tt.wantRound)
			}
		})
	}
}

func TestMonthlyMinorSumIsExact(t *testing.T) {
	// Three weekly subscriptions of 700 are 9100 a month exactly; rounding each first would give 9099.
	sum := new(big.Rat)
	for range 3 {
		m, err := MonthlyMinor(700, "week")
		if err != nil {
			t.Fatal(err)
		}
		sum.Add(sum, m)
	}
	if got, want := RoundMinor(sum), int64(9100); got != want {
		t.Errorf("RoundMinor(sum) = %d, want %d", got, want)
	}
}

func TestMonthlyMinorBadInterval(t *testing.T) {
	for _, iv := range []string{"", "Month", "quarter", "months"} {
		_, err := MonthlyMinor(100, iv)
		assertInvalid(t, err, "interval")
	}
}

func TestRoundMinor(t *testing.T) {
	huge := new(big.Rat).SetInt(new(big.Int).Lsh(big.NewInt(1), 70))
	tests := []struct {
		name string
		in   *big.Rat
		want int64
	}{
		{name: "nil", in: nil, want: 0},
		{name: "integer", in: big.NewRat(42, 1), want: 42},
		{name: "below half", in: big.NewRat(249, 100), want: 2},
		{name: "exact half", in: big.NewRat(5, 2), want: 3},
		{name: "above half", in: big.NewRat(251, 100), want: 3},
		{name: "negative below half", in: big.NewRat(-249, 100), want: -2},
		{name: "negative half", in: big.NewRat(-5, 2), want: -3},
		{name: "third", in: big.NewRat(1, 3), want: 0},
		{name: "two thirds", in: big.NewRat(2, 3), want: 1},
		{name: "saturates high", in: huge, want: math.MaxInt64},
		{name: "saturates low", in: new(big.Rat).Neg(huge), want: math.MinInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RoundMinor(tt.in); got != tt.want {
				t.Errorf("RoundMinor(%v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func assertInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want BAD_USER_INPUT on %q", field)
	}
	if !errors.Is(err, errs.ErrBadUserInput) {
		t.Fatalf("error = %v (code %s), want BAD_USER_INPUT", err, errs.CodeOf(err))
	}
	e, _ := errs.As(err)
	if e.Field != field {
		t.Errorf("error field = %q, want %q", e.Field, field)
	}
}

func TestPriceBounds(t *testing.T) {
	tests := []struct {
		in   string
		cur  Currency
		want bool // accepted
	}{
		{"1000000000.00", USD, true},
		{"1000000000.01", USD, false},
		{"92233720368547758.07", USD, false},
		{"1000000000", JPY, true},
		{"1000000001", JPY, false},
		{"0001000000000.00", USD, true},
	}
	for _, tt := range tests {
		minor, err := ParseDecimal(tt.in, tt.cur)
		if err == nil {
			err = CheckPrice(minor, tt.cur)
		}
		if got := err == nil; got != tt.want {
			t.Errorf("ParseDecimal+CheckPrice(%q, %s) accepted = %v, want %v (%v)", tt.in, tt.cur, got, tt.want, err)
		}
		if got := CheckDecimal(tt.in) == nil; got != tt.want {
			t.Errorf("CheckDecimal(%q) accepted = %v, want %v", tt.in, got, tt.want)
		}
	}
}
