package db

import (
	"strconv"
	"strings"

	"entgo.io/ent/dialect"
)

// Rebind turns the '?' placeholders of a hand-written statement into PostgreSQL's $1, $2, ...
// when dia is PostgreSQL, and returns q unchanged otherwise. Statements passed here must hold no
// '?' other than placeholders (no string literal with one).
func Rebind(dia, q string) string {
	if dia != dialect.Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
