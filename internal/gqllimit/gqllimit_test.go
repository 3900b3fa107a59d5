package gqllimit

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/internal/errs"
)

const testSchema = `
interface Node { id: ID! }
type User implements Node { id: ID! name: String friends(first: Int, last: Int): UserConnection tags: [String!] }
type UserEdge { node: User cursor: String }
type PageInfo { hasNextPage: Boolean }
type UserConnection { edges: [UserEdge] pageInfo: PageInfo totalCount: Int }
type Query {
  me: User
  users(first: Int, last: Int): UserConnection!
  nodes(ids: [ID!]!): [Node]!
  plans: [User!]!
}
type Mutation { signin(email: String): String signup(email: String): String other: String }
`

type signedIn struct{}

func testLimiter(t *testing.T, mutate func(*Config)) *Limiter {
	t.Helper()
	cfg := Config{
		SignedIn:      Limits{QueryBytes: 4000, Tokens: 1000, Depth: 7, Aliases: 5, Spreads: 40, Repeats: 4, Complexity: 500},
		Anonymous:     Limits{QueryBytes: 200, Tokens: 60, Depth: 3, Aliases: 1, Spreads: 2, Repeats: 2, Complexity: 20},
		Pages:         Pages{Default: 20, Max: 100, List: 5},
		Once:          []string{"signin", "signup"},
		IsSignedIn:    func(ctx context.Context) bool { return ctx.Value(signedIn{}) != nil },
		Introspection: func(ctx context.Context) bool { return ctx.Value(signedIn{}) != nil },
	}
	if mutate != nil {
		mutate(&cfg)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l.schema = gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	return l
}

// nestedFragments is the exponential case: each fragment spreads the next twice, so the expanded
// tree has 2^n leaves while the text stays small.
func nestedFragments(n int) string {
	var b strings.Builder
	b.WriteString("{ me { ...F0 } }")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, " fragment F%d on User { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on User { id }", n)
	return b.String()
}

func TestCheck(t *testing.T) {
	user := context.WithValue(context.Background(), signedIn{}, true)
	anon := context.Background()
	cases := []struct {
		name  string
		ctx   context.Context
		query string
		vars  map[string]any
		// wantCode is "" when the query passes; wantField names the input at fault.
		wantCode  errs.Code
		wantField string
	}{
		{name: "small query", ctx: user, query: `{ me { id name } }`},
		{name: "syntax error is left to gqlgen", ctx: user, query: `{ me { `},
		{name: "text too long", ctx: anon, query: `{ me { id } }` + strings.Repeat(" ", 200), wantCode: errs.CodeQueryTooLarge},
		{name: "too many tokens", ctx: anon, query: `{ me { ` + strings.Repeat("id ", 60) + `} }`, wantCode: errs.CodeQueryTooLarge},
		{name: "too deep", ctx: user, query: `{ me { friends { edges { node { friends { edges { node { id } } } } } } } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "deep enough", ctx: user, query: `{ me { friends(first: 1) { edges { node { id } } } } }`},
		{name: "anonymous are shallower", ctx: anon, query: `{ me { friends(first: 1) { edges { node { id } } } } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "too many aliases", ctx: user, query: `{ a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } f: me { id } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "too many spreads", ctx: anon, query: `{ me { ...A ...A ...A } } fragment A on User { id }`, wantCode: errs.CodeQueryTooComplex},
		{name: "repeated field", ctx: user, query: `{ me {` + strings.Repeat(" id", 5) + ` } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "repeated field through fragments", ctx: user, query: `{ me { id ...A ...B } } fragment A on User { id id } fragment B on User { id id }`, wantCode: errs.CodeQueryTooComplex},
		{name: "repeated field within bounds", ctx: user, query: `{ me { id ...A } } fragment A on User { id }`},
		{name: "exponential fragments", ctx: user, query: nestedFragments(40), wantCode: errs.CodeQueryTooComplex},
		{name: "fragment chain", ctx: user, query: `{ me { ...A } } fragment A on User { id ...B } fragment B on User { name ...C } fragment C on User { tags }`},
		{name: "fragment cycle", ctx: user, query: `{ me { ...A } } fragment A on User { ...B } fragment B on User { ...A }`, wantCode: errs.CodeQueryTooComplex},
		{name: "unused fragment counts", ctx: user, query: `{ me { id } } fragment A on Query { users(first: 100) { edges { node { friends(first: 100) { totalCount } } } } }`, wantCode: errs.CodeQueryTooComplex},
		// Each costs 1 + 45 * 6 = 271: one fits the budget of 500, two do not.
		{name: "one operation", ctx: user, query: `query A { users(first: 45) { totalCount edges { node { id name tags } } } }`},
		{name: "operations share the budget", ctx: user, query: `query A { users(first: 45) { totalCount edges { node { id name tags } } } }
			query B { users(first: 45) { totalCount edges { node { id name tags } } } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "page above max", ctx: user, query: `{ users(first: 100000000) { totalCount } }`, wantCode: errs.CodeBadUserInput, wantField: "first"},
		{name: "last above max", ctx: user, query: `{ users(last: 101) { totalCount } }`, wantCode: errs.CodeBadUserInput, wantField: "last"},
		{name: "page from a variable", ctx: user, query: `query($n: Int) { users(first: $n) { totalCount } }`, vars: map[string]any{"n": float64(1e8)}, wantCode: errs.CodeBadUserInput, wantField: "first"},
		{name: "page from a variable default", ctx: user, query: `query($n: Int = 500) { users(first: $n) { totalCount } }`, wantCode: errs.CodeBadUserInput, wantField: "first"},
		{name: "too many ids", ctx: user, query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, vars: map[string]any{"ids": make([]any, 101)}, wantCode: errs.CodeBadUserInput, wantField: "ids"},
		// 1 + 50 * (1 + (1 + 20 * 3)) = 3101: each id multiplies what is below nodes.
		{name: "ids multiply", ctx: user, query: `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { a: friends(first: 20) { edges { node { id } } } } } }`,
			vars: map[string]any{"ids": make([]any, 50)}, wantCode: errs.CodeQueryTooComplex},
		{name: "fan-out", ctx: user, query: `{ users(first: 100) { edges { node { friends(first: 100) { edges { node { id } } } } } } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "omitted first counts the default page", ctx: user, query: `{ users { edges { node { friends { edges { node { id name tags } } } } } } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "small pages pass", ctx: user, query: `{ users(first: 5) { edges { node { friends(first: 5) { edges { node { id name } } } } } } }`},
		{name: "a zero page still weighs what is below", ctx: user, query: `{ users(first: 0) { edges { node { friends(first: 100) { pageInfo { hasNextPage } edges { node { id name tags } } } } } } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "lists multiply", ctx: anon, query: `{ plans { id name tags friends(first: 1) { totalCount } } }`, wantCode: errs.CodeQueryTooComplex},
		{name: "two sign-ins", ctx: user, query: `mutation { a: signin(email: "x") b: signin(email: "y") }`, wantCode: errs.CodeRateLimited},
		{name: "sign-in and sign-up through a fragment", ctx: user, query: `mutation { signin(email: "x") ...S } fragment S on Mutation { signup(email: "y") }`, wantCode: errs.CodeRateLimited},
		{name: "one sign-in", ctx: anon, query: `mutation { signin(email: "x") }`},
		{name: "introspection refused", ctx: anon, query: `{ __schema { types { name } } }`, wantCode: errs.CodeForbidden},
		{name: "type introspection refused", ctx: anon, query: `{ __type(name: "User") { name } }`, wantCode: errs.CodeForbidden},
		{name: "typename allowed", ctx: anon, query: `{ __typename }`},
		{name: "introspection allowed", ctx: user, query: `{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }`},
	}
	l := testLimiter(t, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := l.Check(c.ctx, c.query, c.vars)
			var got errs.Code
			var field string
			if err != nil {
				got, field = err.Code, err.Field
			}
			if got != c.wantCode || field != c.wantField {
				t.Fatalf("Check = %v (code %q, field %q), want code %q, field %q", err, got, field, c.wantCode, c.wantField)
			}
		})
	}
}

// A query measured once is measured again on every request, from the document kept: with other
// variables it may ask for a page too large, and a document parsed under the signed-in limits
// does not spare an anonymous caller their tighter token limit. Only the documents of queries
// gqlgen has validated are kept.
func TestKeptDocumentsAreMeasuredAgain(t *testing.T) {
	user := context.WithValue(context.Background(), signedIn{}, true)
	invalid := `{ me { notAField } }`
	l := testLimiter(t, func(c *Config) {
		c.Validated = func(_ context.Context, query string) bool { return query != invalid }
	})
	if err := l.Check(user, invalid, nil); err != nil || l.parsed.Len() != 0 {
		t.Fatalf("a query gqlgen did not validate: %v, %d kept; want it passed and not kept", err, l.parsed.Len())
	}
	page := `query($n: Int) { users(first: $n) { totalCount } }`
	for i, c := range []struct {
		n    float64
		want errs.Code
	}{{5, ""}, {1e8, errs.CodeBadUserInput}, {5, ""}} {
		err := l.Check(user, page, map[string]any{"n": c.n})
		if (err == nil && c.want != "") || (err != nil && err.Code != c.want) {
			t.Fatalf("request %d (first: %v): %v, want code %q", i+1, c.n, err, c.want)
		}
	}
	var vars strings.Builder
	for v := 'a'; v <= 'p'; v++ {
		fmt.Fprintf(&vars, "$%c:Int ", v)
	}
	tokens := `query(` + vars.String() + `) { me { id } }` // 16 variables: over the anonymous 60 tokens
	if err := l.Check(user, tokens, nil); err != nil {
		t.Fatalf("signed in: %v, want it measured and kept", err)
	}
	if err := l.Check(context.Background(), tokens, nil); err == nil || err.Code != errs.CodeQueryTooLarge {
		t.Fatalf("anonymous: %v, want the token limit", err)
	}
	if n := l.parsed.Len(); n != 2 {
		t.Fatalf("%d documents kept, want the page query's and the signed-in one of many tokens", n)
	}
}

// TestFixedQueriesAreMeasuredOnce: a kept query whose measure read no variable gives the same
// answer every time, so it is not walked again; one that read a variable, even inside a list, is.
func TestFixedQueriesAreMeasuredOnce(t *testing.T) {
	user := context.WithValue(context.Background(), signedIn{}, true)
	l := testLimiter(t, func(c *Config) { c.Validated = func(context.Context, string) bool { return true } })
	for _, c := range []struct {
		query string
		vars  map[string]any
		fixed bool
	}{
		{`{ users(first: 5) { totalCount } }`, nil, true},
		{`query($id: ID!) { nodes(ids: ["a", "b"]) { id } me { name } }`, map[string]any{"id": "x"}, true},
		{`query($n: Int) { users(first: $n) { totalCount } }`, map[string]any{"n": 5}, false},
		{`query($a: ID!) { nodes(ids: [$a, "b"]) { id } }`, map[string]any{"a": "x"}, false},
	} {
		for range 2 {
			if err := l.Check(user, c.query, c.vars); err != nil {
				t.Fatalf("%s: %v", c.query, err)
			}
		}
		pq, ok := l.parsed.Get(parsedKey{signedIn: true, query: c.query})
		if !ok || pq.fits[1].Load() != c.fixed || pq.fits[0].Load() {
			t.Errorf("%s: kept %v, measured once with introspection %v (want %v), without %v (want false)",
				c.query, ok, ok && pq.fits[1].Load(), c.fixed, ok && pq.fits[0].Load())
		}
	}
	// A fixed query that does not pass is refused every time.
	big := `{ users(first: 100) { edges { node { friends(first: 100) { totalCount } } } } }`
	for i := range 2 {
		if err := l.Check(user, big, nil); err == nil || err.Code != errs.CodeQueryTooComplex {
			t.Fatalf("request %d: %v, want it too complex", i+1, err)
		}
	}
}

// TestExponentialFragmentsFinish measures fragments nested far beyond what expansion could ever
// finish (2^5000 leaves): memoised, the walk is linear in the text.
func TestExponentialFragmentsFinish(t *testing.T) {
	l := testLimiter(t, func(c *Config) {
		c.SignedIn = Limits{QueryBytes: 1 << 20, Tokens: 1 << 20, Depth: 100, Aliases: 10, Spreads: 1 << 20, Repeats: 1 << 20, Complexity: 1 << 30}
	})
	err := l.Check(context.WithValue(context.Background(), signedIn{}, true), nestedFragments(5000), nil)
	if err == nil || err.Code != errs.CodeQueryTooComplex {
		t.Fatalf("Check = %v, want QUERY_TOO_COMPLEX", err)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{SignedIn: DefaultLimits(), Anonymous: DefaultAnonymousLimits(), Pages: DefaultPages(), IsSignedIn: func(context.Context) bool { return true }}
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{"defaults", func(*Config) {}, ""},
		{"zero depth", func(c *Config) { c.Anonymous.Depth = 0 }, "anonymous limits: depth must be positive"},
		{"negative complexity", func(c *Config) { c.SignedIn.Complexity = -1 }, "signed-in limits: complexity must be positive"},
		{"default page above max", func(c *Config) { c.Pages.Default = 500 }, "above the maximum"},
		{"no viewer test", func(c *Config) { c.IsSignedIn = nil }, "IsSignedIn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := ok
			c.mutate(&cfg)
			err := cfg.Validate()
			got := ""
			if err != nil {
				got = err.Error()
			}
			if (c.wantErr == "") != (err == nil) || !strings.Contains(got, c.wantErr) {
				t.Fatalf("Validate() = %q, want %q", got, c.wantErr)
			}
		})
	}
}

func TestDocumentCacheSetsDefaultPages(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	cases := []struct {
		name, query string
		// want is the first argument each connection field ends with, in document order.
		want []string
	}{
		{"omitted", `{ users { totalCount } }`, []string{"20"}},
		{"given", `{ users(first: 3) { totalCount } }`, []string{"3"}},
		{"last alone", `{ users(last: 3) { totalCount } }`, []string{""}},
		{"nested and in fragments", `{ users(first: 2) { edges { node { ...F } } } } fragment F on User { friends { totalCount } }`, []string{"2", "20"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, errList := gqlparser.LoadQuery(schema, c.query)
			if errList != nil {
				t.Fatal(errList)
			}
			cache := NewDocumentCache(graphql.MapCache[*ast.QueryDocument]{}, Pages{Default: 20, Max: 100, List: 5})
			cache.Add(context.Background(), c.query, doc)
			kept, ok := cache.Get(context.Background(), c.query)
			if !ok {
				t.Fatal("the document was not kept")
			}
			var got []string
			var walk func(ast.SelectionSet)
			walk = func(set ast.SelectionSet) {
				for _, sel := range set {
					switch s := sel.(type) {
					case *ast.Field:
						if s.Name == "users" || s.Name == "friends" {
							v := ""
							if a := s.Arguments.ForName("first"); a != nil {
								v = a.Value.Raw
							}
							got = append(got, v)
						}
						walk(s.SelectionSet)
					case *ast.InlineFragment:
						walk(s.SelectionSet)
					}
				}
			}
			for _, op := range kept.Operations {
				walk(op.SelectionSet)
			}
			for _, f := range kept.Fragments {
				walk(f.SelectionSet)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("first arguments = %q, want %q", got, c.want)
			}
		})
	}
}
