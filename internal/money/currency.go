// Package money holds exact money arithmetic: currencies with their ISO 4217 minor units, decimal
// strings converted to and from integer minor units, and the exact rational normalisation that
// MRR needs. Nothing here uses floating point.
package money

import (
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// Currency is an upper-case ISO 4217 code such as "RUB". The zero value is not a valid currency;
// obtain one from ParseCurrency or the constants below.
type Currency string

// The supported currencies.
const (
	RUB Currency = "RUB"
	USD Currency = "USD"
	EUR Currency = "EUR"
	GBP Currency = "GBP"
	JPY Currency = "JPY"
	CNY Currency = "CNY"
	KZT Currency = "KZT"
	UAH Currency = "UAH"
	BYN Currency = "BYN"
	INR Currency = "INR"
	BRL Currency = "BRL"
	TRY Currency = "TRY"
)

// exponents holds the ISO 4217 minor-unit exponent of every supported currency.
var exponents = map[Currency]int{
	RUB: 2, USD: 2, EUR: 2, GBP: 2, JPY: 0, CNY: 2,
	KZT: 2, UAH: 2, BYN: 2, INR: 2, BRL: 2, TRY: 2,
}

// ParseCurrency returns the supported currency whose code is exactly s (upper case, no spaces).
// Any other input yields an errs BAD_USER_INPUT error on field "currency".
func ParseCurrency(s string) (Currency, error) {
	c := Currency(s)
	if _, ok := exponents[c]; !ok {
		return "", errs.Invalid("currency", "unsupported currency; use one of "+supportedList())
	}
	return c, nil
}

// Valid reports whether c is a supported currency.
func (c Currency) Valid() bool {
	_, ok := exponents[c]
	return ok
}

// Exponent is the number of minor-unit digits of c: 0 for JPY, 2 for the other supported
// currencies. An unsupported currency reports 2, the ISO 4217 default, so that formatting never
// fails; validate with ParseCurrency or Valid first where that matters.
func (c Currency) Exponent() int {
	if e, ok := exponents[c]; ok {
		return e
	}
	return 2
}

// String returns the ISO code.
func (c Currency) String() string { return string(c) }

// Currencies returns the supported currencies in a stable (alphabetical) order.
func Currencies() []Currency {
	return []Currency{BRL, BYN, CNY, EUR, GBP, INR, JPY, KZT, RUB, TRY, UAH, USD}
}

func supportedList() string {
	var b strings.Builder
	for i, c := range Currencies() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(c))
	}
	return b.String()
}
