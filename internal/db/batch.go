package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"

	"github.com/steward-dev/steward/ent"
)

// TxOpener opens a transaction and returns a context that carries it (entgql.TxOpener has the
// same shape, so the server's gated opener serves both).
type TxOpener interface {
	OpenTx(ctx context.Context) (context.Context, driver.Tx, error)
}

// Batcher runs the small write transactions of concurrent callers together ("group commit"):
// one BEGIN and one COMMIT for a whole batch, each caller's work inside its own SAVEPOINT, so a
// caller whose work fails rolls back only its own writes and gets only its own error.
//
// It is for hot, tiny transactions such as recording usage. On SQLite every write transaction
// queues for the single write lock, and the lock hand-over and the commit cost more than the work
// itself; on PostgreSQL every commit waits for a WAL flush. Sharing them among a batch multiplies
// throughput while each caller keeps the guarantees of its own transaction: its writes commit
// together or not at all, it returns only after they are durable, and its after-commit hooks (see
// AfterCommit) run only if its writes committed.
//
// Batches form by themselves: while one runs, newcomers queue for the next, so an idle service
// adds no delay and a busy one gets bigger batches.
//
// A batch first runs without savepoints: each one is a round trip on PostgreSQL (a third of a
// recorded usage's) and a subtransaction there, and a statement on SQLite's single writer. When a
// caller's work fails, the batch is rolled back and run again with them, and the batches after
// it keep them until one commits with every caller succeeding. Work in a batch must therefore be
// safe to run again, as it already is for a batch the database aborts (see maxAttempts).
//
// In a run without savepoints the callers' work may also leave its writes to what Prefetch
// returned (Deferring, BatchFinisher), which writes those of the whole batch at once before it
// commits: a statement per batch instead of one per caller.
type Batcher struct {
	opener   TxOpener
	max      int
	onBatch  func(size int)
	prefetch func(ctx context.Context, c *ent.Client, keys []string) (any, error)

	mu     sync.Mutex
	shards []batchShard // one per worker; a key always goes to the same one

	// savepoints is set while batches run with a savepoint per caller: from a batch in which a
	// caller did not succeed (its work failed, or it had gone) until one in which every caller
	// succeeds.
	savepoints atomic.Bool
}

// batchShard is the queue of one worker, and whether its worker is running.
type batchShard struct {
	index   int
	queue   []*batchItem
	running bool
}

type batchItem struct {
	ctx   context.Context
	key   string
	fn    func(ctx context.Context, c *ent.Client) error
	err   error
	hooks txHooks
	// committed is set when the item's writes are part of a committed transaction.
	committed bool
	done      chan struct{}
}

// NewBatcher returns a Batcher that opens its transactions with opener, puts at most size callers
// in one transaction and commits at most workers transactions at once (both at least 1). One
// worker suits SQLite, which has a single writer anyway; on PostgreSQL a few let one batch's
// round trips overlap another's. Each key belongs to one worker, so batches running at once
// never hold rows of the same key (a user's usage counters) and never wait for each other's
// commit to take them; the sums of AddUp come last, in key order, into rows of their worker's
// (see Worker).
func NewBatcher(opener TxOpener, size, workers int) *Batcher {
	b := &Batcher{opener: opener, max: max(1, size), shards: make([]batchShard, max(1, workers))}
	for i := range b.shards {
		b.shards[i].index = i
	}
	return b
}

// shard returns the worker queue of key.
func (b *Batcher) shard(key string) *batchShard {
	if len(b.shards) == 1 {
		return &b.shards[0]
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return &b.shards[h.Sum32()%uint32(len(b.shards))]
}

// OnBatch has fn told the size of each batch before it runs (for metrics) and returns b; call it
// before the first Do.
func (b *Batcher) OnBatch(fn func(size int)) *Batcher {
	b.onBatch = fn
	return b
}

// Prefetch has fn run at the start of every run of a batch of two callers or more, in its
// transaction, with the keys of the callers about to run (each once, in order), and returns b;
// call it before the first Do. What fn returns reaches every caller's work through Prefetched:
// one statement for the batch instead of one per caller (recordUsage's subscription reads). A
// caller alone reads its own. An error of fn fails the batch.
func (b *Batcher) Prefetch(fn func(ctx context.Context, c *ent.Client, keys []string) (any, error)) *Batcher {
	b.prefetch = fn
	return b
}

type prefetchedKey struct{}

type workerKey struct{}

// Worker returns the number of the Batcher worker whose batch ctx's work runs in, from 0, and 0
// outside a batch. A row that every batch writes (a daily rollup) can be kept as one row per
// worker, read as their sum: batches running at once then never wait on each other's commit to
// write it, as they did on PostgreSQL, where a row stays locked until its transaction commits.
func Worker(ctx context.Context) int {
	n, _ := ctx.Value(workerKey{}).(int)
	return n
}

// Prefetched returns what the batch's Prefetch read for the batch ctx's work runs in, or nil
// outside a batch.
func Prefetched(ctx context.Context) any { return ctx.Value(prefetchedKey{}) }

// BatchFinisher is what a Prefetch may return to take writes off its callers' work: in a run of
// the batch where Deferring is true, the callers' work may leave rows to what Prefetch returned,
// whose FinishBatch writes them all after the last caller's work (and before AddUp's sums) in as
// few statements as it can, where each caller's work would have sent its own (recordUsage on
// PostgreSQL: a round trip per report).
type BatchFinisher interface {
	FinishBatch(ctx context.Context, c *ent.Client) error
}

// ErrRunAgainUndeferred is what a BatchFinisher returns when what its callers decided does not
// hold in the database (a row it took as missing was there, an idempotency key was taken): the
// batch is rolled back and run again with Deferring false, each caller's work writing its own.
var ErrRunAgainUndeferred = errors.New("db: the batch's deferred writes do not apply; running it again")

type deferringKey struct{}

// Deferring reports whether ctx's work runs in a batch that will call its prefetched
// BatchFinisher: a run without savepoints, in which any caller's failure runs the batch again,
// so what the work left to the finisher is never written for a caller that failed. It is false
// outside a batch, for a caller alone (nothing is prefetched then) and in the runs with a
// savepoint per caller.
func Deferring(ctx context.Context) bool {
	d, _ := ctx.Value(deferringKey{}).(bool)
	return d
}

// Waiting is how many callers wait for a batch to take them (tests line callers up with it).
func (b *Batcher) Waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, s := range b.shards {
		n += len(s.queue)
	}
	return n
}

// Do runs fn in a transaction shared with other callers of Do, as if inside a savepoint of its
// own (see Batcher), and returns fn's error, or the error that kept the shared transaction from committing. ctx is
// fn's context (with the transaction added), so a caller that goes away fails only its own work.
// After-commit hooks that fn registers run in the caller's goroutine before Do returns.
//
// A batch runs its callers in key order: give as key what orders the rows fn locks (a user id
// for a user's counters), so that concurrent batches lock rows in one order and cannot deadlock.
func (b *Batcher) Do(ctx context.Context, key string, fn func(ctx context.Context, c *ent.Client) error) error {
	it := &batchItem{ctx: ctx, key: key, fn: fn, done: make(chan struct{})}
	b.mu.Lock()
	s := b.shard(key)
	s.queue = append(s.queue, it)
	if !s.running {
		s.running = true
		go b.drain(s)
	}
	b.mu.Unlock()
	<-it.done
	if it.committed {
		for _, f := range it.hooks.afterCommit {
			f()
		}
	}
	for _, f := range it.hooks.afterTx {
		f()
	}
	return it.err
}

// drain runs batches of s until its queue is empty; the goroutine ends with the traffic.
//
// Before taking a batch it lets every goroutine that is ready run first (runtime.Gosched): when
// the cores are busy, requests on their way to Do then join this batch instead of the next, and
// a commit is shared by more callers (recordUsage at 64 clients, both cores busy: batches of 14
// callers instead of 4 to 5, p99 43-44 against 47-52 ms in interleaved runs, the same
// throughput). On an idle server nothing else is ready to run and it returns at once.
func (b *Batcher) drain(s *batchShard) {
	for {
		runtime.Gosched()
		b.mu.Lock()
		n := min(len(s.queue), b.max)
		if n == 0 {
			s.running = false
			s.queue = nil
			b.mu.Unlock()
			return
		}
		batch := s.queue[:n:n]
		s.queue = s.queue[n:]
		b.mu.Unlock()
		slices.SortStableFunc(batch, func(x, y *batchItem) int { return strings.Compare(x.key, y.key) })
		b.runBatch(s.index, batch)
	}
}

// maxAttempts bounds the retries of a batch that the database aborted as a whole (a deadlock
// with another replica's batch, or a serialization failure); retrying is safe because nothing
// of an aborted transaction remains.
const maxAttempts = 3

func (b *Batcher) runBatch(worker int, batch []*batchItem) {
	if b.onBatch != nil {
		b.onBatch(len(batch))
	}
	var err error
	savepoints := b.savepoints.Load()
	deferring := !savepoints
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = b.runOnce(worker, batch, savepoints, deferring)
		if errors.Is(err, ErrRunAgainUndeferred) {
			deferring = false
			err = b.runOnce(worker, batch, savepoints, false)
		}
		if errors.Is(err, errCallerFailed) {
			savepoints, deferring = true, false
			err = b.runOnce(worker, batch, true, false)
		}
		if err == nil || !retryable(err) {
			break
		}
	}
	if err == nil {
		b.savepoints.Store(slices.ContainsFunc(batch, func(it *batchItem) bool { return it.err != nil }))
	}
	for _, it := range batch {
		if err != nil {
			it.committed = false
			if it.err == nil {
				it.err = err
			}
		}
		close(it.done)
	}
}

// errCallerFailed ends a batch run without savepoints when a caller's work fails: its writes
// cannot be undone alone, and on PostgreSQL its failed statement aborted the transaction.
var errCallerFailed = errors.New("db: a batched caller failed without a savepoint")

// runOnce runs every item of batch in one transaction and commits it. Without savepoints it
// returns errCallerFailed, after rolling back, at the first caller whose work fails. With
// deferring (never together with savepoints), a prefetched BatchFinisher writes what the
// callers' work left to it.
func (b *Batcher) runOnce(worker int, batch []*batchItem, savepoints, deferring bool) (err error) {
	base := context.WithValue(context.Background(), workerKey{}, worker)
	if deferring {
		base = context.WithValue(base, deferringKey{}, true)
	}
	txCtx, dtx, err := b.opener.OpenTx(base)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	defer func() {
		if err != nil {
			_ = dtx.Rollback()
		}
	}()
	tx := ent.TxFromContext(txCtx)
	if tx == nil {
		return errors.New("db: the batch's transaction opener did not attach an ent transaction")
	}
	client := tx.Client()
	var prefetched any
	if b.prefetch != nil {
		callers := 0
		var keys []string
		for _, it := range batch {
			if it.ctx.Err() != nil {
				continue
			}
			callers++
			if len(keys) == 0 || keys[len(keys)-1] != it.key {
				keys = append(keys, it.key)
			}
		}
		if callers > 1 {
			if prefetched, err = b.prefetch(txCtx, client, keys); err != nil {
				return fmt.Errorf("prefetching for the batch: %w", err)
			}
		}
	}
	// open is whether the previous item's savepoint is still to be released: its release and the
	// next item's savepoint go to the database as one statement, one round trip fewer per item.
	open := false
	for _, it := range batch {
		it.err, it.committed, it.hooks = nil, false, txHooks{}
		if err := it.ctx.Err(); err != nil {
			it.err = err
			continue
		}
		if savepoints {
			begin := "SAVEPOINT batch_item"
			if open {
				begin = "RELEASE SAVEPOINT batch_item; SAVEPOINT batch_item"
			}
			if _, err := client.ExecContext(txCtx, begin); err != nil {
				return fmt.Errorf("starting savepoint: %w", err)
			}
			open = true
		}
		itemCtx := context.WithValue(ent.NewTxContext(ent.NewContext(it.ctx, client), tx), hooksKey{}, &it.hooks)
		itemCtx = context.WithValue(itemCtx, workerKey{}, worker)
		if prefetched != nil {
			itemCtx = context.WithValue(itemCtx, prefetchedKey{}, prefetched)
			if deferring {
				itemCtx = context.WithValue(itemCtx, deferringKey{}, true)
			}
		}
		if it.err = runItem(itemCtx, client, it.fn); it.err != nil {
			if retryable(it.err) {
				return it.err // the database aborted the whole transaction: run the batch again
			}
			if !savepoints {
				return errCallerFailed
			}
			it.hooks = txHooks{afterTx: it.hooks.afterTx}
			if _, err := client.ExecContext(txCtx, "ROLLBACK TO SAVEPOINT batch_item"); err != nil {
				return fmt.Errorf("rolling back savepoint: %w", err)
			}
		}
	}
	if open {
		if _, err := client.ExecContext(txCtx, "RELEASE SAVEPOINT batch_item"); err != nil {
			return fmt.Errorf("releasing savepoint: %w", err)
		}
	}
	if f, ok := prefetched.(BatchFinisher); ok && deferring {
		if err := f.FinishBatch(txCtx, client); err != nil {
			return err
		}
	}
	if err := applySums(txCtx, client, batch); err != nil {
		return err
	}
	if err := dtx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	for _, it := range batch {
		it.committed = it.err == nil
	}
	return nil
}

// runItem runs fn, turning a panic into an error so one caller cannot take the others down.
func runItem(ctx context.Context, c *ent.Client, fn func(context.Context, *ent.Client) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("db: batched work panicked: %v", r)
		}
	}()
	return fn(ctx, c)
}

// retryable reports whether the database aborted a transaction that may simply be run again.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40P01" || pg.Code == "40001" // deadlock_detected, serialization_failure
	}
	var lite sqlite3.Error
	if errors.As(err, &lite) {
		return lite.Code == sqlite3.ErrBusy || lite.Code == sqlite3.ErrLocked
	}
	return false
}

// txHooks are the hooks and sums of one batched caller, kept apart from the shared
// transaction's so that they follow the caller's own savepoint.
type txHooks struct {
	afterCommit, afterTx []func()
	sums                 []sum
}

// sum is an AddUp of a batched caller, applied when the batch ends.
type sum struct {
	key   string
	n     int64
	apply func(ctx context.Context, c *ent.Client, total int64) error
}

// AddUp adds n to a total that apply writes (an upsert that adds total to a row), with c. In a
// Batcher, the sums of every caller whose work succeeded are added up per key and each key is
// applied once, in key order, right before the batch commits: a row that every caller of a batch
// would update (a daily rollup) is then written once, last and in one order, so that concurrent
// batches neither queue on it for their whole length nor deadlock; apply's context tells its
// Worker, for a row per worker. Elsewhere apply runs at once.
func AddUp(ctx context.Context, c *ent.Client, key string, n int64, apply func(ctx context.Context, c *ent.Client, total int64) error) error {
	if h := itemHooks(ctx); h != nil {
		h.sums = append(h.sums, sum{key: key, n: n, apply: apply})
		return nil
	}
	return apply(ctx, c, n)
}

// applySums applies the sums of the batch's successful callers, one call per key in key order.
func applySums(ctx context.Context, c *ent.Client, batch []*batchItem) error {
	totals := map[string]*sum{}
	for _, it := range batch {
		if it.err != nil {
			continue
		}
		for _, s := range it.hooks.sums {
			if t, ok := totals[s.key]; ok {
				t.n += s.n
			} else {
				totals[s.key] = &sum{key: s.key, n: s.n, apply: s.apply}
			}
		}
	}
	for _, key := range slices.Sorted(maps.Keys(totals)) {
		t := totals[key]
		if err := t.apply(ctx, c, t.n); err != nil {
			return err
		}
	}
	return nil
}

type hooksKey struct{}

// itemHooks returns the hooks of the batched caller ctx belongs to, or nil outside a batch.
func itemHooks(ctx context.Context) *txHooks {
	h, _ := ctx.Value(hooksKey{}).(*txHooks)
	return h
}
