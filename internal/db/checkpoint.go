package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// sqliteDriver is go-sqlite3 with automatic checkpoints turned off on every connection (the
// database's checkpointer does them instead).
//
// Connections read pages with read calls, not through a memory map (PRAGMA mmap_size): a map
// made revenue analytics over 1,000,000 usage events a quarter faster (billingOverview 47 against
// 64 ms), but added 0.3-0.5 ms to every gateway call's write transaction (a first token 1.3-1.7
// against 1.0-1.5 ms above calling the provider directly, interleaved runs on a quiet machine),
// and an I/O error on a mapped page would stop the process (SIGBUS) instead of failing a
// statement. The analytics meet their goal without it.
//
// Temporary files are kept in memory (PRAGMA temp_store). Every statement that writes several
// rows inside a transaction (a batch's or a flush's insert of usage events) keeps the pages it
// changes in a statement journal, to undo just that statement if it fails halfway. SQLite holds
// a journal in memory up to 64 KiB, and a flush's insert of 30 events into usage_events' five
// B-trees passes that: it opened, wrote and deleted a file in /var/tmp in every transaction.
// In memory, 15,000 such events in transactions of 30 cost 0.45-0.49 s of CPU against
// 0.66-0.68 s (the sqlite3 shell, on a copy of a gateway bench's database). A sort or grouping
// that no index serves now builds its temporary B-tree in memory too, instead of in a file: the
// API pages its lists and its analytics group daily rollups, so those stay small.
const sqliteDriver = "sqlite3_steward"

func init() {
	sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(fmt.Sprintf("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = %d; PRAGMA temp_store = MEMORY",
			walResetFrames*walFrameBytes), nil)
		return err
	}})
}

// checkpointEvery is how often the write-ahead log is copied into the database file.
const checkpointEvery = 250 * time.Millisecond

// walResetFrames is the length of the write-ahead log, in frames (pages of the database), past
// which the checkpointer resets it: 16,384 frames are 64 MiB at SQLite's default 4 KiB page.
const walResetFrames = 16384

// walFrameBytes is a frame's size in the log at SQLite's default page size: the page and its
// 24-byte header. The log file is cut back to walResetFrames of them when a writer starts it
// over (PRAGMA journal_size_limit), so a burst leaves no file of gigabytes behind.
const walFrameBytes = 4096 + 24

// resetWait bounds how long a reset waits for readers still using the log, while it holds the
// write gate: writers queue behind it meanwhile, so it gives up long before BusyTimeout.
const resetWait = 500 * time.Millisecond

// maxResetBackoff is the longest pause between two resets that readers kept from finishing: a
// long reader (an export, a backup) then holds writers up for resetWait in every such pause at
// most, and the log goes on growing meanwhile, as it did before resets.
const maxResetBackoff = 30 * time.Second

// startCheckpointer copies SQLite's write-ahead log into the database file in the background
// until stop is called (stop waits for a checkpoint in progress). gate is the database's write
// gate (see writeGate).
//
// SQLite checkpoints by default inside the commit that takes the log past 1,000 pages, so one
// writer in every few hundred pays for copying all of it while holding the only write lock and
// every other writer waits (measured: 9% of recordUsage's CPU, 15% of its throughput). A PASSIVE
// checkpoint from another connection copies what no reader still needs, without blocking writers
// or readers; SQLite still checkpoints on the last close and recovers the log on the next open.
//
// A PASSIVE checkpoint never shortens the log, though: SQLite starts writing the log from its
// beginning again only when a write transaction begins while every frame is already copied, and
// under writes back to back (a bulk load, a busy gateway) each checkpoint finishes after the next
// commit has appended more, so the log grew by gigabytes a minute. Past walResetFrames the
// checkpointer therefore resets it (see resetWAL) between two write transactions, backing off
// when readers keep a reset from finishing.
func startCheckpointer(db *sql.DB, gate *writeGate) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		var (
			backoff   time.Duration
			notBefore time.Time // no reset before then: the last one was kept from finishing
		)
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				limit := walResetFrames
				if now.Before(notBefore) {
					limit = math.MaxInt
				}
				// Best effort: the next tick retries.
				switch reset, err := checkpoint(ctx, db, gate, limit); {
				case errors.Is(err, errWALBusy):
					backoff = min(max(2*backoff, time.Second), maxResetBackoff)
					notBefore = now.Add(backoff)
				case reset:
					backoff = 0
				}
			}
		}
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}

// checkpoint runs one PASSIVE checkpoint, then resets the log when it is still limit frames long
// or more. reset reports a reset that finished.
func checkpoint(ctx context.Context, db *sql.DB, gate *writeGate, limit int) (reset bool, err error) {
	var busy, frames, copied int
	if err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		return false, err
	}
	if frames < limit {
		return false, nil
	}
	if err := resetWAL(ctx, db, gate); err != nil {
		return false, err
	}
	return true, nil
}

// errWALBusy reports a reset that readers of older snapshots kept from finishing.
var errWALBusy = errors.New("db: the write-ahead log is still read; resetting it later")

// resetWAL copies the whole write-ahead log into the database and has the next write start it
// over from its beginning. It takes a turn in the write gate, so that no steward transaction is
// open while it runs (a RESTART checkpoint also takes SQLite's write lock, which stops writes
// that bypass the gate), and waits resetWait at most for readers of older snapshots to finish; a
// reset that cannot finish is retried at the next tick.
//
// RESTART rather than TRUNCATE: cutting a 64 MiB file to nothing while the gate was held kept
// writers waiting 50-70 ms a reset against 8-38 ms (recordUsage at 64 clients resets about once
// a second: p99 84 against 51 ms). The file keeps its length, cut back to walResetFrames frames
// by journal_size_limit when the next writer starts the log over.
func resetWAL(ctx context.Context, db *sql.DB, gate *writeGate) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	release, err := gate.enter(ctx)
	if err != nil {
		return err
	}
	defer release()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", resetWait.Milliseconds())); err != nil {
		return err
	}
	defer func() {
		// The connection returns to the pool: give it back the busy timeout of every other one.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", BusyTimeout.Milliseconds()))
	}()
	var busy, frames, copied int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &copied); err != nil {
		return err
	}
	if busy != 0 {
		return errWALBusy
	}
	return nil
}
