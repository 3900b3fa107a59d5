package querycache

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// world is an executor over a one-field schema whose answers the test controls.
type world struct {
	exec       *executor.Executor
	writes     atomic.Uint64
	dispatched atomic.Int32 // operations that reached the schema (missed the cache)
	runs       atomic.Int32 // operations that computed an answer
	gate       chan struct{}
	fail       atomic.Bool
}

func newWorld(t *testing.T) *world {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { name: String! }`})
	w := &world{gate: make(chan struct{})}
	close(w.gate)
	es := &graphql.ExecutableSchemaMock{
		SchemaFunc:     func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) { return 1, true },
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			w.dispatched.Add(1)
			ran := false
			return func(ctx context.Context) *graphql.Response {
				if ran {
					return nil
				}
				ran = true
				<-w.gate
				w.runs.Add(1)
				if w.fail.Load() {
					return graphql.ErrorResponse(ctx, "failed")
				}
				return &graphql.Response{Data: []byte(`{"name":"answer"}`)}
			}
		},
	}
	w.exec = executor.New(es)
	w.exec.Use(New(Config{Writes: w.writes.Load, TTL: time.Minute, Size: 8}))
	return w
}

func (w *world) query(t *testing.T) *graphql.Response {
	t.Helper()
	ctx := graphql.StartOperationTrace(context.Background())
	rc, errs := w.exec.CreateOperationContext(ctx, &graphql.RawParams{Query: `{ name }`})
	if errs != nil {
		t.Fatal(errs)
	}
	respond, ctx := w.exec.DispatchOperation(ctx, rc)
	return respond(ctx)
}

func TestAnswersAreKeptUntilAWrite(t *testing.T) {
	w := newWorld(t)
	for range 3 {
		if got := string(w.query(t).Data); got != `{"name":"answer"}` {
			t.Fatalf("answer = %s", got)
		}
	}
	if got := w.runs.Load(); got != 1 {
		t.Errorf("computed %d times for 3 identical queries, want 1", got)
	}
	w.writes.Add(1)
	w.query(t)
	if got := w.runs.Load(); got != 2 {
		t.Errorf("computed %d times after a write, want 2", got)
	}
}

func TestErrorsAreNotKept(t *testing.T) {
	w := newWorld(t)
	w.fail.Store(true)
	w.query(t)
	w.query(t)
	if got := w.runs.Load(); got != 2 {
		t.Errorf("a failed answer was reused: computed %d times, want 2", got)
	}
}

func TestConcurrentMissesComputeOnce(t *testing.T) {
	w := newWorld(t)
	w.gate = make(chan struct{}) // the first computation waits until every query has missed
	const queries = 8
	var wg sync.WaitGroup
	answers := make([]string, queries)
	for i := range queries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = string(w.query(t).Data)
		}()
	}
	for w.dispatched.Load() < queries {
		time.Sleep(time.Millisecond)
	}
	close(w.gate)
	wg.Wait()
	if got := w.runs.Load(); got != 1 {
		t.Errorf("%d concurrent identical misses computed %d times, want 1", queries, got)
	}
	for i, a := range answers {
		if a != `{"name":"answer"}` {
			t.Errorf("query %d got %s", i, a)
		}
	}
}
