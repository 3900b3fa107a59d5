// Package gqlexec holds what steward's generated executor (graph/generated.go, after the rewrite
// of internal/gqlexec/rewrite) calls besides gqlgen's runtime: marshalling a list's elements one
// after the other when none of them can wait on anything (MarshalSlice, with the table of Types
// and the fields an operation marks ready), one object's fields (Object), a response's data
// (Marshal), and the map of input unmarshalers shared by all operations (ShareUnmarshalers).
//
// gqlgen marshals every element of a list of objects in a goroutine of its own, so that
// resolvers that wait on a dataloader batch together. When the selection under the list holds no
// resolver at all (a user's groups as { id name }), the goroutines buy nothing: on the users page
// their creation, stack growth and scheduling were about a fifth of the CPU (issue 17).
// Running the elements in order gives the same answer, errors and paths included; picking the
// wrong way could only cost time, never change a result.
package gqlexec

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"slices"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Field is what the executor knows of one field of an object type: whether it may wait (it has
// a resolver or a method taking a context, which gqlgen runs concurrently), and the object types
// its value may be of (none for scalars and enums), which are looked at under a field that does
// not wait or that the operation marked ready.
type Field struct {
	Waits bool
	Of    []string
}

// Types maps object types to their fields; the rewrite generates it from the executor.
type Types map[string]map[string]Field

// Waits reports whether marshalling sel on an object of one of types may run a field that
// waits. Unknown types and fields count as waiting, unless the operation marked the field ready
// (MarkReady); @skip and @include are not evaluated, so a skipped field counts as selected.
func (t Types) Waits(ctx context.Context, sel ast.SelectionSet, types ...string) bool {
	for _, typ := range types {
		if t.waits(ctx, sel, typ) {
			return true
		}
	}
	return false
}

func (t Types) waits(ctx context.Context, sel ast.SelectionSet, typ string) bool {
	fields, ok := t[typ]
	if !ok {
		return true
	}
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			f, ok := fields[s.Name]
			if !ok || f.Waits && !isReady(ctx, s) {
				return true
			}
			if len(s.SelectionSet) > 0 && len(f.Of) > 0 && t.Waits(ctx, s.SelectionSet, f.Of...) {
				return true
			}
		case *ast.InlineFragment:
			if t.applies(s.TypeCondition, typ) && t.waits(ctx, s.SelectionSet, typ) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition == nil {
				return true
			}
			if t.applies(s.Definition.TypeCondition, typ) && t.waits(ctx, s.Definition.SelectionSet, typ) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// applies reports whether a fragment on condition may apply to an object of type typ: any
// condition but another object type (an interface or union may include typ).
func (t Types) applies(condition, typ string) bool {
	if condition == "" || condition == typ {
		return true
	}
	_, isObject := t[condition]
	return !isObject
}

// readyFields are the fields of the document that the operation marked ready.
type readyFields struct {
	mu     sync.Mutex
	fields []*ast.Field
}

type readyKey struct{}

// Middleware gives each response its own set of fields marked ready.
func Middleware(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	return next(context.WithValue(ctx, readyKey{}, &readyFields{}))
}

// MarkReady tells the executor that, in this operation, the resolver of field answers without
// waiting wherever the field is marshalled: a page whose rows' field was loaded in advance
// (a dataloader primed for every row) marks it, and the list of rows is then marshalled in order.
// A mark that is wrong for some row only makes that row's wait sequential; answers are the same.
func MarkReady(ctx context.Context, field *ast.Field) {
	r, _ := ctx.Value(readyKey{}).(*readyFields)
	if r == nil || field == nil {
		return
	}
	r.mu.Lock()
	r.fields = append(r.fields, field)
	r.mu.Unlock()
}

func isReady(ctx context.Context, field *ast.Field) bool {
	r, _ := ctx.Value(readyKey{}).(*readyFields)
	if r == nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.fields, field)
}

// MarshalSlice marshals a list's elements as graphql.MarshalSliceConcurrently does, in
// goroutines when concurrently is set and in order on this goroutine otherwise, with the same
// field context per element and the same handling of a panic (the error at the element's path,
// and null for the list).
func MarshalSlice(ctx context.Context, concurrently bool, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if concurrently {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	failed := false
	for i := range length {
		childCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					failed = true
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	if failed {
		return nil
	}
	return ret
}

// Object is one object's fields while its marshal function resolves them and what it returns
// once they are: gqlgen's FieldSet (Out) that the resolvers fill, the FieldSet of its deferred
// fields (Deferred, used only under @defer), and the values of up to inlineValues fields, all in
// one allocation where gqlgen made four (two FieldSets, the values, the written object). It
// writes the fields as gqlgen's FieldSet does (the first field of each alias, in order), without
// the copy of every field and the map of written aliases that FieldSet.MarshalGQL allocates.
type Object struct {
	Out      graphql.FieldSet
	Deferred graphql.FieldSet
	fields   []graphql.CollectedField
	inline   [inlineValues]graphql.Marshaler
}

// inlineValues is how many field values an Object holds without a slice of their own: most
// selections of an object are short (a user's groups as { id name }).
const inlineValues = 8

// maxScannedFields bounds the objects whose repeated aliases MarshalGQL finds by comparing each
// field's with those before it; larger ones keep gqlgen's map of written aliases.
const maxScannedFields = 24

// NewObject returns the Object of one object's collected fields, as graphql.NewFieldSet(fields)
// and graphql.NewFieldSet(nil) would.
func NewObject(fields []graphql.CollectedField) *Object {
	o := &Object{fields: fields}
	if len(fields) <= inlineValues {
		o.Out.Values = o.inline[:len(fields):len(fields)]
	} else {
		o.Out.Values = make([]graphql.Marshaler, len(fields))
	}
	return o
}

var (
	openBrace  = []byte{'{'}
	closeBrace = []byte{'}'}
	comma      = []byte{','}
	quote      = []byte{'"'}
	colon      = []byte{'"', ':'}
)

// MarshalGQL writes the object's fields: Out.Values, named by the collected fields.
func (o *Object) MarshalGQL(w io.Writer) {
	var written map[string]bool
	if len(o.fields) > maxScannedFields {
		written = make(map[string]bool, len(o.fields))
	}
	_, _ = w.Write(openBrace)
	first := true
	for i := range o.fields {
		alias := o.fields[i].Alias
		if written != nil {
			if written[alias] {
				continue
			}
			written[alias] = true
		} else if slices.ContainsFunc(o.fields[:i], func(f graphql.CollectedField) bool { return f.Alias == alias }) {
			continue
		}
		if !first {
			_, _ = w.Write(comma)
		}
		first = false
		// An alias is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*, checked by the parser): nothing
		// in it needs escaping.
		_, _ = w.Write(quote)
		_, _ = io.WriteString(w, alias)
		_, _ = w.Write(colon)
		o.Out.Values[i].MarshalGQL(w)
	}
	_, _ = w.Write(closeBrace)
}

// responseBuffers keep the buffers Marshal writes responses in.
var responseBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledResponse bounds the buffers kept: a rare large response does not hold its memory.
const maxPooledResponse = 1 << 20

// Marshal writes m to a buffer kept from response to response and returns a copy of exactly its
// size, which the response keeps. gqlgen grew a new buffer from nothing for each response.
func Marshal(m graphql.Marshaler) *bytes.Buffer {
	b := responseBuffers.Get().(*bytes.Buffer)
	b.Reset()
	m.MarshalGQL(b)
	out := bytes.NewBuffer(bytes.Clone(b.Bytes()))
	if b.Cap() <= maxPooledResponse {
		responseBuffers.Put(b)
	}
	return out
}

// Unmarshalers is gqlgen's map of input unmarshal functions, by the type each returns
// (graphql.BuildUnmarshalerMap); graphql.UnmarshalInputFromContext reads it.
type Unmarshalers = map[reflect.Type]reflect.Value

// ShareUnmarshalers returns a function that gives the map build makes, built at its first call
// and shared by every operation after it. The rewrite uses it only for unmarshalers that keep no
// state of an operation (see shareUnmarshalers there).
func ShareUnmarshalers(build func() Unmarshalers) func() Unmarshalers { return sync.OnceValue(build) }
