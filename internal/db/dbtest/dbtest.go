// Package dbtest makes throwaway databases for tests: SQLite files always, PostgreSQL databases when
// STEWARD_TEST_POSTGRES_URL names a server. It lives apart from internal/db so that the binary
// does not link the testing package.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/db"
)

// PostgresEnv names the variable that points tests at a PostgreSQL server.
const PostgresEnv = "STEWARD_TEST_POSTGRES_URL"

// Backend is a database kind tests run against.
type Backend string

// The backends.
const (
	SQLite   Backend = "sqlite"
	Postgres Backend = "postgres"
)

// Backends lists SQLite always, and PostgreSQL when STEWARD_TEST_POSTGRES_URL is set, so a
// suite that loops over it runs on both in CI.
func Backends() []Backend {
	if os.Getenv(PostgresEnv) != "" {
		return []Backend{SQLite, Postgres}
	}
	return []Backend{SQLite}
}

// NewURL creates a throwaway database of the given backend and returns its URL; it is removed
// when the test ends. PostgreSQL tests skip with a message when the server is not configured.
func NewURL(t testing.TB, b Backend) string {
	t.Helper()
	switch b {
	case Postgres:
		base := os.Getenv(PostgresEnv)
		if base == "" {
			t.Skipf("%s not set: skipping PostgreSQL test", PostgresEnv)
		}
		return newPostgresDatabase(t, base)
	default:
		return filepath.Join(t.TempDir(), "steward-test.db")
	}
}

// NewDB opens and migrates a throwaway database.
func NewDB(t testing.TB, b Backend) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, db.Config{URL: NewURL(t, b)})
	if err != nil {
		t.Fatalf("opening test database: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrating test database: %v", err)
	}
	return d
}

func newPostgresDatabase(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("opening %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "steward_test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating test database (is PostgreSQL running at %s?): %v", base, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("dropping test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parsing %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	if !strings.Contains(u.RawQuery, "sslmode") {
		q := u.Query()
		q.Set("sslmode", "disable")
		u.RawQuery = q.Encode()
	}
	return fmt.Sprint(u)
}

// HeldOpener opens transactions with a client for a db.Batcher, counts them (Opened), and holds
// the first one until Release, so that a test can line callers up behind it and know how they
// will be batched. Released at once, it only counts.
type HeldOpener struct {
	Opened atomic.Int32
	client *ent.Client

	mu      sync.Mutex
	release chan struct{}
}

// NewHeldOpener returns a HeldOpener of c's transactions.
func NewHeldOpener(c *ent.Client) *HeldOpener {
	return &HeldOpener{client: c, release: make(chan struct{})}
}

// OpenTx opens a transaction, once Release was called for the first.
func (o *HeldOpener) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	o.mu.Lock()
	release := o.release
	o.mu.Unlock()
	if o.Opened.Add(1) == 1 {
		<-release
	}
	return o.client.OpenTx(ctx)
}

// Release lets the first transaction open.
func (o *HeldOpener) Release() {
	o.mu.Lock()
	defer o.mu.Unlock()
	select {
	case <-o.release:
	default:
		close(o.release)
	}
}

// HoldNext starts over after a Release: the count goes back to 0 and the next transaction is
// held until Release. Call it while no transaction is being opened.
func (o *HeldOpener) HoldNext() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.release = make(chan struct{})
	o.Opened.Store(0)
}

// WaitFor waits until cond holds, and fails the test after 10 seconds without.
func WaitFor(t testing.TB, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
	}
}
