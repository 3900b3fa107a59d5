package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
)

func init() {
	register(Scenario{Name: "users", Summary: "admin users page (N users with their groups) over HTTP", Run: runUsers})
}

// defaultUserFields is what Open WebUI's admin users table shows, with each user's groups.
const defaultUserFields = `id name email role profileImageUrl lastActiveAt isActive groups { id name }`

func usersPageQuery(fields string) string {
	return `query UsersPage($first: Int!, $count: Boolean!) {
  users(first: $first) {
    totalCount @include(if: $count)
    edges { node { ` + fields + ` } }
    pageInfo { hasNextPage endCursor }
  }
}`
}

func runUsers(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("users", flag.ContinueOnError)
	var (
		tf         targetFlags
		lf         loadFlags
		users      = fs.Int("users", 10000, "accounts to seed (skipped when the database already has this many)")
		groups     = fs.Int("groups", 20, "groups to seed; each user joins 1 to 3")
		page       = fs.Int("page", 50, "users per page")
		totalCount = fs.Bool("total-count", true, "ask for totalCount too (a COUNT over all users per request)")
		fields     = fs.String("fields", defaultUserFields, "the User fields each page asks for")
		writeRate  = fs.Float64("write-rate", 0, "account changes per second made through the API while loading (each one invalidates cached answers)")
	)
	tf.register(fs)
	lf.register(fs, 32)
	if err := fs.Parse(args); err != nil {
		return err
	}
	tg, err := tf.open(ctx, lf.clients)
	if err != nil {
		return err
	}
	defer tg.Close()
	start := time.Now()
	seeded, err := seedUsers(ctx, tg.DB.Client, *users, *groups)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "seeded %d users and %d groups in %s (%s); loading %s\n",
		seeded, *groups, time.Since(start).Round(time.Millisecond), tg.DB.Dialect, tg.URL)

	vars := map[string]any{"first": *page, "count": *totalCount}
	var check struct {
		Users struct {
			Edges []struct {
				Node struct{ Groups []struct{ ID string } }
			}
		}
	}
	if err := tg.graphql(ctx, tg.Token, usersPageQuery(*fields), vars, &check); err != nil {
		return fmt.Errorf("first request: %w", err)
	}
	if len(check.Users.Edges) != *page && seeded >= *page {
		return fmt.Errorf("page has %d users, want %d", len(check.Users.Edges), *page)
	}
	query := usersPageQuery(*fields)
	if *writeRate > 0 {
		stop := renameContinuously(ctx, tg, *writeRate)
		defer stop()
	}
	res := hammer(ctx, fmt.Sprintf("users (page %d, %d accounts, %s)", *page, seeded, tg.DB.Dialect), lf,
		func(ctx context.Context) error { return tg.graphql(ctx, tg.Token, query, vars, nil) })
	res.report(os.Stdout, lf.json)
	st := tg.DB.SQL.Stats()
	fmt.Fprintf(os.Stderr, "database pool: %d open, %d waits (%s), %d closed as idle surplus\n",
		st.OpenConnections, st.WaitCount, st.WaitDuration.Round(time.Millisecond), st.MaxIdleClosed)
	return nil
}

// renameContinuously renames the admin through the API perSecond times a second until stop, as
// a busy admin team would change accounts while others browse the users page.
func renameContinuously(ctx context.Context, tg *target, perSecond float64) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var me struct{ Me struct{ ID string } }
		if err := tg.graphql(ctx, tg.Token, `{ me { id } }`, nil, &me); err != nil {
			return
		}
		tick := time.NewTicker(time.Duration(float64(time.Second) / perSecond))
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_ = tg.graphql(ctx, tg.Token, `mutation($id: ID!, $n: String!) { updateUser(id: $id, input: {name: $n}) { id } }`,
					map[string]any{"id": me.Me.ID, "n": fmt.Sprintf("Bench Admin %d", i)}, nil)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// seedUsers brings the database to n users (the admin included) spread over groups, inserting
// straight through ent in batches; it returns the number of users.
func seedUsers(ctx context.Context, c *ent.Client, n, groups int) (int, error) {
	sys := authz.As(ctx, authz.Operator)
	have, err := c.User.Query().Count(sys)
	if err != nil {
		return 0, err
	}
	if have >= n {
		return have, nil
	}
	groupIDs, err := c.Group.Query().IDs(sys)
	if err != nil {
		return 0, err
	}
	for i := len(groupIDs); i < groups; i++ {
		g, err := c.Group.Create().SetName(fmt.Sprintf("bench group %02d", i)).
			SetDescription("seeded by steward-bench").Save(sys)
		if err != nil {
			return 0, fmt.Errorf("seeding groups: %w", err)
		}
		groupIDs = append(groupIDs, g.ID)
	}
	// 500 rows per statement stays under SQLite's bound-parameter limit.
	const batch = 500
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Now().UTC().Add(-time.Duration(n) * time.Minute)
	for done := have; done < n; {
		size := min(batch, n-done)
		creates := make([]*ent.UserCreate, size)
		for i := range creates {
			k := done + i
			at := base.Add(time.Duration(k) * time.Minute)
			creates[i] = c.User.Create().SetName(fmt.Sprintf("Bench User %05d", k)).
				SetEmail(fmt.Sprintf("bench.user.%05d@example.com", k)).SetRole(user.RoleUSER).
				SetCreatedAt(at).SetUpdatedAt(at).SetLastActiveAt(at)
		}
		tx, err := c.Tx(ctx)
		if err != nil {
			return 0, err
		}
		created, err := tx.User.CreateBulk(creates...).Save(sys)
		if err != nil {
			_ = tx.Rollback()
			return 0, fmt.Errorf("seeding users: %w", err)
		}
		var ms []*ent.MembershipCreate
		if len(groupIDs) > 0 {
			for _, u := range created {
				first := rng.IntN(len(groupIDs))
				for j := 0; j < 1+rng.IntN(3) && j < len(groupIDs); j++ {
					ms = append(ms, tx.Membership.Create().SetUserID(u.ID).SetGroupID(groupIDs[(first+j)%len(groupIDs)]).
						SetUserCreatedAt(u.CreatedAt)) // known here: the hook's look-up per row is skipped
				}
			}
		}
		for len(ms) > 0 {
			k := min(batch, len(ms))
			if err := tx.Membership.CreateBulk(ms[:k]...).Exec(sys); err != nil {
				_ = tx.Rollback()
				return 0, fmt.Errorf("seeding memberships: %w", err)
			}
			ms = ms[k:]
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
		done += size
	}
	return n, nil
}
