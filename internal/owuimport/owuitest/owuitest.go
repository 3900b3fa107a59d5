// Package owuitest builds Open WebUI databases for tests: the table layouts of Open WebUI's own
// migrations (testdata/*.sql, which say which migration each table comes from), filled with a few
// accounts whose bcrypt hashes are generated here, on SQLite or PostgreSQL.
package owuitest

import (
	"database/sql"
	"embed"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL fixtures
	_ "github.com/mattn/go-sqlite3"    // SQLite fixtures
	"golang.org/x/crypto/bcrypt"

	"github.com/steward-dev/steward/internal/db/dbtest"
)

//go:embed testdata/*.sql
var layouts embed.FS

// Layout names a fixture.
type Layout string

// The fixtures.
const (
	// Newer: group_member and api_key tables, user.oauth, and the billing fork's tables.
	Newer Layout = "newer"
	// Older: group.user_ids, user.api_key and user.oauth_sub; no billing.
	Older Layout = "older"
)

// The accounts of both fixtures and their passwords.
const (
	AdminEmail, AdminPassword = "admin@example.com", "admin-password-1"
	AliceEmail, AlicePassword = "alice@example.com", "alice-password-1"
	BobEmail, BobPassword     = "bob@example.com", "bob-password-1"
	PatEmail, PatPassword     = "pat@example.com", "pat-password-1"
	// AliceKey is Alice's Open WebUI API key.
	AliceKey = "sk-0123456789abcdef0123456789abcdef"
)

// New creates an Open WebUI database of layout on backend b and returns what --from takes: a
// file path for SQLite, a postgres:// URL for PostgreSQL. extra SQL runs after the fixture (a
// test's bad row).
func New(t testing.TB, b dbtest.Backend, layout Layout, extra ...string) string {
	t.Helper()
	script, err := layouts.ReadFile("testdata/" + string(layout) + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	hash := func(pw string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	text := strings.NewReplacer(
		"{{HASH_ADMIN}}", hash(AdminPassword), "{{HASH_ALICE}}", hash(AlicePassword),
		"{{HASH_BOB}}", hash(BobPassword), "{{HASH_PAT}}", hash(PatPassword),
	).Replace(string(script))
	driver, from := "sqlite3", filepath.Join(t.TempDir(), "webui.db")
	if b == dbtest.Postgres {
		driver, from = "pgx", dbtest.NewURL(t, b)
	}
	conn, err := sql.Open(driver, from)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range append([]string{text}, extra...) {
		if _, err := conn.Exec(s); err != nil {
			t.Fatalf("creating the %s Open WebUI fixture: %v", layout, err)
		}
	}
	return from
}
