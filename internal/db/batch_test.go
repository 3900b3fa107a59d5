package db

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
	"github.com/steward-dev/steward/internal/auth"
)

// heldOpener counts transactions and holds the first one until release is closed, so a test can
// line callers up behind it and know how they will be batched.
type heldOpener struct {
	client  *ent.Client
	release chan struct{}
	opened  atomic.Int32
}

func (o *heldOpener) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	if o.opened.Add(1) == 1 {
		<-o.release
	}
	return o.client.OpenTx(ctx)
}

func TestBatcherIsolatesCallers(t *testing.T) {
	for _, b := range TestBackends() {
		t.Run(string(b), func(t *testing.T) {
			d := NewTestDB(t, b)
			sys := auth.System(context.Background())
			opener := &heldOpener{client: d.Client, release: make(chan struct{})}
			const callers, size = 25, 8
			batcher := NewBatcher(opener, size)
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
				errsOf[i] = batcher.Do(ctx, func(ctx context.Context, c *ent.Client) error {
					if err := c.Group.Create().SetName(fmt.Sprintf("g%02d", i)).Exec(ctx); err != nil {
						return err
					}
					AfterCommit(ctx, func() { hooks[i].Add(1) })
					AfterTx(ctx, func() { hooks[i].Add(10) })
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
			waitFor(t, func() bool { return opener.opened.Load() == 1 })
			for i := 1; i < callers; i++ {
				wg.Add(1)
				go call(i)
			}
			waitFor(t, func() bool {
				batcher.mu.Lock()
				defer batcher.mu.Unlock()
				return len(batcher.queue) == callers-1
			})
			close(opener.release)
			wg.Wait()

			// The first caller alone, then the 24 queued ones in batches of 8.
			if got, want := opener.opened.Load(), int32(1+(callers-1+size-1)/size); got != want {
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
						t.Errorf("caller %d: err %v, hooks %d; want its own error and only AfterTx", i, err, hooks[i].Load())
					}
				case "panics":
					if err == nil || hooks[i].Load() != 10 {
						t.Errorf("caller %d: err %v, hooks %d; want an error and only AfterTx", i, err, hooks[i].Load())
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
	batcher := NewBatcher(failingOpener{}, 4)
	err := batcher.Do(auth.System(context.Background()), func(ctx context.Context, c *ent.Client) error {
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
		if got := retryable(c.err); got != c.want {
			t.Errorf("retryable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// waitFor polls cond until it holds; the test's own deadline bounds it.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		time.Sleep(time.Millisecond)
	}
}
