package db_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
)

// Under a load that uses every connection at once, each connection is kept when it comes back:
// none is closed only to be reopened by the next request.
func TestPoolKeepsTheConnectionsALoadOpened(t *testing.T) {
	const load = 32
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			ctx := context.Background()
			conns := make([]*sql.Conn, 0, load)
			for range load {
				c, err := d.SQL.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				conns = append(conns, c)
			}
			for _, c := range conns {
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
			}
			st := d.SQL.Stats()
			if st.MaxIdleClosed != 0 || st.Idle != load {
				t.Fatalf("after %d connections came back: %d idle, %d closed for want of idle room", load, st.Idle, st.MaxIdleClosed)
			}
		})
	}
}
