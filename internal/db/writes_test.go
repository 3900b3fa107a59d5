package db

import (
	stdsql "database/sql"
	"testing"

	entsql "entgo.io/ent/dialect/sql"
)

// columnsOnly is a result set that counts how often its column types are built.
type columnsOnly struct {
	entsql.ColumnScanner
	built int
	sets  int
}

func (c *columnsOnly) ColumnTypes() ([]*stdsql.ColumnType, error) {
	c.built++
	return make([]*stdsql.ColumnType, 3), nil
}

func (c *columnsOnly) NextResultSet() bool {
	c.sets++
	return c.sets < 2
}

// A result set's column types are built once however often ent asks (once per row and unknown
// column), and again for the next result set.
func TestTypedColumnsBuildTypesOncePerResultSet(t *testing.T) {
	inner := &columnsOnly{}
	rows := &typedColumns{ColumnScanner: inner}
	for range 50 {
		if types, err := rows.ColumnTypes(); err != nil || len(types) != 3 {
			t.Fatalf("%d types, %v", len(types), err)
		}
	}
	if inner.built != 1 {
		t.Fatalf("types built %d times for one result set, want once", inner.built)
	}
	if !rows.NextResultSet() {
		t.Fatal("the next result set is lost")
	}
	_, _ = rows.ColumnTypes()
	if inner.built != 2 {
		t.Fatalf("types built %d times over two result sets, want twice", inner.built)
	}
}
