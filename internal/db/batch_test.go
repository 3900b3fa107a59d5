package db_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

func TestBatcherIsolatesCallers(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			sys := authz.AsOperator(context.Background())
			opener := dbtest.NewHeldOpener(d.Client)
			const callers, size = 25, 8
			batcher := db.NewBatcher(opener, size, 1)
			errFailed := errors.New("this caller fails after writing")
			cancelled, cancel := context.WithCancel(sys)
			cancel()

			outcome := func(i int) string {
				switch {
				case i%4 == 1:
					return "fails"
				case i == 6:
					return "panics"
				case i == 10:
					return "cancelled"
				}
				return "commits"
			}
			var hooks [callers]atomic.Int32
			errsOf := make([]error, callers)
			var wg sync.WaitGroup
			call := func(i int) {
				defer wg.Done()
				ctx := sys
				if outcome(i) == "cancelled" {
					ctx = cancelled
				}
				errsOf[i] = batcher.Do(ctx, fmt.Sprintf("%02d", i), func(ctx context.Context, c *ent.Client) error {
					if err := c.Group.Create().SetName(fmt.Sprintf("g%02d", i)).Exec(ctx); err != nil {
						return err
					}
					db.AfterCommit(ctx, func() { hooks[i].Add(1) })
					db.AfterTx(ctx, func() { hooks[i].Add(10) })
					switch outcome(i) {
					case "fails":
						return errFailed
					case "panics":
						panic("boom")
					}
					return nil
				})
			}
			wg.Add(1)
			go call(0) // takes the first transaction, held open below
			dbtest.WaitFor(t, func() bool { return opener.Opened.Load() == 1 })
			for i := 1; i < callers; i++ {
				wg.Add(1)
				go call(i)
			}
			dbtest.WaitFor(t, func() bool {
				return batcher.Waiting() == callers-1
			})
			opener.Release()
			wg.Wait()

			// The first caller alone, then the 24 queued ones in batches of 8. Every batch has
			// failing callers: the first runs again with savepoints, and so do the next ones.
			if got, want := opener.Opened.Load(), int32(1+(callers-1+size-1)/size+1); got != want {
				t.Errorf("transactions = %d, want %d", got, want)
			}
			names := d.Client.Group.Query().Order(group.ByName()).Select(group.FieldName).StringsX(sys)
			var want []string
			for i := range callers {
				o := outcome(i)
				err := errsOf[i]
				switch o {
				case "commits":
					want = append(want, fmt.Sprintf("g%02d", i))
					if err != nil || hooks[i].Load() != 11 {
						t.Errorf("caller %d: err %v, hooks %d; want nil and both hooks", i, err, hooks[i].Load())
					}
				case "fails":
					if !errors.Is(err, errFailed) || hooks[i].Load() != 10 {
						t.Errorf("caller %d: err %v, hooks %d; want its own error and only db.AfterTx", i, err, hooks[i].Load())
					}
				case "panics":
					if err == nil || hooks[i].Load() != 10 {
						t.Errorf("caller %d: err %v, hooks %d; want an error and only db.AfterTx", i, err, hooks[i].Load())
					}
				case "cancelled":
					if !errors.Is(err, context.Canceled) || hooks[i].Load() != 0 {
						t.Errorf("caller %d: err %v, hooks %d; want context.Canceled and no hooks", i, err, hooks[i].Load())
					}
				}
			}
			if fmt.Sprint(names) != fmt.Sprint(want) {
				t.Errorf("committed groups = %v, want %v", names, want)
			}
		})
	}
}

func TestBatcherFailsTheBatchWhenItCannotBegin(t *testing.T) {
	batcher := db.NewBatcher(failingOpener{}, 4, 2)
	err := batcher.Do(authz.AsOperator(context.Background()), "", func(ctx context.Context, c *ent.Client) error {
		t.Error("work ran without a transaction")
		return nil
	})
	if err == nil {
		t.Fatal("Do succeeded without a transaction")
	}
}

type failingOpener struct{}

func (failingOpener) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	return ctx, nil, errors.New("database is down")
}

func TestRetryable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "40P01"}, true},
		{fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: "40001"}), true},
		{&pgconn.PgError{Code: "23505"}, false},
		{sqlite3.Error{Code: sqlite3.ErrBusy}, true},
		{sqlite3.Error{Code: sqlite3.ErrConstraint}, false},
		{errors.New("other"), false},
	} {
		if got := db.Retryable(c.err); got != c.want {
			t.Errorf("db.Retryable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// waitFor polls cond until it holds; the test's own deadline bounds it.

func TestBatcherOrdersCallersAndAddsUpSums(t *testing.T) {
	d := dbtest.NewDB(t, dbtest.SQLite)
	sys := authz.AsOperator(context.Background())
	opener := dbtest.NewHeldOpener(d.Client)
	batcher := db.NewBatcher(opener, 16, 1)
	var (
		mu      sync.Mutex
		order   []string
		applied = map[string][]int64{}
	)
	record := func(ctx context.Context, key string, n int64, fail bool) error {
		return batcher.Do(ctx, key, func(ctx context.Context, c *ent.Client) error {
			mu.Lock()
			order = append(order, key)
			mu.Unlock()
			for _, k := range []string{"total-a", "total-b"} {
				if err := db.AddUp(ctx, c, k, n, func(_ context.Context, _ *ent.Client, total int64) error {
					mu.Lock()
					defer mu.Unlock()
					applied[k] = append(applied[k], total)
					return nil
				}); err != nil {
					return err
				}
			}
			if fail {
				return errors.New("refused")
			}
			return nil
		})
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = record(sys, "first", 1000, false) }() // held open, alone
	dbtest.WaitFor(t, func() bool { return opener.Opened.Load() == 1 })
	for i, key := range []string{"c", "a", "d", "b"} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = record(sys, key, int64(1)<<i, key == "d") }()
	}
	dbtest.WaitFor(t, func() bool {
		return batcher.Waiting() == 4
	})
	opener.Release()
	wg.Wait()

	// d's failure makes the batch run again, with savepoints.
	if got := fmt.Sprint(order); got != "[first a b c d a b c d]" {
		t.Errorf("callers ran in order %s, want the first alone, then the batch by key, twice", got)
	}
	// c=1, a=2, b=8 succeed (d=4 is refused): one application per key and batch, in key order.
	for _, k := range []string{"total-a", "total-b"} {
		if got := fmt.Sprint(applied[k]); got != "[1000 11]" {
			t.Errorf("%s applied as %s, want [1000 11]", k, got)
		}
	}
}

// A batch runs without savepoints until a caller fails: that batch runs again with them, and so
// do the batches after it until one in which every caller succeeds. Each run is a transaction.
func TestBatcherKeepsSavepointsFromAFailureToABatchWithout(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			sys := authz.AsOperator(context.Background())
			opener := dbtest.NewHeldOpener(d.Client)
			opener.Release() // counts only
			batcher := db.NewBatcher(opener, 8, 1)
			seq := 0
			batch := func(fails bool) int32 {
				before := opener.Opened.Load()
				seq++
				err := batcher.Do(sys, "k", func(ctx context.Context, c *ent.Client) error {
					if err := c.Group.Create().SetName(fmt.Sprintf("g%02d", seq)).Exec(ctx); err != nil {
						return err
					}
					if fails {
						return errors.New("refused after writing")
					}
					return nil
				})
				if (err != nil) != fails {
					t.Fatalf("batch %d: err %v", seq, err)
				}
				return opener.Opened.Load() - before
			}
			for i, step := range []struct {
				fails bool
				runs  int32
			}{
				{false, 1}, // without savepoints
				{true, 2},  // without, then again with them
				{true, 1},  // with savepoints, kept since the failure
				{false, 1}, // with savepoints, the last: every caller succeeded
				{true, 2},  // without again, then with
			} {
				if got := batch(step.fails); got != step.runs {
					t.Errorf("batch %d (fails %t): %d transactions, want %d", i+1, step.fails, got, step.runs)
				}
			}
			names := d.Client.Group.Query().Order(group.ByName()).Select(group.FieldName).StringsX(sys)
			if fmt.Sprint(names) != "[g01 g04]" {
				t.Errorf("committed groups = %v, want those of the batches that succeeded", names)
			}
		})
	}
}

func TestAddUpOutsideABatchAppliesAtOnce(t *testing.T) {
	var got int64
	err := db.AddUp(context.Background(), nil, "k", 7, func(_ context.Context, _ *ent.Client, total int64) error {
		got = total
		return nil
	})
	if err != nil || got != 7 {
		t.Errorf("AddUp = %v, applied %d; want nil and 7", err, got)
	}
}

// Prefetch runs once per run of a batch of two callers or more, with the keys of the callers about
// to run, each once and in order, and every caller's work sees what it returned; a caller alone,
// and work outside a batch, see nothing.
func TestBatcherPrefetchesForTheBatch(t *testing.T) {
	d := dbtest.NewDB(t, dbtest.SQLite)
	sys := authz.AsOperator(context.Background())
	opener := dbtest.NewHeldOpener(d.Client)
	var mu sync.Mutex
	var prefetches []string
	batcher := db.NewBatcher(opener, 16, 1).Prefetch(func(_ context.Context, _ *ent.Client, keys []string) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		prefetches = append(prefetches, fmt.Sprint(keys))
		return fmt.Sprint(keys), nil
	})
	cancelled, cancel := context.WithCancel(sys)
	cancel()
	seen := make([]any, 5)
	var wg sync.WaitGroup
	call := func(i int, ctx context.Context, key string) {
		defer wg.Done()
		_ = batcher.Do(ctx, key, func(ctx context.Context, c *ent.Client) error {
			seen[i] = db.Prefetched(ctx)
			return nil
		})
	}
	wg.Add(1)
	go call(0, sys, "first") // held open, alone
	dbtest.WaitFor(t, func() bool { return opener.Opened.Load() == 1 })
	for i, key := range []string{"b", "a", "b", "z"} {
		ctx := sys
		if key == "z" {
			ctx = cancelled
		}
		wg.Add(1)
		go call(i+1, ctx, key)
	}
	dbtest.WaitFor(t, func() bool { return batcher.Waiting() == 4 })
	opener.Release()
	wg.Wait()

	if got := fmt.Sprint(prefetches); got != "[[a b]]" {
		t.Errorf("prefetched for %s, want the batch's keys once each, the cancelled caller's left out, and nothing for the caller alone", got)
	}
	if fmt.Sprint(seen) != "[<nil> [a b] [a b] [a b] <nil>]" {
		t.Errorf("callers saw %v", seen)
	}
	if got := db.Prefetched(sys); got != nil {
		t.Errorf("outside a batch: %v", got)
	}
}

// TestBatcherGivesEachKeyOneWorker: with several workers, a key's callers always run in the same
// worker, so two batches running at once never hold the same key's rows, and Worker tells the
// work (and AddUp's apply) which worker it runs in.
func TestBatcherGivesEachKeyOneWorker(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			sys := authz.AsOperator(context.Background())
			batcher := db.NewBatcher(d.Client, 4, 4)
			var (
				mu       sync.Mutex
				workerOf = map[string]int{} // the worker each key ran in
				holder   = map[string]int{} // key → the worker running it now
				busy     = map[int]int{}    // worker → its callers running now
				overlap  bool               // two workers ran callers at once
				summed   = map[int]bool{}   // workers whose batches applied their sum
			)
			var wg sync.WaitGroup
			for i := range 64 {
				key := fmt.Sprint("user-", i%16)
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := batcher.Do(sys, key, func(ctx context.Context, c *ent.Client) error {
						w := db.Worker(ctx)
						mu.Lock()
						if prev, ok := workerOf[key]; ok && prev != w {
							t.Errorf("%s ran in workers %d and %d", key, prev, w)
						}
						workerOf[key] = w
						if other, ok := holder[key]; ok && other != w {
							t.Errorf("%s held by workers %d and %d at once", key, other, w)
						}
						holder[key] = w
						busy[w]++
						overlap = overlap || len(busy) > 1
						mu.Unlock()
						time.Sleep(time.Millisecond) // let the other workers' batches run meanwhile
						mu.Lock()
						delete(holder, key)
						if busy[w]--; busy[w] == 0 {
							delete(busy, w)
						}
						mu.Unlock()
						return db.AddUp(ctx, c, "rollup", 1, func(ctx context.Context, _ *ent.Client, _ int64) error {
							mu.Lock()
							defer mu.Unlock()
							summed[db.Worker(ctx)] = true
							return nil
						})
					})
					if err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			workers := map[int]bool{}
			for _, w := range workerOf {
				workers[w] = true
				if !summed[w] {
					t.Errorf("worker %d ran callers but applied no sum in its own name", w)
				}
			}
			// SQLite's transactions queue for its one write lock, so only PostgreSQL's overlap.
			if len(workers) < 2 || (!overlap && b == dbtest.Postgres) {
				t.Errorf("16 keys ran in workers %v, two at once: %v; want several workers at once", workers, overlap)
			}
			if db.Worker(sys) != 0 {
				t.Error("Worker outside a batch is not 0")
			}
		})
	}
}

// finisher is a BatchFinisher that writes one group per name its batch's callers deferred, and
// can refuse them once.
type finisher struct {
	mu      sync.Mutex
	names   []string
	refuse  *atomic.Bool
	applied *atomic.Int32
}

func (f *finisher) defer_(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.names = append(f.names, name)
}

func (f *finisher) FinishBatch(ctx context.Context, c *ent.Client) error {
	if f.refuse.CompareAndSwap(true, false) {
		return db.ErrRunAgainUndeferred
	}
	f.applied.Add(1)
	for _, n := range f.names {
		if err := c.Group.Create().SetName(n).Exec(authz.AsOperator(ctx)); err != nil {
			return err
		}
	}
	return nil
}

// TestBatcherDefersToTheFinisher: in a batch of callers that runs without savepoints, work may
// leave its writes to what Prefetch returned, which writes them once, after the last caller and
// in the batch's transaction; when the finisher finds they do not apply, the batch runs again
// with each caller writing its own; and runs with savepoints never defer, so a caller that
// failed leaves nothing behind.
func TestBatcherDefersToTheFinisher(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			sys := authz.AsOperator(context.Background())
			opener := dbtest.NewHeldOpener(d.Client)
			var refuse atomic.Bool
			var applied atomic.Int32
			batcher := db.NewBatcher(opener, 16, 1).Prefetch(func(ctx context.Context, _ *ent.Client, _ []string) (any, error) {
				return &finisher{refuse: &refuse, applied: &applied}, nil
			})
			run := func(prefix string, fail string) (deferred, undeferred int) {
				t.Helper()
				opener.HoldNext()
				var mu sync.Mutex
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = batcher.Do(sys, "0", func(ctx context.Context, c *ent.Client) error { return nil }) // held open, alone
				}()
				dbtest.WaitFor(t, func() bool { return opener.Opened.Load() == 1 })
				for _, key := range []string{"a", "b", "c"} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						err := batcher.Do(sys, key, func(ctx context.Context, c *ent.Client) error {
							name := prefix + key
							mu.Lock()
							if db.Deferring(ctx) {
								deferred++
							} else {
								undeferred++
							}
							mu.Unlock()
							if key == fail {
								return errors.New("refused")
							}
							if db.Deferring(ctx) {
								db.Prefetched(ctx).(*finisher).defer_(name)
								return nil
							}
							return c.Group.Create().SetName(name).Exec(ctx)
						})
						if (err != nil) != (key == fail) {
							t.Errorf("%s: %v", key, err)
						}
					}()
				}
				dbtest.WaitFor(t, func() bool { return batcher.Waiting() == 3 })
				opener.Release()
				wg.Wait()
				return deferred, undeferred
			}
			if d, u := run("x", ""); d != 3 || u != 0 || applied.Load() != 1 {
				t.Errorf("a batch that succeeds: %d deferred, %d not, finished %d times; want 3, 0, 1", d, u, applied.Load())
			}
			refuse.Store(true)
			if d, u := run("y", ""); d != 3 || u != 3 || applied.Load() != 1 {
				t.Errorf("a refused finish: %d deferred, %d not, finished %d times; want 3, 3, still 1", d, u, applied.Load())
			}
			if d, u := run("z", "b"); d != 2 || u != 3 || applied.Load() != 1 {
				t.Errorf("a caller failing: %d deferred, %d not, finished %d times; want 2 (until the failure), 3 with savepoints, still 1", d, u, applied.Load())
			}
			names := d.Client.Group.Query().Order(group.ByName()).Select(group.FieldName).StringsX(sys)
			if fmt.Sprint(names) != "[xa xb xc ya yb yc za zc]" {
				t.Errorf("committed groups = %v", names)
			}
		})
	}
}
