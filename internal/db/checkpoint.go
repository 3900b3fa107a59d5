package db

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// sqliteDriver is go-sqlite3 with automatic checkpoints turned off on every connection; the
// database's checkpointer does them instead.
const sqliteDriver = "sqlite3_steward"

func init() {
	sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}})
}

// checkpointEvery is how often the write-ahead log is copied into the database file.
const checkpointEvery = 250 * time.Millisecond

// startCheckpointer copies SQLite's write-ahead log into the database file in the background
// until stop is called (stop waits for a checkpoint in progress).
//
// SQLite checkpoints by default inside the commit that takes the log past 1,000 pages, so one
// writer in every few hundred pays for copying all of it while holding the only write lock and
// every other writer waits (measured: 9% of recordUsage's CPU, 15% of its throughput). A PASSIVE
// checkpoint from another connection copies what no reader still needs, without blocking writers
// or readers; SQLite still checkpoints on the last close and recovers the log on the next open.
func startCheckpointer(db *sql.DB) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)") // best effort: the next tick retries
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}
