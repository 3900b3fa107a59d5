package db

import (
	"strings"
	"sync"
	"sync/atomic"
)

// TableWrites counts the statements and commits that may have changed any of a few tables, for
// a cache of what is read from those tables alone: DB.Writes moves with every usage event a
// busy gateway writes, this only with writes to the tables watched. A statement whose table
// cannot be told (a CTE, a statement ent does not write) counts for every watch.
type TableWrites struct {
	tables map[string]bool
	n      atomic.Uint64
}

// Count is the number of writes so far that may have changed a watched table. What was read from
// those tables through the client is still current while it has not moved since before the read
// (as for DB.Writes, writes made straight through SQL or by another process are not counted).
func (w *TableWrites) Count() uint64 { return w.n.Load() }

// WatchTables starts counting the writes through d's client that may change any of tables
// (names as in SQL, such as "model_grants"). Call it before serving: writes already made are
// not counted.
func (d *DB) WatchTables(tables ...string) *TableWrites {
	w := &TableWrites{tables: make(map[string]bool, len(tables))}
	for _, t := range tables {
		w.tables[strings.ToLower(t)] = true
	}
	for {
		old := d.watches.Load()
		next := append(append([]*TableWrites(nil), *old...), w)
		if d.watches.CompareAndSwap(old, &next) {
			return w
		}
	}
}

// watchList is the watches of a DB, replaced whole when one is added.
type watchList = atomic.Pointer[[]*TableWrites]

func newWatchList() *watchList {
	l := new(watchList)
	l.Store(&[]*TableWrites{})
	return l
}

// txWatches are the watches a transaction's statements moved: they move again when it commits,
// since a reader may have read the state before its writes became visible and after they were
// counted.
type txWatches struct {
	mu  sync.Mutex
	hit []*TableWrites
}

func (t *txWatches) add(w *TableWrites) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, h := range t.hit {
		if h == w {
			return
		}
	}
	t.hit = append(t.hit, w)
}

// committed moves the watches the transaction's statements moved.
func (t *txWatches) committed() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, w := range t.hit {
		w.n.Add(1)
	}
}

// countWatches moves the watches that query may have changed a table of.
func countWatches(watches *watchList, tx *txWatches, query string) {
	list := *watches.Load()
	if len(list) == 0 {
		return
	}
	table, known := writtenTable(query)
	if known && table == "" {
		return // changes no table: a savepoint, a pragma
	}
	for _, w := range list {
		if !known || w.tables[table] {
			w.n.Add(1)
			tx.add(w)
		}
	}
}

// writtenTable returns the table a statement that may write changes: known is false when it
// cannot tell, and table is "" for statements that change no table's rows (transaction control,
// pragmas and settings). It reads the statements ent and steward send, such as
// `INSERT INTO "models" ...`, `UPDATE "users" SET ...`, `DELETE FROM "groups" WHERE ...`;
// anything else (a WITH, a TRUNCATE, DDL) is unknown, and so are several statements in one that
// write to more than one table.
func writtenTable(query string) (table string, known bool) {
	statements := 0
	for rest, more := query, true; more; {
		var part string
		part, rest, more = strings.Cut(rest, ";") // no slice of parts: this runs for every write
		if strings.TrimSpace(part) == "" {
			continue
		}
		statements++
		t, ok := statementTable(part)
		switch {
		case !ok:
			return "", false
		case t == "":
		case table == "" || table == t:
			table = t
		default:
			return "", false
		}
	}
	return table, statements > 0
}

// statementTable is writtenTable for one statement.
func statementTable(query string) (table string, known bool) {
	words := sqlWords{rest: query}
	switch words.next() {
	case "INSERT":
		if w := words.next(); w == "OR" {
			words.next() // OR REPLACE, OR IGNORE...
			if words.next() != "INTO" {
				return "", false
			}
		} else if w != "INTO" {
			return "", false
		}
	case "REPLACE":
		if words.next() != "INTO" {
			return "", false
		}
	case "UPDATE":
		if words.peek() == "OR" {
			words.next()
			words.next()
		}
	case "DELETE":
		if words.next() != "FROM" {
			return "", false
		}
	case "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "END", "PRAGMA", "SET", "ANALYZE":
		return "", true
	default:
		return "", false
	}
	name, ok := words.name()
	if !ok {
		return "", false
	}
	return name, true
}

// sqlWords reads a statement's leading keywords and a table name.
type sqlWords struct{ rest string }

func (s *sqlWords) skipSpace() {
	s.rest = strings.TrimLeft(s.rest, " \t\r\n")
}

// next returns the next keyword in upper case ("" at a symbol or the end).
func (s *sqlWords) next() string {
	s.skipSpace()
	i := 0
	for i < len(s.rest) && (s.rest[i] >= 'a' && s.rest[i] <= 'z' || s.rest[i] >= 'A' && s.rest[i] <= 'Z') {
		i++
	}
	w := strings.ToUpper(s.rest[:i])
	s.rest = s.rest[i:]
	return w
}

func (s *sqlWords) peek() string {
	saved := s.rest
	w := s.next()
	s.rest = saved
	return w
}

// name reads a table name, quoted or not, and keeps its last part when schema-qualified
// ("public"."models" is models).
func (s *sqlWords) name() (string, bool) {
	var name string
	for {
		s.skipSpace()
		if s.rest == "" {
			return "", false
		}
		switch q := s.rest[0]; q {
		case '"', '`':
			end := strings.IndexByte(s.rest[1:], q)
			if end < 0 {
				return "", false
			}
			name, s.rest = s.rest[1:1+end], s.rest[2+end:]
		default:
			i := 0
			for i < len(s.rest) && (s.rest[i] == '_' || s.rest[i] >= 'a' && s.rest[i] <= 'z' ||
				s.rest[i] >= 'A' && s.rest[i] <= 'Z' || s.rest[i] >= '0' && s.rest[i] <= '9') {
				i++
			}
			if i == 0 {
				return "", false
			}
			name, s.rest = s.rest[:i], s.rest[i:]
		}
		if !strings.HasPrefix(s.rest, ".") {
			return strings.ToLower(name), true
		}
		s.rest = s.rest[1:]
	}
}
