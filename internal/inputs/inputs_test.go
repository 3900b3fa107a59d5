package inputs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/internal/errs"
)

func TestCheckText(t *testing.T) {
	line, free := Text{Max: 8}, Text{Max: 8, Multiline: true}
	tests := []struct {
		name string
		in   string
		rule Text
		want string
	}{
		{"plain", "héllo", line, ""},
		{"at the limit", "12345678", line, ""},
		{"over the limit", "123456789", line, "must be at most 8 bytes"},
		{"NUL", "a\x00b", line, "must not contain control characters"},
		{"NUL in free text", "a\x00b", free, "must not contain control characters"},
		{"escape", "\x1b[2J", line, "must not contain control characters"},
		{"DEL", "a\x7f", line, "must not contain control characters"},
		{"C1 control", "a\u0085", line, "must not contain control characters"},
		{"newline in a line", "a\nb", line, "must be a single line without tabs"},
		{"tab in a line", "a\tb", line, "must be a single line without tabs"},
		{"newline and tab in free text", "a\n\tb\r\n", free, ""},
		{"invalid UTF-8", "a\xffb", line, "must be valid UTF-8"},
	}
	for _, tt := range tests {
		if got := CheckText(tt.in, tt.rule); got != tt.want {
			t.Errorf("%s: CheckText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"short", "ada@example.com", true},
		{"254 octets", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com", true},
		{"255 octets", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", false},
		{"65-octet local part", strings.Repeat("a", 65) + "@example.com", false},
		{"no at sign", "nobody", true}, // syntax is the domain's check
	}
	for _, tt := range tests {
		if got := CheckEmail(tt.in) == ""; got != tt.ok {
			t.Errorf("%s: CheckEmail ok = %v, want %v (%q)", tt.name, got, tt.ok, CheckEmail(tt.in))
		}
	}
}

const testSchema = `
scalar JSON
scalar Decimal
input PlanQuotaInput { metric: String!, limit: Int! }
input PlanIn { name: String!, description: String, price: Decimal!, quotas: [PlanQuotaInput!], meta: JSON }
type Query { plan(in: PlanIn!): Int, usage(amount: Int!, email: String): Int }
`

func TestCheckerValue(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	c := NewChecker(schema)
	planType := ast.NonNullNamedType("PlanIn", nil)
	plan := func(kv ...any) map[string]any {
		m := map[string]any{"name": "Pro", "price": "10.00"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name      string
		arg       string
		typ       *ast.Type
		v         any
		wantField string // "" for no error
	}{
		{"good plan", "in", planType, plan("description", "two\nlines"), ""},
		{"NUL in name", "in", planType, plan("name", "P\x00"), "name"},
		{"price near the int64 limit", "in", planType, plan("price", "92233720368547758.07"), "price"},
		{"price at the bound", "in", planType, plan("price", "1000000000.00"), ""},
		{"price as a JSON number", "in", planType, plan("price", json.Number("1000000001")), "price"},
		{"quota over the bound", "in", planType, plan("quotas", []any{map[string]any{"metric": "X", "limit": int64(1) << 62}}), "quotas"},
		{"negative quota left to the domain", "in", planType, plan("quotas", []any{map[string]any{"metric": "X", "limit": int64(-1)}}), ""},
		{"control character deep in JSON", "in", planType, plan("meta", map[string]any{"a": []any{map[string]any{"b": "\x01"}}}), "meta"},
		{"amount at the bound", "amount", ast.NonNullNamedType("Int", nil), json.Number("1000000000000"), ""},
		{"amount over the bound", "amount", ast.NonNullNamedType("Int", nil), json.Number("1000000000001"), "amount"},
		{"amount beyond int64", "amount", ast.NonNullNamedType("Int", nil), json.Number("99999999999999999999"), "amount"},
		{"amount as a float", "amount", ast.NonNullNamedType("Int", nil), float64(1e18), "amount"},
		{"long email", "email", ast.NamedType("String", nil), strings.Repeat("e", 300), "email"},
	}
	for _, tt := range tests {
		err := c.Value("", tt.arg, tt.typ, tt.v)
		gotField := ""
		if err != nil {
			e, ok := errs.As(err)
			if !ok || e.Code != errs.CodeBadUserInput {
				t.Errorf("%s: error %v is not BAD_USER_INPUT", tt.name, err)
				continue
			}
			gotField = e.Field
		}
		if gotField != tt.wantField || (err == nil) != (tt.wantField == "") {
			t.Errorf("%s: field %q (err %v), want %q", tt.name, gotField, err, tt.wantField)
		}
	}
}
