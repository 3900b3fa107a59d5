package gqllimit

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/internal/errs"
)

// walker measures one parsed (not yet validated) document. The document may be invalid: unknown
// fields and types cost as plain fields and are left to validation to refuse.
type walker struct {
	schema        *ast.Schema
	doc           *ast.QueryDocument
	vars          map[string]any
	lim           Limits
	pages         Pages
	once          []string
	introspection bool

	// readVariables is set when the measure read a variable, so that other values could measure
	// differently.
	readVariables bool
	// op is the operation being measured, whose variable defaults apply.
	op       *ast.OperationDefinition
	aliases  int
	spreads  int
	frags    map[fragKey]*measure
	busy     map[string]bool
	onceSeen map[string]int
}

// measure is what a selection set costs; names counts its fields by response name, fragments
// included (capped at Repeats+1).
type measure struct {
	cost, depth int
	names       map[string]int
}

// fragKey memoises a fragment's measure; under introspection a fragment costs differently.
type fragKey struct {
	name  string
	intro bool
}

func newWalker(schema *ast.Schema, doc *ast.QueryDocument, vars map[string]any, lim Limits, pages Pages, once []string, introspection bool) *walker {
	if schema == nil {
		schema = &ast.Schema{} // every field unknown: each costs 1
	}
	return &walker{schema: schema, doc: doc, vars: vars, lim: lim, pages: pages, once: once, introspection: introspection}
}

// measure checks every operation of the document, and the fragments none of them uses (which
// validation walks all the same).
func (w *walker) measure() *errs.Error {
	counted := map[string]bool{}
	// Validation checks every operation of the document, so together they share one budget.
	total := 0
	for _, op := range w.doc.Operations {
		// Fragments are measured again per operation: their page sizes may come from variables,
		// whose defaults each operation declares.
		w.op, w.frags, w.busy, w.onceSeen = op, map[fragKey]*measure{}, map[string]bool{}, map[string]int{}
		// Checked first, so that aliased sign-ins get the same answer whatever else limits them.
		if op.Operation == ast.Mutation && w.onceCount(op.SelectionSet) > 1 {
			return errs.RateLimited(fmt.Sprintf("at most one of %s per request", strings.Join(w.once, ", ")), time.Second)
		}
		m, err := w.selectionSet(op.SelectionSet, w.rootType(op.Operation), false)
		if err != nil {
			return err
		}
		if m.depth > w.lim.Depth {
			return tooComplex("the query is nested %d levels deep, more than %d", m.depth, w.lim.Depth)
		}
		if total = w.add(total, m.cost); total > w.lim.Complexity {
			return tooComplex("the document's operations together have a complexity above %d", w.lim.Complexity)
		}
		for k := range w.frags {
			counted[k.name] = true
		}
	}
	w.op, w.frags, w.busy = nil, map[fragKey]*measure{}, map[string]bool{}
	for _, f := range w.doc.Fragments {
		if counted[f.Name] {
			continue
		}
		if _, err := w.fragment(f.Name, false); err != nil {
			return err
		}
	}
	return nil
}

// selectionSet measures set, whose fields belong to typeName ("" when unknown); intro is true
// inside __schema and __type, whose cost the schema bounds.
func (w *walker) selectionSet(set ast.SelectionSet, typeName string, intro bool) (*measure, *errs.Error) {
	m := &measure{names: map[string]int{}}
	for _, sel := range set {
		var part *measure
		switch s := sel.(type) {
		case *ast.Field:
			fm, err := w.field(s, typeName, intro)
			if err != nil {
				return nil, err
			}
			name := s.Alias
			if name == "" {
				name = s.Name
			}
			part = &measure{cost: fm.cost, depth: fm.depth, names: map[string]int{name: 1}}
		case *ast.InlineFragment:
			tc := typeName
			if s.TypeCondition != "" {
				tc = s.TypeCondition
			}
			im, err := w.selectionSet(s.SelectionSet, tc, intro)
			if err != nil {
				return nil, err
			}
			part = im
		case *ast.FragmentSpread:
			w.spreads++
			if w.spreads > w.lim.Spreads {
				return nil, tooComplex("the query has more than %d fragment spreads", w.lim.Spreads)
			}
			fm, err := w.fragment(s.Name, intro)
			if err != nil {
				return nil, err
			}
			part = fm
		}
		m.cost = w.add(m.cost, part.cost)
		if m.cost > w.lim.Complexity {
			return nil, tooComplex("the query's complexity is above %d: ask for fewer rows (first) or fields", w.lim.Complexity)
		}
		m.depth = max(m.depth, part.depth)
		for name, n := range part.names {
			m.names[name] = min(m.names[name]+n, w.lim.Repeats+1)
			if m.names[name] > w.lim.Repeats {
				return nil, tooComplex("the field %q is selected more than %d times in one place", name, w.lim.Repeats)
			}
		}
	}
	return m, nil
}

// field measures one field: itself, and what is below it once per row it may return.
func (w *walker) field(f *ast.Field, typeName string, intro bool) (*measure, *errs.Error) {
	if f.Alias != "" && f.Alias != f.Name {
		w.aliases++
		if w.aliases > w.lim.Aliases {
			return nil, tooComplex("the query has more than %d aliases", w.lim.Aliases)
		}
	}
	if (f.Name == "__schema" || f.Name == "__type") && !w.introspection {
		return nil, errs.Forbidden("introspection is disabled")
	}
	var def *ast.FieldDefinition
	if t := w.schema.Types[typeName]; t != nil {
		def = t.Fields.ForName(f.Name)
	}
	childType := ""
	if def != nil {
		childType = def.Type.Name()
	}
	if !intro && (f.Name == "__schema" || f.Name == "__type") {
		intro = true
	}
	rows := 1
	// A connection's edges and nodes are the page its field already counted.
	if !intro && !strings.HasSuffix(typeName, "Connection") {
		var err *errs.Error
		if rows, err = w.rows(def, f); err != nil {
			return nil, err
		}
	}
	below, err := w.selectionSet(f.SelectionSet, childType, intro)
	if err != nil {
		return nil, err
	}
	m := &measure{cost: w.add(1, w.mul(rows, below.cost)), depth: 1}
	if !intro {
		m.depth += below.depth
	}
	return m, nil
}

// fragment measures a named fragment once per operation.
func (w *walker) fragment(name string, intro bool) (*measure, *errs.Error) {
	key := fragKey{name, intro}
	if m, ok := w.frags[key]; ok {
		return m, nil
	}
	def := w.doc.Fragments.ForName(name)
	if def == nil {
		return &measure{}, nil // unknown: validation refuses it
	}
	if w.busy[name] {
		return nil, tooComplex("the fragment %q spreads itself", name)
	}
	w.busy[name] = true
	m, err := w.selectionSet(def.SelectionSet, def.TypeCondition, intro)
	delete(w.busy, name)
	if err != nil {
		return nil, err
	}
	w.frags[key] = m
	return m, nil
}

// rows is how many rows field f may return: its page (first/last, or the default page), the
// number of ids it is given, the assumed length of a list, or 1. Pages above the maximum are
// refused here, before any connection is loaded (nested connections load with their parent).
func (w *walker) rows(def *ast.FieldDefinition, f *ast.Field) (int, *errs.Error) {
	if def == nil {
		return 1, nil
	}
	if def.Arguments.ForName("first") != nil || def.Arguments.ForName("last") != nil {
		n := w.pages.Default
		for _, name := range []string{"last", "first"} {
			v, ok := w.intArg(f, name)
			if !ok {
				continue
			}
			if v > int64(w.pages.Max) {
				return 0, errs.Invalid(name, fmt.Sprintf("must be at most %d", w.pages.Max))
			}
			n = int(max(v, 1))
		}
		return n, nil
	}
	if a := def.Arguments.ForName("ids"); a != nil && a.Type.Elem != nil {
		n := w.listLen(f, "ids")
		if n > w.pages.Max {
			return 0, errs.Invalid("ids", fmt.Sprintf("at most %d ids at once", w.pages.Max))
		}
		return max(n, 1), nil
	}
	if def.Type.Elem != nil {
		return w.pages.List, nil
	}
	return 1, nil
}

// value is the value of argument name of f, from its literal or its variable (or the variable's
// default, which validation has not yet linked).
func (w *walker) value(f *ast.Field, name string) any {
	a := f.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return nil
	}
	if hasVariable(a.Value) {
		w.readVariables = true
	}
	if a.Value.Kind == ast.Variable {
		if v, ok := w.vars[a.Value.Raw]; ok {
			return v
		}
		if w.op != nil {
			if d := w.op.VariableDefinitions.ForName(a.Value.Raw); d != nil && d.DefaultValue != nil {
				v, _ := d.DefaultValue.Value(w.vars)
				return v
			}
		}
		return nil
	}
	v, _ := a.Value.Value(w.vars)
	return v
}

// hasVariable reports whether v is a variable or holds one.
func hasVariable(v *ast.Value) bool {
	if v.Kind == ast.Variable {
		return true
	}
	for _, c := range v.Children {
		if c.Value != nil && hasVariable(c.Value) {
			return true
		}
	}
	return false
}

// intArg reads an integer argument; values of other types are left to validation.
func (w *walker) intArg(f *ast.Field, name string) (int64, bool) {
	switch v := w.value(f, name).(type) {
	case int64:
		return v, true
	case int:
		return int64(v), true
	case float64:
		if v > math.MaxInt32 {
			return math.MaxInt32, true
		}
		return int64(v), true
	case json.Number:
		n, err := strconv.ParseInt(string(v), 10, 64)
		return n, err == nil
	}
	return 0, false
}

func (w *walker) listLen(f *ast.Field, name string) int {
	if l, ok := w.value(f, name).([]any); ok {
		return len(l)
	}
	return 1
}

// onceCount counts the Once fields of a mutation's root, through fragments too (each fragment
// counted once per operation and capped at 2, so nested spreads cannot make this exponential).
func (w *walker) onceCount(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if slices.Contains(w.once, s.Name) {
				n++
			}
		case *ast.InlineFragment:
			n += w.onceCount(s.SelectionSet)
		case *ast.FragmentSpread:
			c, ok := w.onceSeen[s.Name]
			if !ok {
				w.onceSeen[s.Name] = 0 // a cycle counts nothing; the measure refused it already
				if d := w.doc.Fragments.ForName(s.Name); d != nil {
					c = w.onceCount(d.SelectionSet)
				}
				w.onceSeen[s.Name] = c
			}
			n += c
		}
		n = min(n, 2)
	}
	return n
}

func (w *walker) rootType(op ast.Operation) string {
	var d *ast.Definition
	switch op {
	case ast.Query:
		d = w.schema.Query
	case ast.Mutation:
		d = w.schema.Mutation
	case ast.Subscription:
		d = w.schema.Subscription
	}
	if d == nil {
		return ""
	}
	return d.Name
}

// add and mul saturate just above the complexity limit, so that no product overflows.
func (w *walker) add(a, b int) int { return min(a+b, w.lim.Complexity+1) }

func (w *walker) mul(a, b int) int {
	if a != 0 && b > (w.lim.Complexity+1)/a {
		return w.lim.Complexity + 1
	}
	return min(a*b, w.lim.Complexity+1)
}
