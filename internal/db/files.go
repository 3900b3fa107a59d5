package db

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"entgo.io/ent/dialect"
)

// privateMode is the mode of every file that holds steward's data: the database keeps secrets
// (tool server headers, code execution tokens, password hashes), so only its owner may read it.
const privateMode fs.FileMode = 0o600

// sqliteFile returns the path of the SQLite database file a DSN opens, or "" when there is none
// (PostgreSQL, or an in-memory database).
func sqliteFile(dia, dsn string) string {
	if dia != dialect.SQLite {
		return ""
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" || path == ":memory:" || strings.Contains(query, "mode=memory") {
		return ""
	}
	return path
}

// createPrivate creates path with mode 0600 when it does not exist yet, before SQLite opens it:
// SQLite creates a new database with 0644 less the umask, and gives its -wal and -shm files the
// database file's mode, so creating the file first keeps all three private whatever the umask.
// An existing file is tightened too, as earlier versions created it world-readable.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, privateMode)
	if err != nil {
		return fmt.Errorf("creating database file: %w", err)
	}
	_ = f.Close()
	if err := os.Chmod(path, privateMode); err != nil {
		return fmt.Errorf("restricting database file: %w", err)
	}
	return nil
}

// restrictSidecars sets the -wal and -shm files beside path (which exist once SQLite has opened
// the database in WAL mode) to 0600, for databases whose sidecars an earlier version created.
func restrictSidecars(path string) error {
	for _, suffix := range []string{"-wal", "-shm"} {
		err := os.Chmod(path+suffix, privateMode)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restricting database file: %w", err)
		}
	}
	return nil
}
