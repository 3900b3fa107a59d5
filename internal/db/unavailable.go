package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// IsUnavailable reports whether err means the database cannot answer now rather than that the
// statement is wrong: it refused or dropped the connection, no connection came free in time, it is
// shutting down or full, or (SQLite) another writer holds the lock past the busy timeout. Callers
// answer such errors with "retry later" instead of an internal error.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgConnect *pgconn.ConnectError
	var pg *pgconn.PgError
	var lite sqlite3.Error
	var netErr *net.OpError
	switch {
	case errors.As(err, &pgConnect),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, driver.ErrBadConn),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET),
		errors.As(err, &netErr):
		return true
	case errors.As(err, &pg):
		// Class 08 is connection exceptions; 53300 too_many_connections; 57P01-57P03 the server
		// shutting down or starting up.
		return strings.HasPrefix(pg.Code, "08") || pg.Code == "53300" ||
			pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03"
	case errors.As(err, &lite):
		return lite.Code == sqlite3.ErrBusy || lite.Code == sqlite3.ErrLocked
	}
	// database/sql does not export the error of a closed pool, and some layers (a transaction
	// opener that formats its cause) keep only the text.
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "database is locked")
}
