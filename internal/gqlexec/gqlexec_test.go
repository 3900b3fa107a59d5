package gqlexec

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const schema = `
type Query { users: [User!]! node: Node }
interface Node { id: ID! }
type User implements Node { id: ID! name: String! groups: [Group!]! }
type Group implements Node { id: ID! name: String! memberCount: Int! }
`

// types is the table the rewrite would generate for schema: User.groups and Group.memberCount
// have resolvers.
var types = Types{
	"User":  {"id": {}, "name": {}, "groups": {Waits: true, Of: []string{"Group"}}},
	"Group": {"id": {}, "name": {}, "memberCount": {Waits: true}},
}

// rootSelection parses and validates query and returns its first root field.
func rootSelection(t *testing.T, query string) *ast.Field {
	t.Helper()
	s := gqlparser.MustLoadSchema(&ast.Source{Input: schema})
	doc, errs := gqlparser.LoadQuery(s, query)
	if errs != nil {
		t.Fatal(errs)
	}
	return doc.Operations[0].SelectionSet[0].(*ast.Field)
}

func TestWaits(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		types       []string
		want        bool
	}{
		{"plain fields", `{ users { id name } }`, []string{"User"}, false},
		{"a resolver", `{ users { id groups { id } } }`, []string{"User"}, true},
		{"typename", `{ users { __typename id } }`, []string{"User"}, false},
		{"a resolver under a fragment", `{ users { ...F } } fragment F on User { groups { id } }`, []string{"User"}, true},
		{"an inline fragment", `{ users { ... on User { name groups { id } } } }`, []string{"User"}, true},
		{"a fragment on another object type does not apply", `{ node { id ... on Group { memberCount } } }`, []string{"User"}, false},
		{"an interface's fragment applies", `{ node { ... on Node { id } } }`, []string{"User"}, false},
		{"any of the types", `{ node { id ... on Group { memberCount } } }`, []string{"User", "Group"}, true},
		{"an unknown type waits", `{ users { id } }`, []string{"Plan"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := rootSelection(t, tc.query)
			if got := types.Waits(context.Background(), f.SelectionSet, tc.types...); got != tc.want {
				t.Fatalf("Waits = %v, want %v", got, tc.want)
			}
		})
	}
}

// A field marked ready does not wait, but what is under it still counts.
func TestMarkReady(t *testing.T) {
	var ctx context.Context
	Middleware(context.Background(), func(c context.Context) *graphql.Response { ctx = c; return nil })

	plain := rootSelection(t, `{ users { id groups { id name } } }`)
	deep := rootSelection(t, `{ users { id groups { id memberCount } } }`)
	groupsOf := func(f *ast.Field) *ast.Field { return f.SelectionSet[1].(*ast.Field) }
	if !types.Waits(ctx, plain.SelectionSet, "User") {
		t.Fatal("groups waits before it is marked")
	}
	MarkReady(ctx, groupsOf(plain))
	MarkReady(ctx, groupsOf(deep))
	if types.Waits(ctx, plain.SelectionSet, "User") {
		t.Fatal("groups marked ready still waits")
	}
	if !types.Waits(ctx, deep.SelectionSet, "User") {
		t.Fatal("memberCount under groups marked ready no longer waits")
	}
	other := rootSelection(t, `{ users { id groups { id name } } }`) // the same text, another document
	if !types.Waits(ctx, other.SelectionSet, "User") {
		t.Fatal("a mark reached a field of another document")
	}
	if !types.Waits(context.Background(), plain.SelectionSet, "User") {
		t.Fatal("a mark reached another operation")
	}
}

func TestMarshalSliceInOrder(t *testing.T) {
	for _, concurrently := range []bool{false, true} {
		t.Run(strconv.FormatBool(concurrently), func(t *testing.T) {
			ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
			ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "users"}}})
			paths := make([]string, 3)
			ret := MarshalSlice(ctx, concurrently, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
				paths[i] = graphql.GetPath(ctx).String()
				return graphql.MarshalInt(i)
			})
			var b bytes.Buffer
			ret.MarshalGQL(&b)
			if b.String() != "[0,1,2]" || paths[2] != "users[2]" {
				t.Fatalf("list %s, paths %v", b.String(), paths)
			}

			ret = MarshalSlice(ctx, concurrently, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
				if i == 1 {
					panic(errors.New("boom"))
				}
				return graphql.MarshalInt(i)
			})
			errs := graphql.GetErrors(ctx)
			if ret != nil || len(errs) != 1 || errs[0].Path.String() != "users[1]" {
				t.Fatalf("a panicking element: list %v, errors %v", ret, errs)
			}
		})
	}
}

// Object writes what gqlgen's FieldSet writes: each alias once, the first, in order.
func TestObjectWritesAsFieldSet(t *testing.T) {
	collected := func(aliases ...string) []graphql.CollectedField {
		out := make([]graphql.CollectedField, len(aliases))
		for i, a := range aliases {
			out[i] = graphql.CollectedField{Field: &ast.Field{Alias: a, Name: a}}
		}
		return out
	}
	for _, fields := range [][]graphql.CollectedField{
		collected("id", "name", "groups"),
		collected("id", "name", "id", "other"),
		collected(),
		collected(strings.Split("abcdefghijk", "")...), // values of their own
		collected(append(strings.Split("abcdefghijklmnopqrstuvwxyz", ""), "c")...), // aliases in a map
	} {
		out := graphql.NewFieldSet(fields)
		o := NewObject(fields)
		if len(o.Out.Values) != len(fields) || len(o.Deferred.Values) != 0 {
			t.Fatalf("%d fields: %d values, %d deferred", len(fields), len(o.Out.Values), len(o.Deferred.Values))
		}
		for i := range out.Values {
			out.Values[i] = graphql.MarshalInt(i)
			o.Out.Values[i] = graphql.MarshalInt(i)
		}
		var got, want bytes.Buffer
		o.MarshalGQL(&got)
		out.MarshalGQL(&want)
		if got.String() != want.String() {
			t.Errorf("Object wrote %s, FieldSet %s", got.String(), want.String())
		}
	}
}

// The deferred fields of an Object are gqlgen's FieldSet of no fields, which @defer adds to.
func TestObjectDefersAsFieldSet(t *testing.T) {
	o := NewObject(nil)
	o.Deferred.AddField(graphql.CollectedField{Field: &ast.Field{Alias: "a", Name: "a"}})
	o.Deferred.Concurrently(0, func(context.Context) graphql.Marshaler { return graphql.MarshalInt(7) })
	view := o.Deferred.NewView()
	view.AddIndices(0)
	o.Deferred.Dispatch(context.Background())
	var b bytes.Buffer
	view.MarshalGQL(&b)
	if b.String() != `{"a":7}` {
		t.Fatalf("the deferred group wrote %s", b.String())
	}
}

// A response's data is its own: writing the next response, in the buffer kept, leaves it alone.
func TestMarshalKeepsEachResponse(t *testing.T) {
	first := Marshal(graphql.MarshalString("first"))
	second := Marshal(graphql.MarshalString("the second, longer"))
	if first.String() != `"first"` || second.String() != `"the second, longer"` {
		t.Fatalf("responses %s and %s", first.String(), second.String())
	}
}
