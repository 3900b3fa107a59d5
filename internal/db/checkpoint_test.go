package db

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// walSize returns the size of the write-ahead log of the SQLite file path.
func walSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestCheckpointResetsLongLog(t *testing.T) {
	tests := []struct {
		name string
		// limit is the checkpoint's length limit in frames; the writes below take about 200.
		limit int
		// holdGate keeps a write transaction's turn in the gate while the checkpoint runs.
		holdGate bool
		wantErr  error
		wantWAL  bool // the log still holds frames afterwards
	}{
		{name: "under the limit: copied, not reset", limit: 1 << 20, wantWAL: true},
		{name: "past the limit: reset to nothing", limit: 100, wantWAL: false},
		{name: "past the limit, a transaction in the gate: waits its turn", limit: 100, holdGate: true,
			wantErr: context.DeadlineExceeded, wantWAL: true},
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
			cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancel()
			if err := checkpoint(cctx, d.SQL, gate, tt.limit); !errors.Is(err, tt.wantErr) {
				t.Fatalf("checkpoint: got %v, want %v", err, tt.wantErr)
			}
			if got := walSize(t, path) > 0; got != tt.wantWAL {
				t.Errorf("log holds frames afterwards: got %v, want %v", got, tt.wantWAL)
			}
			var n int
			if err := d.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM blobs").Scan(&n); err != nil || n != 200 {
				t.Errorf("rows afterwards: got %d (%v), want 200", n, err)
			}
		})
	}
}
