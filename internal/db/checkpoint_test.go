package db

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// logFrames returns how many frames the write-ahead log holds (copied into the database or not).
func logFrames(t *testing.T, d *DB) int {
	t.Helper()
	var busy, frames, copied int
	if err := d.SQL.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	return frames
}

func TestCheckpointResetsLongLog(t *testing.T) {
	tests := []struct {
		name string
		// limit is the checkpoint's length limit in frames; the writes below take about 200.
		limit int
		// holdGate keeps a write transaction's turn in the gate while the checkpoint runs.
		holdGate bool
		// holdReader keeps a read transaction open on a snapshot older than the writes' end.
		holdReader bool
		wantReset  bool
		wantErr    error
		// wantStartOver is whether the next write starts the log over from its beginning.
		// SQLite does so by itself when every frame has been copied and no reader is left, as
		// here; under writes back to back it never is, and only a reset starts the log over.
		wantStartOver bool
	}{
		{name: "under the limit: copied, not reset", limit: 1 << 20, wantStartOver: true},
		{name: "past the limit: reset", limit: 100, wantReset: true, wantStartOver: true},
		{name: "past the limit, a transaction in the gate: waits its turn", limit: 100, holdGate: true,
			wantErr: context.DeadlineExceeded, wantStartOver: true},
		{name: "past the limit, an old reader: gives up", limit: 100, holdReader: true,
			wantErr: errWALBusy, wantStartOver: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "steward.db")
			d, err := Open(ctx, Config{URL: path})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			d.stopCheckpoints() // this test checkpoints by hand
			if _, err := d.SQL.ExecContext(ctx, "CREATE TABLE blobs (b BLOB)"); err != nil {
				t.Fatal(err)
			}
			if tt.holdReader {
				// A deferred BEGIN by hand: the DSN makes database/sql's transactions IMMEDIATE,
				// which would take the write lock.
				conn, err := d.SQL.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				var n int
				if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
					t.Fatal(err)
				}
				defer conn.ExecContext(ctx, "ROLLBACK") //nolint:errcheck
				if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM blobs").Scan(&n); err != nil {
					t.Fatal(err)
				}
			}
			for range 200 { // a page each, one transaction each
				if _, err := d.SQL.ExecContext(ctx, "INSERT INTO blobs VALUES (zeroblob(4000))"); err != nil {
					t.Fatal(err)
				}
			}
			gate := newWriteGate()
			if tt.holdGate {
				release, err := gate.enter(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer release()
			}
			wait := 200 * time.Millisecond // for the gate only: the reader case fails after resetWait
			if tt.holdReader {
				wait = 10 * resetWait
			}
			cctx, cancel := context.WithTimeout(ctx, wait)
			defer cancel()
			reset, err := checkpoint(cctx, d.SQL, gate, tt.limit)
			if !errors.Is(err, tt.wantErr) || reset != tt.wantReset {
				t.Fatalf("checkpoint: got %v, %v, want %v, %v", reset, err, tt.wantReset, tt.wantErr)
			}
			if _, err := d.SQL.ExecContext(ctx, "INSERT INTO blobs VALUES (zeroblob(4000))"); err != nil {
				t.Fatal(err)
			}
			if got := logFrames(t, d) < 200; got != tt.wantStartOver {
				t.Errorf("the next write started the log over: got %v, want %v", got, tt.wantStartOver)
			}
			if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() > walResetFrames*walFrameBytes {
				t.Errorf("log file: %v, %v; want at most %d bytes", fi.Size(), err, walResetFrames*walFrameBytes)
			}
			var n int
			if err := d.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM blobs").Scan(&n); err != nil || n != 201 {
				t.Errorf("rows afterwards: got %d (%v), want 201", n, err)
			}
		})
	}
}

// TestConnectionsKeepTemporaryFilesInMemory: every connection of the pool holds statement
// journals and temporary B-trees in memory (see sqliteDriver), not only the first.
func TestConnectionsKeepTemporaryFilesInMemory(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, Config{URL: filepath.Join(t.TempDir(), "steward.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i := range 3 {
		// Held open, so that each round takes another connection from the pool.
		c, err := d.SQL.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var store int
		if err := c.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&store); err != nil {
			t.Fatal(err)
		}
		if store != 2 { // 2 is MEMORY
			t.Errorf("connection %d: temp_store = %d, want 2 (MEMORY)", i, store)
		}
	}
}
