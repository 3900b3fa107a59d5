// Package inputs refuses bad input at the door: one check of every GraphQL argument and input
// object field, variables and JSON scalar contents included, before any resolver runs. Strings
// must be valid UTF-8 without control characters (tabs and line breaks only in free text) and
// within a length per field; usage amounts, quotas and prices must be within the bounds that
// their leaf packages (internal/metric, internal/money) set so that no counter,
// rollup or sum can overflow.
//
// It is a gqlgen operation context mutator rather than a field middleware or input directives:
// it runs once per operation, after validation and before execution, so a refused operation runs
// no resolver at all (not even the first fields of a mutation), it covers every transport, every
// nested field's arguments and every fragment, and no schema field can be forgotten because no
// annotation is needed. The values it walks are the request's own (the parsed literals and the
// decoded variables), typed by the schema, so the field names it reports are those the client
// sent.
package inputs

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/internal/money"
)

// Text is the rule for one kind of string field.
type Text struct {
	// Max is the length limit in bytes.
	Max int
	// Multiline allows tabs and line breaks (free text: descriptions, banners, prompts).
	Multiline bool
}

// DefaultText applies to every string field the tables do not name: names, ids, keys, filters.
var DefaultText = Text{Max: 1024}

// jsonText applies to every string inside a JSON scalar (model parameters such as system prompts,
// model avatars as data: URIs, imported configuration); jsonKey to its object keys.
var (
	jsonText = Text{Max: 256 << 10, Multiline: true}
	jsonKey  = Text{Max: 1024}
)

// Email limits, in octets, from RFC 5321 section 4.5.3.1 (with the 254-octet path limit of its
// errata, since a path carries the address in angle brackets).
const (
	MaxEmail       = 254
	MaxEmailLocal  = 64
	MaxEmailDomain = 255
)

// texts holds the rules of string fields by name ("Type.field" before "field"), where the
// default does not fit. The limits sit at or above what the domain packages accept, so the door
// refuses what cannot be valid anywhere and the domains keep their precise messages.
var texts = map[string]Text{
	"email":                         {Max: MaxEmail},
	"password":                      {Max: 256},
	"newPassword":                   {Max: 256},
	"JupyterConfigInput.password":   {Max: 4096},
	"token":                         {Max: 4096},
	"key":                           {Max: 4096},
	"query":                         {Max: 256},
	"profileImageUrl":               {Max: 256 << 10},
	"url":                           {Max: 2048},
	"returnUrl":                     {Max: 2048},
	"description":                   {Max: 16 << 10, Multiline: true},
	"content":                       {Max: 16 << 10, Multiline: true},
	"statusMessage":                 {Max: 1024, Multiline: true},
	"codeInterpreterPromptTemplate": {Max: 64 << 10, Multiline: true},
}

// number is the upper bound of an integer field. Negative values are left to the domains, whose
// messages say what a negative value means there.
type number struct {
	check func(int64) error
	// field is the name reported instead of the field's own, where the domain names another.
	field string
}

// numbers holds the bounds of integer fields by name ("Type.field" before "field").
var numbers = map[string]number{
	"amount":               {check: metric.CheckAmount},
	"actualAmount":         {check: metric.CheckAmount},
	"PlanQuotaInput.limit": {check: metric.CheckLimit, field: "quotas"},
}

// textRule returns the rule for field of parent (an input type name, or "" for an argument).
func textRule(parent, field string) Text {
	if r, ok := texts[parent+"."+field]; ok {
		return r
	}
	if r, ok := texts[field]; ok {
		return r
	}
	return DefaultText
}

// CheckText reports what is wrong with s under rule r, or "" when it is fine. The length comes
// first, so a huge value costs no scan.
func CheckText(s string, r Text) string {
	if len(s) > r.Max {
		return "must be at most " + strconv.Itoa(r.Max) + " bytes"
	}
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	for _, c := range s {
		if c == '\t' || c == '\n' || c == '\r' {
			if !r.Multiline {
				return "must be a single line without tabs"
			}
			continue
		}
		if unicode.IsControl(c) {
			return "must not contain control characters"
		}
	}
	return ""
}

// CheckEmail refuses an address beyond RFC 5321's limits; its syntax is the domain's business.
func CheckEmail(s string) string {
	if len(s) > MaxEmail {
		return "must be at most " + strconv.Itoa(MaxEmail) + " bytes"
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		if i > MaxEmailLocal {
			return "must have a local part of at most " + strconv.Itoa(MaxEmailLocal) + " bytes"
		}
		if len(s)-i-1 > MaxEmailDomain {
			return "must have a domain of at most " + strconv.Itoa(MaxEmailDomain) + " bytes"
		}
	}
	return ""
}

// Checker checks argument values against a schema.
type Checker struct {
	schema *ast.Schema
}

// NewChecker returns a Checker for schema.
func NewChecker(schema *ast.Schema) *Checker { return &Checker{schema: schema} }

// Value checks v, the value of a field named field of type typ in parent (an input object type's
// name, or "" for a field argument), and returns a BAD_USER_INPUT error naming the innermost field
// at fault.
func (c *Checker) Value(parent, field string, typ *ast.Type, v any) error {
	if v == nil || typ == nil {
		return nil
	}
	if typ.Elem != nil {
		list, ok := v.([]any)
		if !ok { // a single value where a list is expected is coerced to a list of one
			return c.Value(parent, field, typ.Elem, v)
		}
		for _, item := range list {
			if err := c.Value(parent, field, typ.Elem, item); err != nil {
				return err
			}
		}
		return nil
	}
	def := c.schema.Types[typ.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.InputObject:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil // gqlgen refuses it when it coerces the value
		}
		for k, fv := range obj {
			fd := def.Fields.ForName(k)
			if fd == nil {
				continue
			}
			if err := c.Value(def.Name, k, fd.Type, fv); err != nil {
				return err
			}
		}
		return nil
	case ast.Enum:
		if s, ok := v.(string); ok {
			if msg := CheckText(s, DefaultText); msg != "" {
				return errs.Invalid(field, msg)
			}
		}
		return nil
	case ast.Scalar:
		return c.scalar(parent, field, def.Name, v)
	}
	return nil
}

// scalar checks a scalar value by its type and field.
func (c *Checker) scalar(parent, field, typeName string, v any) error {
	switch typeName {
	case "JSON":
		return checkJSON(field, v, 0)
	case "Decimal":
		s, ok := v.(string)
		if !ok {
			if n, isNum := v.(json.Number); isNum {
				s = n.String()
			} else {
				return nil
			}
		}
		if err := money.CheckDecimal(s); err != nil {
			e, _ := errs.As(err)
			return errs.Invalid(field, e.Message)
		}
		return nil
	case "Int":
		rule, ok := numbers[parent+"."+field]
		if !ok {
			rule, ok = numbers[field]
		}
		if !ok {
			return nil
		}
		if rule.field != "" {
			field = rule.field
		}
		n, ok := toInt64(v)
		if !ok {
			return errs.Invalid(field, "must be an integer within the allowed range")
		}
		if n < 0 {
			return nil
		}
		if err := rule.check(n); err != nil {
			return errs.Invalid(field, err.Error())
		}
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return nil
	}
	msg := CheckText(s, textRule(parent, field))
	if msg == "" && field == "email" {
		msg = CheckEmail(s)
	}
	if msg != "" {
		return errs.Invalid(field, msg)
	}
	return nil
}

// maxJSONDepth bounds the nesting of a JSON scalar value; deeper documents are refused.
const maxJSONDepth = 64

// checkJSON checks every string and key inside a JSON scalar value; errors name the field that
// holds it.
func checkJSON(field string, v any, depth int) error {
	if depth > maxJSONDepth {
		return errs.Invalid(field, fmt.Sprintf("must not nest deeper than %d levels", maxJSONDepth))
	}
	switch x := v.(type) {
	case string:
		if msg := CheckText(x, jsonText); msg != "" {
			return errs.Invalid(field, "has a string that "+msg)
		}
	case map[string]any:
		for k, item := range x {
			if msg := CheckText(k, jsonKey); msg != "" {
				return errs.Invalid(field, "has a key that "+msg)
			}
			if err := checkJSON(field, item, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, item := range x {
			if err := checkJSON(field, item, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// toInt64 converts the forms an integer arrives in (a literal's int64, a variable's json.Number,
// or a float64 from other decoders) and reports whether v is an integer within int64.
func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		return n, err == nil
	case float64:
		if x != math.Trunc(x) || x < math.MinInt64 || x >= math.MaxInt64 {
			return 0, false
		}
		return int64(x), true
	}
	return 0, false
}
