package db

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

func TestIsUnavailable(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection refused", fmt.Errorf("querying: %w", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), true},
		{"bare ECONNREFUSED", syscall.ECONNREFUSED, true},
		{"pool wait past the deadline", fmt.Errorf("ent: %w", context.DeadlineExceeded), true},
		{"sqlite busy", fmt.Errorf("commit: %w", sqlite3.Error{Code: sqlite3.ErrBusy}), true},
		{"sqlite locked", sqlite3.Error{Code: sqlite3.ErrLocked}, true},
		{"closed pool", errors.New("sql: database is closed"), true},
		{"locked, as text only", errors.New("cannot create transaction: database is locked"), true},
		{"pg admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"pg connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"pg too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"pg unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"sqlite too many variables", sqlite3.Error{Code: sqlite3.ErrError}, false},
		{"plain error", errors.New("sql: Scan error on column index 0"), false},
		{"cancelled by the client", context.Canceled, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := IsUnavailable(c.err); got != c.want {
				t.Errorf("IsUnavailable(%v) = %v, want %v", c.err, got, c.want)
			}
		})
	}
}
