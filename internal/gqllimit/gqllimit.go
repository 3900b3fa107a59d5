// Package gqllimit bounds what one GraphQL request may cost, and refuses it before any expensive
// work when it asks for more: the query's size and tokens, its depth, aliases, fragment spreads,
// fields repeated under one response name, page sizes and a complexity that multiplies by page
// and list sizes. The document is measured in one walk over its own syntax tree, each fragment
// once (memoised), so a query whose expanded tree is exponential is measured in linear time;
// gqlgen's validation (whose overlapping-fields rule is quadratic in repeated fields) and
// execution only ever see documents that passed.
package gqllimit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/steward-dev/steward/internal/errs"
)

// Limits bound one operation document. Every limit must be positive.
type Limits struct {
	// QueryBytes bounds the query text.
	QueryBytes int
	// Tokens bounds the lexical tokens of the query text (punctuation, names, values).
	Tokens int
	// Depth bounds the nesting of fields, fragments expanded (introspection is not counted: its
	// shape is fixed by the schema).
	Depth int
	// Aliases bounds the aliased fields written in the document.
	Aliases int
	// Spreads bounds the fragment spreads written in the document.
	Spreads int
	// Repeats bounds how many fields one selection set has under one response name, fragments
	// included: validation compares every pair of them.
	Repeats int
	// Complexity bounds the operation's cost: each field counts 1, and what is below a field
	// counts once per row it may return (first/last, the number of ids, or Pages.List).
	Complexity int
}

// Validate reports every non-positive limit.
func (l Limits) Validate() error {
	var problems []error
	for _, f := range []struct {
		name string
		v    int
	}{{"bytes", l.QueryBytes}, {"tokens", l.Tokens}, {"depth", l.Depth}, {"aliases", l.Aliases},
		{"spreads", l.Spreads}, {"repeats", l.Repeats}, {"complexity", l.Complexity}} {
		if f.v <= 0 {
			problems = append(problems, fmt.Errorf("%s must be positive, got %d", f.name, f.v))
		}
	}
	return errors.Join(problems...)
}

// DefaultLimits are for signed-in callers: the playground and the admin console fit well within.
func DefaultLimits() Limits {
	return Limits{QueryBytes: 32 << 10, Tokens: 5000, Depth: 12, Aliases: 50, Spreads: 100, Repeats: 30, Complexity: 20000}
}

// DefaultAnonymousLimits are for anonymous callers, who need sign-in, sign-up, public plans and
// (outside production) the playground's introspection.
func DefaultAnonymousLimits() Limits {
	return Limits{QueryBytes: 8 << 10, Tokens: 1500, Depth: 8, Aliases: 5, Spreads: 25, Repeats: 10, Complexity: 1000}
}

// Pages are the page sizes of connections (fields with first/last arguments) and lists.
type Pages struct {
	// Default is the page a connection returns when neither first nor last is given.
	Default int
	// Max bounds first, last and the number of ids of nodes(ids:).
	Max int
	// List is the length assumed for a plain list field, to weigh what is below it.
	List int
}

// DefaultPages are the default page sizes.
func DefaultPages() Pages { return Pages{Default: 50, Max: 200, List: 10} }

// Validate reports a page size that is not positive, and a default above the maximum.
func (p Pages) Validate() error {
	if p.Default <= 0 || p.Max <= 0 || p.List <= 0 {
		return fmt.Errorf("page sizes must be positive (default %d, max %d, list %d)", p.Default, p.Max, p.List)
	}
	if p.Default > p.Max {
		return fmt.Errorf("default page size %d is above the maximum %d", p.Default, p.Max)
	}
	return nil
}

// Config configures a Limiter.
type Config struct {
	// SignedIn applies to signed-in callers, Anonymous to everyone else.
	SignedIn, Anonymous Limits
	Pages               Pages
	// Once names root mutation fields an operation may hold at most once, such as sign-in: each
	// costs a password hash, and the rate limits count one attempt per field as it runs. The
	// mutations the schema marks @oncePerOperation are added to it.
	Once []string
	// IsSignedIn tells whether the caller of ctx gets the SignedIn limits; required.
	IsSignedIn func(ctx context.Context) bool
	// Introspection tells whether the caller of ctx may use __schema and __type; nil means
	// everyone may.
	Introspection func(ctx context.Context) bool
	// Validated tells whether gqlgen holds query parsed and validated (DocumentCache.Has). The
	// limiter keeps its own parse of a query only then, so that what it keeps is bounded like
	// gqlgen's cache: made of queries that are valid, not of any text that passes the measure.
	// Nil keeps nothing.
	Validated func(ctx context.Context, query string) bool
}

// Validate reports every problem of the configuration.
func (c Config) Validate() error {
	var problems []error
	if err := c.SignedIn.Validate(); err != nil {
		problems = append(problems, fmt.Errorf("gqllimit: signed-in limits: %w", err))
	}
	if err := c.Anonymous.Validate(); err != nil {
		problems = append(problems, fmt.Errorf("gqllimit: anonymous limits: %w", err))
	}
	if err := c.Pages.Validate(); err != nil {
		problems = append(problems, fmt.Errorf("gqllimit: %w", err))
	}
	if c.IsSignedIn == nil {
		problems = append(problems, errors.New("gqllimit: IsSignedIn is required"))
	}
	return errors.Join(problems...)
}

// Limiter is a gqlgen handler extension that measures every operation before gqlgen parses and
// validates it, and refuses it with a categorised error (internal/errs) when it asks for too
// much. It must be added after the extensions that fill in the query text (persisted queries).
type Limiter struct {
	cfg    Config
	schema *ast.Schema
	// parsed keeps the documents of valid queries that passed, per kind of caller (their token
	// limits differ): clients repeat a few queries, and parsing them again was two thirds of the
	// measure's cost. The walk runs again on every request whose variables may change the pages.
	parsed *lru.Cache[parsedKey, *parsedQuery]
}

// parsedQuery is a kept document, and whether it passed a walk that read no variable, with and
// without introspection: such a walk gives the same answer every time, so it is not run again.
type parsedQuery struct {
	doc  *ast.QueryDocument
	fits [2]atomic.Bool
}

// parsedKey names a parsed query: its text, and whether it was parsed under the signed-in limits.
type parsedKey struct {
	signedIn bool
	query    string
}

// parsedQueries bounds the documents a Limiter keeps, as gqlgen's own document cache does.
const parsedQueries = 1000

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = (*Limiter)(nil)

// New returns a Limiter.
func New(cfg Config) (*Limiter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Introspection == nil {
		cfg.Introspection = func(context.Context) bool { return true }
	}
	parsed, err := lru.New[parsedKey, *parsedQuery](parsedQueries)
	if err != nil {
		return nil, err
	}
	return &Limiter{cfg: cfg, parsed: parsed}, nil
}

// ExtensionName implements graphql.HandlerExtension.
func (l *Limiter) ExtensionName() string { return "RequestLimits" }

// Validate implements graphql.HandlerExtension; it keeps the schema, whose field definitions tell
// connections and lists apart.
func (l *Limiter) Validate(s graphql.ExecutableSchema) error {
	l.schema = s.Schema()
	if m := l.schema.Mutation; m != nil {
		for _, f := range m.Fields {
			if f.Directives.ForName("oncePerOperation") != nil && !slices.Contains(l.cfg.Once, f.Name) {
				l.cfg.Once = append(l.cfg.Once, f.Name)
			}
		}
	}
	return nil
}

// MutateOperationParameters measures the query text against the caller's limits. Text that does
// not parse for another reason than its size is left to gqlgen, which reports the syntax error.
func (l *Limiter) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil
	}
	if e := l.Check(ctx, p.Query, p.Variables); e != nil {
		return &gqlerror.Error{Message: e.Error(), Err: e}
	}
	return nil
}

// Check measures query with variables against the limits of the caller of ctx.
func (l *Limiter) Check(ctx context.Context, query string, vars map[string]any) *errs.Error {
	signedIn := l.cfg.IsSignedIn(ctx)
	lim := l.cfg.Anonymous
	if signedIn {
		lim = l.cfg.SignedIn
	}
	if len(query) > lim.QueryBytes {
		return tooLarge("the query is longer than %d bytes", lim.QueryBytes)
	}
	key := parsedKey{signedIn: signedIn, query: query}
	introspection := l.cfg.Introspection(ctx)
	fits := 0
	if introspection {
		fits = 1
	}
	pq, known := l.parsed.Get(key)
	if known && pq.fits[fits].Load() {
		return nil
	}
	if !known {
		doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, lim.Tokens)
		if err != nil {
			var ge *gqlerror.Error
			if errors.As(err, &ge) && strings.HasPrefix(ge.Message, "exceeded token limit") {
				return tooLarge("the query has more than %d tokens", lim.Tokens)
			}
			return nil
		}
		pq = &parsedQuery{doc: doc}
	}
	w := newWalker(l.schema, pq.doc, vars, lim, l.cfg.Pages, l.cfg.Once, introspection)
	if e := w.measure(); e != nil {
		return e
	}
	if !w.readVariables {
		pq.fits[fits].Store(true)
	}
	if !known && l.cfg.Validated != nil && l.cfg.Validated(ctx, query) {
		l.parsed.Add(key, pq)
	}
	return nil
}

// MutateOperationContext turns introspection on for the callers allowed it (gqlgen starts with it
// off); the measure already refused __schema and __type to the others with a clear error.
func (l *Limiter) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	oc.DisableIntrospection = !l.cfg.Introspection(ctx)
	return nil
}

func tooLarge(format string, args ...any) *errs.Error {
	return &errs.Error{Code: errs.CodeQueryTooLarge, Message: fmt.Sprintf(format, args...)}
}

func tooComplex(format string, args ...any) *errs.Error {
	return &errs.Error{Code: errs.CodeQueryTooComplex, Message: fmt.Sprintf(format, args...)}
}
