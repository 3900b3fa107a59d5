package db

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrBusy reports that a transaction waited longer than BusyTimeout for SQLite's write lock.
var ErrBusy = errors.New("database is locked: the write lock stayed taken too long")

// BusyTimeout bounds how long a transaction waits for SQLite's write lock, in the gate and in
// SQLite's own busy handler alike (_busy_timeout in SQLiteDSN).
const BusyTimeout = 10 * time.Second

// writeGate queues SQLite transactions in Go, one at a time, before they BEGIN.
//
// SQLite has a single writer: with _txlock=immediate every transaction takes the write lock at
// BEGIN, and waiters poll it through SQLite's busy handler, which sleeps 1, 2, 5, 10 ... 100 ms
// between attempts. Under many concurrent writers the lock then sits idle while waiters sleep. A
// channel hands the lock over the moment it is released instead. It changes nothing about
// correctness (SQLite's lock still decides). Every transaction passes through it, whoever opens
// it: a domain service, the GraphQL transaction of a multi-field mutation, or a usage batch.
type writeGate struct {
	slot chan struct{}
}

func newWriteGate() *writeGate { return &writeGate{slot: make(chan struct{}, 1)} }

// enter waits for the gate, for ctx or for BusyTimeout, and returns the function that leaves it
// (once). A nil gate lets everyone through.
func (g *writeGate) enter(ctx context.Context) (release func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	timer := time.NewTimer(BusyTimeout)
	defer timer.Stop()
	select {
	case g.slot <- struct{}{}:
		return sync.OnceFunc(func() { <-g.slot }), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, ErrBusy
	}
}
