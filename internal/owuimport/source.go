package owuimport

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL sources
	_ "github.com/mattn/go-sqlite3"    // SQLite sources
)

// Source is an Open WebUI database, opened only to read. Its layout is detected, not assumed:
// which tables exist and which columns each has decide what is read (see read.go).
type Source struct {
	// name is what --from named, a password left out, for reports and the audit log.
	name     string
	db       *sql.DB
	postgres bool
	tables   map[string]map[string]bool
}

// Open opens from, an Open WebUI webui.db path (or file: URL) or a postgres:// URL, read-only.
func Open(ctx context.Context, from string) (*Source, error) {
	var (
		s   = &Source{name: redactURL(from)}
		err error
	)
	switch {
	case strings.HasPrefix(from, "postgres://"), strings.HasPrefix(from, "postgresql://"):
		s.postgres = true
		if s.db, err = sql.Open("pgx", from); err == nil {
			s.db.SetMaxOpenConns(1) // the read-only session setting below holds for this one connection
		}
	default:
		path := strings.TrimPrefix(from, "file:")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		// mode=ro refuses every write; immutable is not set, so a running Open WebUI's WAL is read.
		s.db, err = sql.Open("sqlite3", "file:"+uriEscaper.Replace(path)+"?mode=ro&_busy_timeout=5000")
	}
	if err != nil {
		return nil, fmt.Errorf("opening the Open WebUI database: %w", err)
	}
	if s.postgres {
		// A read-only transaction mode for every statement of the session.
		if _, err := s.db.ExecContext(ctx, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"); err != nil {
			_ = s.db.Close()
			return nil, fmt.Errorf("opening the Open WebUI database: %w", err)
		}
	}
	if err := s.detect(ctx); err != nil {
		_ = s.db.Close()
		return nil, err
	}
	if !s.Has("user") {
		_ = s.db.Close()
		return nil, fmt.Errorf("%s has no user table: it is not an Open WebUI database", s.name)
	}
	return s, nil
}

// uriEscaper escapes what an SQLite URI filename would otherwise read as syntax.
var uriEscaper = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Close closes the source.
func (s *Source) Close() error { return s.db.Close() }

// redactURL drops a password from a postgres URL before it is shown.
func redactURL(from string) string {
	u, err := url.Parse(from)
	if err != nil || u.User == nil {
		return from
	}
	return u.Redacted()
}

func (s *Source) detect(ctx context.Context) error {
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'`
	if s.postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("reading the Open WebUI database's tables: %w", err)
	}
	defer rows.Close()
	s.tables = map[string]map[string]bool{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			return fmt.Errorf("reading the Open WebUI database's tables: %w", err)
		}
		if s.tables[table] == nil {
			s.tables[table] = map[string]bool{}
		}
		s.tables[table][col] = true
	}
	return rows.Err()
}

// Has reports whether the source has table, and each of cols in it.
func (s *Source) Has(table string, cols ...string) bool {
	t, ok := s.tables[table]
	if !ok {
		return false
	}
	for _, c := range cols {
		if !t[c] {
			return false
		}
	}
	return true
}

// row is one source row by column name.
type row map[string]any

// all reads every row of table, ordered by orderBy (a column list, trusted: written in read.go).
func (s *Source) all(ctx context.Context, table, orderBy string) ([]row, error) {
	q := `SELECT * FROM "` + table + `"`
	if orderBy != "" {
		q += " ORDER BY " + orderBy
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	var out []row
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("reading %s: %w", table, err)
		}
		r := make(row, len(cols))
		for i, c := range cols {
			r[c] = vals[i]
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", table, err)
	}
	return out, nil
}

// The accessors read a column whatever the driver made of it: SQLite gives int64 for booleans
// and strings or bytes for JSON, pgx gives bool, []byte and numeric strings.

func (r row) str(col string) string {
	switch v := r[col].(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return string(v)
	default:
		return fmt.Sprint(v)
	}
}

func (r row) has(col string) bool { return r[col] != nil }

func (r row) int64(col string) int64 {
	switch v := r[col].(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case float64:
		return int64(v)
	case string, []byte:
		n, _ := strconv.ParseInt(strings.TrimSpace(r.str(col)), 10, 64)
		return n
	}
	return 0
}

func (r row) boolean(col string, def bool) bool {
	switch v := r[col].(type) {
	case nil:
		return def
	case bool:
		return v
	case int64:
		return v != 0
	case string, []byte:
		b, err := strconv.ParseBool(r.str(col))
		if err != nil {
			return def
		}
		return b
	}
	return def
}

// json decodes a JSON column; a value that is absent, null or not JSON gives nil.
func (r row) json(col string) any {
	s := r.str(col)
	if s == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil
	}
	// Some Open WebUI versions stored JSON twice encoded (a JSON string holding JSON).
	if inner, ok := v.(string); ok {
		var again any
		if json.Unmarshal([]byte(inner), &again) == nil {
			return again
		}
	}
	return v
}

func (r row) object(col string) map[string]any {
	m, _ := r.json(col).(map[string]any)
	return m
}

// epoch reads an Open WebUI timestamp: epoch seconds, or nanoseconds in the columns some versions
// fill from time.time_ns() (anything past the year 33658 in seconds is taken for nanoseconds).
func (r row) epoch(col string) (time.Time, bool) {
	if !r.has(col) {
		return time.Time{}, false
	}
	if t, ok := r[col].(time.Time); ok {
		return t.UTC(), true
	}
	n := r.int64(col)
	if n <= 0 {
		return time.Time{}, false
	}
	return epochTime(n), true
}

func epochTime(n int64) time.Time {
	switch {
	case n > 1e17:
		return time.Unix(0, n).UTC()
	case n > 1e14:
		return time.UnixMicro(n).UTC()
	case n > 1e12:
		return time.UnixMilli(n).UTC()
	}
	return time.Unix(n, 0).UTC()
}

// minor reads a money column (Numeric(10,2)) as integer minor units of a currency with exp
// decimals: exactly for the decimal strings PostgreSQL returns, rounded for SQLite's floats.
func (r row) minor(col string, exp int) (int64, error) {
	var rat *big.Rat
	switch v := r[col].(type) {
	case nil:
		return 0, nil
	case int64:
		rat = new(big.Rat).SetInt64(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%s %v is not a number", col, v)
		}
		rat = new(big.Rat).SetFloat64(v)
	default:
		var ok bool
		if rat, ok = new(big.Rat).SetString(strings.TrimSpace(r.str(col))); !ok {
			return 0, fmt.Errorf("%s %q is not a number", col, r.str(col))
		}
	}
	rat.Mul(rat, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	f, _ := rat.Float64()
	if f < 0 || f > math.MaxInt64/2 {
		return 0, fmt.Errorf("%s %s is out of range", col, r.str(col))
	}
	return int64(math.Round(f)), nil
}
