package db_test

import (
	"context"
	"testing"

	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

// A watch moves with the writes to its tables, in and out of transactions, and again when a
// transaction that wrote to them commits; writes to other tables leave it alone.
func TestWatchTablesCountsWritesToItsTablesOnly(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			ctx := authz.AsOperator(context.Background())
			groups := d.WatchTables("groups", "memberships")
			users := d.WatchTables("users")

			before := groups.Count()
			g, err := d.Client.Group.Create().SetName("readers").Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if groups.Count() == before {
				t.Fatal("creating a group did not move the watch of groups")
			}
			if users.Count() != 0 {
				t.Fatalf("creating a group moved the watch of users to %d", users.Count())
			}

			before = groups.Count()
			u, err := d.Client.User.Create().SetName("Ann").SetEmail("ann@example.com").SetRole(user.RoleUSER).Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Client.Group.Query().Count(ctx); err != nil {
				t.Fatal(err)
			}
			if groups.Count() != before {
				t.Fatal("creating a user and reading groups moved the watch of groups")
			}
			if users.Count() == 0 {
				t.Fatal("creating a user did not move the watch of users")
			}

			tx, err := d.Client.Tx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Group.UpdateOneID(g.ID).AddMemberIDs(u.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			inTx := groups.Count()
			if inTx == before {
				t.Fatal("a membership written in a transaction did not move the watch")
			}
			usersInTx := users.Count()
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if groups.Count() == inTx {
				t.Fatal("the commit of a transaction that wrote a membership did not move the watch")
			}
			if users.Count() != usersInTx {
				t.Fatal("a transaction that wrote no user moved the watch of users when it committed")
			}

			before = groups.Count()
			if _, err := d.Client.ExecContext(ctx, `WITH gone AS (SELECT 1) DELETE FROM sessions WHERE 1 = 0`); err != nil {
				t.Fatal(err)
			}
			if groups.Count() == before {
				t.Fatal("a statement whose table cannot be told did not move the watch")
			}
		})
	}
}
