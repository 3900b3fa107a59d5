package db

import (
	"strings"
	"testing"
)

func TestWrittenTable(t *testing.T) {
	for _, c := range []struct {
		query string
		table string
		known bool
	}{
		{`INSERT INTO "models" ("id", "name") VALUES (?, ?)`, "models", true},
		{`insert into model_grants (model_id) values ($1) RETURNING "id"`, "model_grants", true},
		{`INSERT OR REPLACE INTO "memberships" (a) VALUES (1)`, "memberships", true},
		{"REPLACE INTO `groups` (a) VALUES (1)", "groups", true},
		{`UPDATE "users" SET "last_active_at" = ? WHERE "id" = ?`, "users", true},
		{`UPDATE OR IGNORE "Users" SET a = 1`, "users", true},
		{`  DELETE FROM "public"."groups" WHERE "id" = $1`, "groups", true},
		{`DELETE FROM usage_events`, "usage_events", true},
		{"SAVEPOINT batch_item", "", true},
		{"RELEASE SAVEPOINT batch_item; SAVEPOINT batch_item", "", true},
		{`RELEASE SAVEPOINT x; DELETE FROM "models" WHERE "id" = ?`, "models", true},
		{`DELETE FROM "models"; DELETE FROM "groups"`, "", false},
		{`SAVEPOINT x; TRUNCATE "groups"`, "", false},
		{` ; `, "", false},
		{"ROLLBACK TO SAVEPOINT batch_item", "", true},
		{"PRAGMA wal_checkpoint(PASSIVE)", "", true},
		{"SET LOCAL lock_timeout = '1s'", "", true},
		// What cannot be told counts for every watch.
		{`WITH x AS (SELECT 1) INSERT INTO "models" SELECT * FROM x`, "", false},
		{`DELETE "models"`, "", false},
		{`INSERT "models" VALUES (1)`, "", false},
		{`TRUNCATE "memberships"`, "", false},
		{`CREATE TABLE "x" (a int)`, "", false},
		{`INSERT INTO "models`, "", false},
		{`UPDATE`, "", false},
		{``, "", false},
	} {
		table, known := writtenTable(c.query)
		if table != c.table || known != c.known {
			t.Errorf("writtenTable(%q) = %q, %v; want %q, %v", c.query, table, known, c.table, c.known)
		}
	}
}

func FuzzWrittenTable(f *testing.F) {
	f.Add(`INSERT INTO "models" ("id") VALUES (?)`)
	f.Add("UPDATE OR `x`.\"y\" SET")
	f.Fuzz(func(t *testing.T, query string) {
		table, known := writtenTable(query)
		if !known && table != "" {
			t.Fatalf("a table (%q) for a statement not understood", table)
		}
		if table != "" && !strings.Contains(strings.ToLower(query), table) {
			t.Fatalf("table %q is not in %q", table, query)
		}
	})
}

// Every write statement is read when tables are watched: reading one allocates nothing.
func TestWrittenTableAllocatesNothing(t *testing.T) {
	q := `RELEASE SAVEPOINT batch_item; INSERT INTO "usage_events" ("id", "user_id") VALUES (?, ?)`
	if n := testing.AllocsPerRun(100, func() { writtenTable(q) }); n != 0 {
		t.Fatalf("%v allocations per statement", n)
	}
}
