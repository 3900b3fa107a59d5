package db_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/steward-dev/steward/ent/migrate"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

var updateFingerprint = flag.Bool("update-schema-fingerprint", false, "record the current schema's fingerprint for db.SchemaVersion")

// TestMigrateRefusesANewerSchema: a database that a newer release migrated is refused, by serve,
// migrate and the admin commands alike, which all migrate first.
func TestMigrateRefusesANewerSchema(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			url := dbtest.NewURL(t, b)
			d, err := db.Open(ctx, db.Config{URL: url})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for range 2 { // a second migration at the same version changes nothing
				if err := d.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			var v int
			if err := d.SQL.QueryRowContext(ctx, "SELECT version FROM steward_schema_version").Scan(&v); err != nil || v != db.SchemaVersion {
				t.Fatalf("stored version = %d (%v), want %d", v, err, db.SchemaVersion)
			}
			if _, err := d.SQL.ExecContext(ctx, fmt.Sprintf("UPDATE steward_schema_version SET version = %d", db.SchemaVersion+1)); err != nil {
				t.Fatal(err)
			}
			err = d.Migrate(ctx)
			if !errors.Is(err, db.ErrNewerSchema) || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d", db.SchemaVersion+1)) {
				t.Fatalf("migrating a newer schema: %v, want ErrNewerSchema naming version %d", err, db.SchemaVersion+1)
			}
		})
	}
}

// TestSchemaVersionFollowsTheSchema fails when the tables change and db.SchemaVersion does not,
// so that a release that changes the schema also lets older releases recognise it as newer.
// After bumping the version: go test ./internal/db -run SchemaVersion -update-schema-fingerprint
func TestSchemaVersionFollowsTheSchema(t *testing.T) {
	path := filepath.Join("testdata", "schema.fingerprint")
	got := fmt.Sprintf("%d %s\n", db.SchemaVersion, schemaFingerprint())
	if *updateFingerprint {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantVersion, wantSum, _ := strings.Cut(strings.TrimSpace(string(want)), " ")
	_, gotSum, _ := strings.Cut(strings.TrimSpace(got), " ")
	switch {
	case gotSum != wantSum && wantVersion == fmt.Sprint(db.SchemaVersion):
		t.Fatalf("the tables changed but db.SchemaVersion is still %d: bump it, then run with -update-schema-fingerprint", db.SchemaVersion)
	case gotSum != wantSum || wantVersion != fmt.Sprint(db.SchemaVersion):
		t.Fatalf("%s is out of date: run go test ./internal/db -run SchemaVersion -update-schema-fingerprint", path)
	}
}

// schemaFingerprint hashes what a migration creates: tables, columns, indexes, foreign keys.
func schemaFingerprint() string {
	var lines []string
	for _, t := range migrate.Tables {
		for _, c := range t.Columns {
			lines = append(lines, fmt.Sprintf("%s.%s %s null=%t unique=%t size=%d default=%v enums=%v", t.Name, c.Name, c.Type, c.Nullable, c.Unique, c.Size, c.Default, c.Enums))
		}
		for _, i := range t.Indexes {
			var cols []string
			for _, c := range i.Columns {
				cols = append(cols, c.Name)
			}
			lines = append(lines, fmt.Sprintf("%s index %s unique=%t %v", t.Name, i.Name, i.Unique, cols))
		}
		for _, fk := range t.ForeignKeys {
			lines = append(lines, fmt.Sprintf("%s fk %s -> %s on delete %s", t.Name, fk.Symbol, fk.RefTable.Name, fk.OnDelete))
		}
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}
