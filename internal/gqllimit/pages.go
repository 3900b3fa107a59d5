package gqllimit

import (
	"context"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// DocumentCache wraps gqlgen's cache of parsed, validated documents so that every connection
// field given neither first nor last gets `first: Pages.Default` written into the document.
// entgql loads nested connections with their parent, from the arguments written in the
// document, so a default set later (in a field middleware) would come too late for them.
//
// gqlgen adds a document to its cache right after validating it and before running it, from the
// one goroutine that parsed it; that is the only moment the document is not yet shared, so it is
// changed there and nowhere else. The server must therefore always run with this cache.
type DocumentCache struct {
	inner graphql.Cache[*ast.QueryDocument]
	page  string
}

var _ graphql.Cache[*ast.QueryDocument] = (*DocumentCache)(nil)

// NewDocumentCache returns a DocumentCache over inner (e.g. an lru.LRU).
func NewDocumentCache(inner graphql.Cache[*ast.QueryDocument], pages Pages) *DocumentCache {
	return &DocumentCache{inner: inner, page: strconv.Itoa(pages.Default)}
}

// Get implements graphql.Cache.
func (c *DocumentCache) Get(ctx context.Context, key string) (*ast.QueryDocument, bool) {
	return c.inner.Get(ctx, key)
}

// Has reports whether the document of query is kept: gqlgen parsed and validated it.
func (c *DocumentCache) Has(ctx context.Context, query string) bool {
	_, ok := c.inner.Get(ctx, query)
	return ok
}

// Add implements graphql.Cache: it sets the default pages, then keeps doc.
func (c *DocumentCache) Add(ctx context.Context, key string, doc *ast.QueryDocument) {
	for _, op := range doc.Operations {
		c.setDefaultPages(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		c.setDefaultPages(f.SelectionSet)
	}
	c.inner.Add(ctx, key, doc)
}

// setDefaultPages walks set without entering fragment spreads: every fragment definition is
// walked once on its own.
func (c *DocumentCache) setDefaultPages(set ast.SelectionSet) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if d := s.Definition; d != nil && d.Arguments.ForName("first") != nil &&
				s.Arguments.ForName("first") == nil && s.Arguments.ForName("last") == nil {
				s.Arguments = append(s.Arguments, &ast.Argument{Name: "first", Position: s.Position,
					Value: &ast.Value{Kind: ast.IntValue, Raw: c.page, Position: s.Position}})
			}
			c.setDefaultPages(s.SelectionSet)
		case *ast.InlineFragment:
			c.setDefaultPages(s.SelectionSet)
		}
	}
}
