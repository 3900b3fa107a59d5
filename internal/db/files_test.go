package db

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	// A permissive umask shows the mode is set by steward, not inherited from the environment.
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	tests := []struct {
		name string
		url  func(path string) string
		// existing creates the file world-readable first, as an earlier version did.
		existing bool
	}{
		{name: "new plain path", url: func(p string) string { return p }},
		{name: "new file URL", url: func(p string) string { return "file:" + p + "?_fk=1&_journal_mode=WAL" }},
		{name: "existing world-readable", url: func(p string) string { return p }, existing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "steward.db")
			if tt.existing {
				if err := os.WriteFile(path, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			d, err := Open(context.Background(), Config{URL: tt.url(path)})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			// A write makes sure the write-ahead log and its index exist.
			if err := d.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{path, path + "-wal", path + "-shm"} {
				fi, err := os.Stat(f)
				if err != nil {
					t.Fatalf("stat %s: %v", filepath.Base(f), err)
				}
				if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
					t.Errorf("%s mode = %o, want %o", filepath.Base(f), got, want)
				}
			}
		})
	}
}

func TestSQLiteFile(t *testing.T) {
	tests := []struct {
		dia, dsn, want string
	}{
		{"sqlite3", "file:/data/steward.db?_fk=1", "/data/steward.db"},
		{"sqlite3", "file:steward.db", "steward.db"},
		{"sqlite3", "file:mem1?mode=memory&cache=shared", ""},
		{"sqlite3", "file::memory:", ""},
		{"postgres", "postgres://localhost/steward", ""},
	}
	for _, tt := range tests {
		if got := sqliteFile(tt.dia, tt.dsn); got != tt.want {
			t.Errorf("sqliteFile(%q, %q) = %q, want %q", tt.dia, tt.dsn, got, tt.want)
		}
	}
}
