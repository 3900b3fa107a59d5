package money

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// Decimal is the GraphQL scalar Decimal: an amount of money as a decimal string ("199.90"). It is
// only the text; its meaning depends on a currency, so domain code converts it with ParseDecimal
// (which reports bad input on the field "price") and renders amounts with FormatDecimal. It never
// passes through a float.
type Decimal string

// MarshalGQL writes d as a JSON string.
func (d Decimal) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(d))) }

// UnmarshalGQL accepts a string ("199.90"), a JSON number in a variable (kept as its exact text)
// or an integer literal. A float literal written in the query itself is refused: gqlgen has
// already turned it into a float64, so its exact text is lost.
func (d *Decimal) UnmarshalGQL(v any) error {
	switch x := v.(type) {
	case string:
		*d = Decimal(x)
	case json.Number:
		*d = Decimal(x.String())
	case int:
		*d = Decimal(strconv.Itoa(x))
	case int64:
		*d = Decimal(strconv.FormatInt(x, 10))
	default:
		return fmt.Errorf("Decimal must be a string such as \"199.90\"")
	}
	return nil
}
