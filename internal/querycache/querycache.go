// Package querycache answers a repeated GraphQL query from memory while nothing it could have read
// has changed: the admin pages and dashboards that clients poll (the users page, plans, usage)
// then cost a lookup instead of a dozen statements and thousands of resolver calls.
//
// An answer is kept per viewer (user, role and credential), operation and variables, and is good
// until the database's write count moves (see db.DB.Writes: any statement that may change data,
// and any commit) or, for what the clock alone changes (isActive, expiring reservations), for TTL.
// Writes that do not go through this process are not seen by db.DB.Writes: with several replicas,
// SharedWrites adds the writes the others announce over the event bus.
package querycache

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/sync/singleflight"

	"github.com/steward-dev/steward/internal/auth"
)

// maxAnswer is the largest answer kept: with Config.Size it bounds the memory the cache may hold.
const maxAnswer = 128 << 10

// Config configures a Cache.
type Config struct {
	// Writes is the database's write count (db.DB.Writes).
	Writes func() uint64
	// TTL bounds how long an answer is kept without writes.
	TTL time.Duration
	// Size is how many answers are kept, least recently used first out.
	Size int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Uncached names the root query fields whose operations always run, such as those whose
	// point is to see changes made behind the service's back (an audit chain verification).
	Uncached []string
}

// Cache is a gqlgen handler extension. It is safe for concurrent use.
type Cache struct {
	writes   func() uint64
	ttl      time.Duration
	now      func() time.Time
	uncached []string
	lru      *lru.LRU[answer]
	flights  singleflight.Group
}

type answer struct {
	data   json.RawMessage
	writes uint64
	until  time.Time
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = (*Cache)(nil)

// New returns a Cache.
func New(cfg Config) *Cache {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Cache{writes: cfg.Writes, ttl: cfg.TTL, now: cfg.Now, uncached: cfg.Uncached, lru: lru.New[answer](max(1, cfg.Size))}
}

// ExtensionName implements graphql.HandlerExtension.
func (c *Cache) ExtensionName() string { return "QueryCache" }

// Validate implements graphql.HandlerExtension.
func (c *Cache) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation answers a query from the cache when it can, and otherwise runs it and keeps
// a successful answer.
func (c *Cache) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Query || c.selectsUncached(oc.Operation.SelectionSet) {
		return next(ctx)
	}
	key, ok := cacheKey(auth.ViewerFrom(ctx), oc)
	if !ok {
		return next(ctx)
	}
	// The write count is read before the query runs: a write that lands while it runs leaves the
	// answer stored under an older count, so it is never served.
	writes, now := c.writes(), c.now()
	if a, ok := c.fresh(ctx, key, writes, now); ok {
		return graphql.OneShot(&graphql.Response{Data: a.data})
	}
	respond := next(ctx)
	first := true
	return func(ctx context.Context) *graphql.Response {
		if !first {
			return respond(ctx) // the deferred parts of an answer that was not kept
		}
		first = false
		// Identical queries that miss together run once: after a write, every client polling a
		// page misses at the same moment, and each would compute the same answer.
		ran := false
		v, _, _ := c.flights.Do(key+"\x00"+strconv.FormatUint(writes, 10), func() (any, error) {
			ran = true
			if a, ok := c.fresh(ctx, key, writes, now); ok {
				return &graphql.Response{Data: a.data}, nil // kept by a flight that just ended
			}
			resp := respond(ctx)
			if keepable(resp) {
				c.lru.Add(ctx, key, answer{data: resp.Data, writes: writes, until: now.Add(c.ttl)})
			}
			return resp, nil
		})
		resp := v.(*graphql.Response)
		// singleflight reports the flight as shared to the caller that ran it as well, whose
		// respond has then been used up (a second call answers nil, sent as `null`): what a
		// caller ran is its own answer, whatever it holds.
		if ran {
			return resp
		}
		if !keepable(resp) {
			return respond(ctx) // an error or a deferred answer is the asker's own: run it
		}
		return &graphql.Response{Data: resp.Data}
	}
}

// fresh returns the answer kept under key if nothing was written since and its TTL has not passed.
func (c *Cache) fresh(ctx context.Context, key string, writes uint64, now time.Time) (answer, bool) {
	a, ok := c.lru.Get(ctx, key)
	return a, ok && a.writes == writes && now.Before(a.until)
}

// keepable reports whether resp is a whole, successful answer that may be reused.
func keepable(resp *graphql.Response) bool {
	return resp != nil && resp.HasNext == nil && len(resp.Errors) == 0 && len(resp.Extensions) == 0 &&
		len(resp.Data) <= maxAnswer
}

// selectsUncached reports whether a query selects an uncached root field, directly or through
// fragments.
func (c *Cache) selectsUncached(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if slices.Contains(c.uncached, s.Name) {
				return true
			}
		case *ast.InlineFragment:
			if c.selectsUncached(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && c.selectsUncached(s.Definition.SelectionSet) {
				return true
			}
		}
	}
	return false
}

// cacheKey names an answer: who asks (the same query shows different users different things)
// and exactly what. It refuses operations whose variables cannot be encoded.
func cacheKey(v *auth.Viewer, oc *graphql.OperationContext) (string, bool) {
	vars, err := json.Marshal(oc.Variables) // map keys come out sorted
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if v != nil {
		b.WriteString(v.UserID)
		b.WriteByte(0)
		b.WriteString(string(v.Role))
		b.WriteByte(0)
		b.WriteString(v.SessionID)
		b.WriteByte(0)
		b.WriteString(v.APIKeyID)
	}
	b.WriteByte(0)
	b.WriteString(oc.OperationName)
	b.WriteByte(0)
	b.WriteString(oc.RawQuery)
	b.WriteByte(0)
	b.Write(vars)
	return b.String(), true
}
