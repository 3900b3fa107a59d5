package server

import (
	"bytes"
	"context"
	stdsql "database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

// countingDriver counts every statement ent sends, in or out of a transaction, and keeps the
// text of the latest ones in log.
type countingDriver struct {
	*entsql.Driver
	n   *atomic.Int64
	log *statementLog
}

// statementLog keeps the statements sent since its last reset.
type statementLog struct {
	mu   sync.Mutex
	text []string
}

func (l *statementLog) add(q string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.text = append(l.text, q)
}

// take returns the statements recorded since the last take.
func (l *statementLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.text
	l.text = nil
	return out
}

func (d countingDriver) Exec(ctx context.Context, q string, args, v any) error {
	d.n.Add(1)
	d.log.add(q)
	return d.Driver.Exec(ctx, q, args, v)
}

func (d countingDriver) Query(ctx context.Context, q string, args, v any) error {
	d.n.Add(1)
	d.log.add(q)
	return d.Driver.Query(ctx, q, args, v)
}

func (d countingDriver) ExecContext(ctx context.Context, q string, args ...any) (stdsql.Result, error) {
	d.n.Add(1)
	d.log.add(q)
	return d.Driver.ExecContext(ctx, q, args...)
}

func (d countingDriver) QueryContext(ctx context.Context, q string, args ...any) (*stdsql.Rows, error) {
	d.n.Add(1)
	d.log.add(q)
	return d.Driver.QueryContext(ctx, q, args...)
}

func (d countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, n: d.n, log: d.log}, nil
}

type countingTx struct {
	dialect.Tx
	n   *atomic.Int64
	log *statementLog
}

func (t countingTx) Exec(ctx context.Context, q string, args, v any) error {
	t.n.Add(1)
	t.log.add(q)
	return t.Tx.Exec(ctx, q, args, v)
}

func (t countingTx) Query(ctx context.Context, q string, args, v any) error {
	t.n.Add(1)
	t.log.add(q)
	return t.Tx.Query(ctx, q, args, v)
}

func (t countingTx) ExecContext(ctx context.Context, q string, args ...any) (stdsql.Result, error) {
	t.n.Add(1)
	t.log.add(q)
	return t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (stdsql.Result, error)
	}).ExecContext(ctx, q, args...)
}

func (t countingTx) QueryContext(ctx context.Context, q string, args ...any) (*stdsql.Rows, error) {
	t.n.Add(1)
	t.log.add(q)
	return t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*stdsql.Rows, error)
	}).QueryContext(ctx, q, args...)
}

// TestUsersPageStatementCount proves the users page batches its nested lookups: a page of 100
// users with their groups and each group's member count costs as many SQL statements as a page
// of 10, a small constant.
func TestUsersPageStatementCount(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token := countingServer(t, b)
			ctx := context.Background()

			sys := authz.AsOperator(ctx)
			c := database.Client
			var groupIDs []string
			for i := 0; i < 5; i++ {
				g, err := c.Group.Create().SetName(fmt.Sprintf("group %d", i)).Save(sys)
				if err != nil {
					t.Fatal(err)
				}
				groupIDs = append(groupIDs, g.ID)
			}
			users := make([]*ent.UserCreate, 120)
			for i := range users {
				users[i] = c.User.Create().SetName(fmt.Sprintf("user %03d", i)).SetEmail(fmt.Sprintf("u%03d@example.com", i)).SetRole(user.RoleUSER)
			}
			created, err := c.User.CreateBulk(users...).Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			var ms []*ent.MembershipCreate
			for i, u := range created {
				ms = append(ms, c.Membership.Create().SetUserID(u.ID).SetGroupID(groupIDs[i%5]),
					c.Membership.Create().SetUserID(u.ID).SetGroupID(groupIDs[(i+1)%5]))
			}
			if err := c.Membership.CreateBulk(ms...).Exec(sys); err != nil {
				t.Fatal(err)
			}

			page := func(first int) int64 {
				q := fmt.Sprintf(`{ users(first: %d) { totalCount edges { node { id name email currentSubscription { id } groups { id name memberCount creator { name } } } } } }`, first)
				post(token, q) // warm up: the first request of a token also records its last use
				time.Sleep(100 * time.Millisecond)
				var d map[string]any
				got := fewestStatements(func() int64 {
					before := n.Load()
					d = post(token, q)
					return n.Load() - before
				})
				edges := d["users"].(map[string]any)["edges"].([]any)
				if len(edges) != first {
					t.Fatalf("page size = %d, want %d", len(edges), first)
				}
				groups := edges[first-1].(map[string]any)["node"].(map[string]any)["groups"].([]any)
				if len(groups) != 2 || groups[0].(map[string]any)["memberCount"] != float64(48) {
					t.Fatalf("groups of the last user = %v, want 2 groups of 48 members", groups)
				}
				return got
			}
			small, large := page(10), page(100)
			t.Logf("statements: page of 10 = %d, page of 100 = %d", small, large)
			if small != large {
				t.Fatalf("page of 100 cost %d statements, page of 10 cost %d: nested fields are not batched", large, small)
			}
			if large > 10 {
				t.Fatalf("page of 100 cost %d statements, want at most 10", large)
			}
		})
	}
}

// fewestStatements is the fewest statements of three runs of one request. A dataloader batches
// the keys that arrive within its wait, so on a loaded machine a stalled resolver can split one
// run's batch in two; a request that is not batched costs a statement per row on every run.
func fewestStatements(run func() int64) int64 {
	fewest := run()
	for range 2 {
		fewest = min(fewest, run())
	}
	return fewest
}

// countingServer starts a server whose ent driver counts every SQL statement, signs up its
// admin and returns a poster for GraphQL requests, the counter, the database and the token.
func countingServer(t *testing.T, b dbtest.Backend) (post func(token, query string) map[string]any, n *atomic.Int64, database *db.DB, token string) {
	t.Helper()
	post, n, database, token, _ = loggingServer(t, b)
	return post, n, database, token
}

// loggingServer is countingServer that also returns the log of the statements sent.
func loggingServer(t *testing.T, b dbtest.Backend) (post func(token, query string) map[string]any, n *atomic.Int64, database *db.DB, token string, log *statementLog) {
	t.Helper()
	n, log = new(atomic.Int64), new(statementLog)
	ctx := context.Background()
	database, err := db.Open(ctx, db.Config{URL: dbtest.NewURL(t, b)})
	if err != nil {
		t.Fatal(err)
	}
	database.Client = ent.NewClient(ent.Driver(countingDriver{Driver: entsql.OpenDB(database.Dialect, database.SQL), n: n, log: log}))
	t.Cleanup(func() { _ = database.Close() })
	cfg, err := config.Load(nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	// Given, so that no key file is generated in the package's folder.
	cfg.SecretKey = "test-secret-key-0123456789abcdef0123456789"
	tokens, err := auth.NewTokens([]byte(cfg.SecretKey), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A generous loader wait keeps every key of a page in one batch even on a loaded machine.
	app := &App{DB: database, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = app.build(ctx, cfg, Options{Argon2: auth.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, LoaderWait: 50 * time.Millisecond,
		QueryCacheTTL: -1}, tokens) // statements of executed queries are counted, not cached answers
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(app.Handler())
	t.Cleanup(ts.Close)
	post = func(token, query string) map[string]any {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"query": query})
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Data   map[string]any `json:"data"`
			Errors []any          `json:"errors"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
			t.Fatalf("response: %v %v", out.Errors, err)
		}
		return out.Data
	}
	d := post("", `mutation { signup(input: {name: "Ada", email: "ada@example.com", password: "long enough pw"}) { token } }`)
	token = d["signup"].(map[string]any)["token"].(string)
	return post, n, database, token, log
}

// TestPlansStatsStatementCount: plans with their statistics cost the same statements for 3 plans
// as for 30, and a page of subscribers with their users and usage the same for 2 as for 20.
func TestPlansStatsStatementCount(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token := countingServer(t, b)
			sys := authz.AsOperator(context.Background())
			c := database.Client
			now := time.Now().UTC()
			users := make([]*ent.UserCreate, 40)
			for i := range users {
				users[i] = c.User.Create().SetName(fmt.Sprintf("sub %02d", i)).SetEmail(fmt.Sprintf("s%02d@example.com", i)).SetRole(user.RoleUSER)
			}
			subscribers, err := c.User.CreateBulk(users...).Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			addPlans := func(from, to int) {
				for i := from; i < to; i++ {
					p, err := c.Plan.Create().SetID(fmt.Sprintf("plan-%02d", i)).SetName(fmt.Sprintf("Plan %02d", i)).
						SetPriceMinor(1000).SetCurrency("USD").SetQuotas(map[string]int64{"REQUESTS": 100}).Save(sys)
					if err != nil {
						t.Fatal(err)
					}
					if err := c.PlanSubscription.Create().SetUserID(subscribers[i].ID).SetPlanID(p.ID).
						SetPriceMinor(1000).SetCurrency("USD").
						SetStatus("ACTIVE").SetPeriodAnchor(now).SetCurrentPeriodStart(now).SetCurrentPeriodEnd(now.AddDate(0, 1, 0)).Exec(sys); err != nil {
						t.Fatal(err)
					}
				}
			}
			plansQuery := `{ plans(includeInactive: true) { id stats { activeSubscriptions totalSubscriptions mrr { currency amount } } } }`
			count := func(q string) (int64, map[string]any) {
				post(token, q)
				var d map[string]any
				return fewestStatements(func() int64 {
					before := n.Load()
					d = post(token, q)
					return n.Load() - before
				}), d
			}
			addPlans(0, 3)
			few, _ := count(plansQuery)
			addPlans(3, 30)
			many, d := count(plansQuery)
			plans := d["plans"].([]any)
			if len(plans) != 30 {
				t.Fatalf("plans = %d, want 30", len(plans))
			}
			mrr := plans[0].(map[string]any)["stats"].(map[string]any)["mrr"].(map[string]any)
			if mrr["amount"] != "10.00" || mrr["currency"] != "USD" {
				t.Fatalf("mrr of a plan with one monthly 10.00 subscription = %v", mrr)
			}
			t.Logf("statements: 3 plans = %d, 30 plans = %d", few, many)
			if few != many {
				t.Fatalf("30 plans cost %d statements, 3 plans %d: stats are not batched", many, few)
			}

			// Subscribers of one plan: give plan-00 twenty more subscriptions (ended ones: one current each).
			for _, u := range subscribers[30:40] {
				for k := 0; k < 2; k++ {
					if err := c.PlanSubscription.Create().SetUserID(u.ID).SetPlanID("plan-00").SetStatus("CANCELED").
						SetPeriodAnchor(now).SetCurrentPeriodStart(now).SetCurrentPeriodEnd(now.AddDate(0, 1, 0)).SetEndedAt(now).Exec(sys); err != nil {
						t.Fatal(err)
					}
				}
			}
			subs := func(first int) int64 {
				got, d := count(fmt.Sprintf(`{ plan(id: "plan-00") { subscribers(first: %d) { totalCount edges { node { subscription { status } user { name } usage { metrics { metric used limit } } } } } } }`, first))
				edges := d["plan"].(map[string]any)["subscribers"].(map[string]any)["edges"].([]any)
				if len(edges) != first {
					t.Fatalf("subscribers page = %d, want %d", len(edges), first)
				}
				return got
			}
			if two, twenty := subs(2), subs(20); two != twenty {
				t.Fatalf("a page of 20 subscribers cost %d statements, a page of 2 cost %d", twenty, two)
			}

			// Transactions with their plans: the plans come in one batch.
			var txs []*ent.TransactionCreate
			for i := range 20 {
				txs = append(txs, c.Transaction.Create().SetUserID(subscribers[i].ID).SetPlanID(fmt.Sprintf("plan-%02d", i)).
					SetAmountMinor(1000).SetCurrency("USD"))
			}
			if err := c.Transaction.CreateBulk(txs...).Exec(sys); err != nil {
				t.Fatal(err)
			}
			payments := func(first int) int64 {
				got, d := count(fmt.Sprintf(`{ transactions(first: %d) { edges { node { amount plan { name } } } } }`, first))
				edges := d["transactions"].(map[string]any)["edges"].([]any)
				if len(edges) != first || edges[0].(map[string]any)["node"].(map[string]any)["plan"] == nil {
					t.Fatalf("transactions page = %v", d)
				}
				return got
			}
			if two, twenty := payments(2), payments(20); two != twenty {
				t.Fatalf("a page of 20 transactions with plans cost %d statements, a page of 2 cost %d", twenty, two)
			}
		})
	}
}

// TestUsersBenchPageLean: the bench's users page (steward-bench, bench-postgraphile) costs at most
// three statements with the credential cached, whatever its size: the count (totalCount is asked),
// the page reading only the columns it returns, and the page's groups in one joined statement.
// pageInfo without totalCount counts nothing; without edges it still counts for hasNextPage.
func TestUsersBenchPageLean(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token, log := loggingServer(t, b)
			sys := authz.AsOperator(context.Background())
			c := database.Client
			var groupIDs []string
			for i := 0; i < 3; i++ {
				g, err := c.Group.Create().SetName(fmt.Sprintf("group %d", i)).Save(sys)
				if err != nil {
					t.Fatal(err)
				}
				groupIDs = append(groupIDs, g.ID)
			}
			users := make([]*ent.UserCreate, 120)
			for i := range users {
				users[i] = c.User.Create().SetName(fmt.Sprintf("user %03d", i)).SetEmail(fmt.Sprintf("u%03d@example.com", i)).
					SetRole(user.RoleUSER).SetSettings(map[string]any{"ui": map[string]any{"theme": "dark"}}).
					SetInfo(map[string]any{"bio": "private"}).SetOauthSubjects(map[string]string{"google": "sub"})
			}
			created, err := c.User.CreateBulk(users...).Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			var ms []*ent.MembershipCreate
			for i, u := range created {
				ms = append(ms, c.Membership.Create().SetUserID(u.ID).SetGroupID(groupIDs[i%3]),
					c.Membership.Create().SetUserID(u.ID).SetGroupID(groupIDs[(i+1)%3]))
			}
			if err := c.Membership.CreateBulk(ms...).Exec(sys); err != nil {
				t.Fatal(err)
			}
			// run returns the statements of the cheapest of three runs of q, and its data.
			run := func(q string) (int64, []string, map[string]any) {
				post(token, q) // warm up: the first request of a token also records its last use
				time.Sleep(100 * time.Millisecond)
				var d map[string]any
				var texts []string
				got := fewestStatements(func() int64 {
					log.take()
					before := n.Load()
					out := post(token, q)
					k := n.Load() - before
					if texts == nil || int64(len(texts)) > k {
						d, texts = out, log.take()
					}
					return k
				})
				return got, texts, d
			}
			page := func(first int) int64 {
				got, texts, d := run(fmt.Sprintf(`{ users(first: %d) { totalCount edges { node { id name email role profileImageUrl lastActiveAt createdAt groups { id name } } } pageInfo { hasNextPage endCursor } } }`, first))
				conn := d["users"].(map[string]any)
				edges := conn["edges"].([]any)
				if len(edges) != first || conn["totalCount"] != float64(121) || conn["pageInfo"].(map[string]any)["hasNextPage"] != true {
					t.Fatalf("page of %d: %d edges, totalCount %v, pageInfo %v", first, len(edges), conn["totalCount"], conn["pageInfo"])
				}
				// The groups of user i are known from i, which its email carries.
				last := edges[first-1].(map[string]any)["node"].(map[string]any)
				var i int
				if _, err := fmt.Sscanf(last["email"].(string), "u%03d@example.com", &i); err != nil {
					t.Fatalf("email of the last user = %v", last["email"])
				}
				want := []string{fmt.Sprintf("group %d", i%3), fmt.Sprintf("group %d", (i+1)%3)}
				if want[0] > want[1] {
					want[0], want[1] = want[1], want[0]
				}
				gs := last["groups"].([]any)
				if len(gs) != 2 ||
					gs[0].(map[string]any)["name"] != want[0] || gs[1].(map[string]any)["name"] != want[1] {
					t.Fatalf("last user of a page of %d = %v, want u%03d in %v", first, last, i, want)
				}
				read := false
				for _, s := range texts {
					plain := strings.NewReplacer("`", "", `"`, "").Replace(s)
					if strings.Contains(plain, "FROM users") && !strings.Contains(plain, "COUNT") {
						read = strings.Contains(plain, "users.email")
						for _, col := range []string{"settings", "info", "oauth_subjects", "locked_until"} {
							if strings.Contains(plain, "users."+col) {
								t.Errorf("the page reads %s it does not return: %s", col, s)
							}
						}
					}
				}
				if !read {
					t.Fatalf("no statement read the page's users with their email: %q", texts)
				}
				return got
			}
			small, large := page(10), page(100)
			t.Logf("statements: page of 10 = %d, page of 100 = %d", small, large)
			if small != large || large > 3 {
				t.Fatalf("pages of 10 and 100 cost %d and %d statements, want the same, at most 3", small, large)
			}

			hasNext := func(q string) (bool, []string) {
				_, texts, d := run(q)
				return d["users"].(map[string]any)["pageInfo"].(map[string]any)["hasNextPage"].(bool), texts
			}
			counts := func(texts []string) bool {
				for _, s := range texts {
					if strings.Contains(strings.ToUpper(s), "COUNT(") {
						return true
					}
				}
				return false
			}
			if more, texts := hasNext(`{ users(first: 5) { edges { node { id } } pageInfo { hasNextPage } } }`); !more || counts(texts) {
				t.Fatalf("pageInfo without totalCount: hasNextPage = %v, statements %q; want true without a count", more, texts)
			}
			if more, texts := hasNext(`{ users(first: 121) { edges { node { id } } pageInfo { hasNextPage } } }`); more || counts(texts) {
				t.Fatalf("the whole table: hasNextPage = %v, statements %q; want false without a count", more, texts)
			}
			if more, _ := hasNext(`{ users(first: 5) { pageInfo { hasNextPage } } }`); !more {
				t.Fatal("pageInfo alone: hasNextPage = false, want true (counted)")
			}
		})
	}
}

// TestOtherConnectionsLean: a group's members page with their groups costs the same statements for
// 2 members as for 20 (the groups are primed in one statement), and the audit log's page reads
// only the columns it returns and counts nothing when totalCount is not asked.
func TestOtherConnectionsLean(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token, log := loggingServer(t, b)
			sys := authz.AsOperator(context.Background())
			c := database.Client
			team, err := c.Group.Create().SetName("team").Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			other, err := c.Group.Create().SetName("other").Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 20 {
				// Through the API, so that the audit log has entries too.
				d := post(token, fmt.Sprintf(`mutation { createUser(input: {name: "m%02d", email: "m%02d@example.com", password: "long enough pw"}) { id } }`, i, i))
				id := d["createUser"].(map[string]any)["id"].(string)
				if err := c.Membership.CreateBulk(c.Membership.Create().SetUserID(id).SetGroupID(team.ID),
					c.Membership.Create().SetUserID(id).SetGroupID(other.ID)).Exec(sys); err != nil {
					t.Fatal(err)
				}
			}
			run := func(q string) (int64, []string, map[string]any) {
				post(token, q)
				time.Sleep(100 * time.Millisecond)
				log.take()
				before := n.Load()
				d := post(token, q)
				return n.Load() - before, log.take(), d
			}
			members := func(first int) int64 {
				got, _, d := run(fmt.Sprintf(`{ node(id: %q) { ... on Group { members(first: %d) { edges { node { name groups { name } } } } } } }`, team.ID, first))
				edges := d["node"].(map[string]any)["members"].(map[string]any)["edges"].([]any)
				if len(edges) != first || len(edges[0].(map[string]any)["node"].(map[string]any)["groups"].([]any)) != 2 {
					t.Fatalf("members page of %d = %v", first, edges)
				}
				return got
			}
			if two, twenty := members(2), members(20); two != twenty {
				t.Fatalf("members with their groups: 2 cost %d statements, 20 cost %d", two, twenty)
			}

			_, texts, d := run(`{ auditLogs(first: 5) { edges { node { id action actor { name } } } pageInfo { hasNextPage } } }`)
			page := d["auditLogs"].(map[string]any)
			if len(page["edges"].([]any)) != 5 || page["pageInfo"].(map[string]any)["hasNextPage"] != true {
				t.Fatalf("audit page = %v", page)
			}
			read := false
			for _, s := range texts {
				plain := strings.NewReplacer("`", "", `"`, "").Replace(s)
				if strings.Contains(strings.ToUpper(plain), "COUNT(") {
					t.Errorf("the audit page counts without totalCount: %s", s)
				}
				if strings.Contains(plain, "FROM audit_logs") {
					read = true
					for _, col := range []string{"audit_logs.changes", "audit_logs.user_agent", "audit_logs.prev_hash"} {
						if strings.Contains(plain, col) {
							t.Errorf("the audit page reads %s it does not return: %s", col, s)
						}
					}
				}
			}
			if !read {
				t.Fatalf("no statement read the audit log: %q", texts)
			}
		})
	}
}

// meteredUser creates a user named name subscribed, from now for a month, to a plan "metered"
// allowing 100 REQUESTS.
func meteredUser(t *testing.T, sys context.Context, c *ent.Client, name string) *ent.User {
	t.Helper()
	now := time.Now().UTC()
	u, err := c.User.Create().SetName(name).SetEmail(strings.ToLower(name) + "@example.com").SetRole(user.RoleUSER).Save(sys)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan.Create().SetID("metered").SetName("Metered").SetPriceMinor(1000).SetCurrency("USD").SetQuotas(map[string]int64{"REQUESTS": 100}).Save(sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PlanSubscription.Create().SetUserID(u.ID).SetPlanID(p.ID).SetPriceMinor(1000).SetCurrency("USD").
		SetStatus("ACTIVE").SetPeriodAnchor(now).SetCurrentPeriodStart(now).SetCurrentPeriodEnd(now.AddDate(0, 1, 0)).Exec(sys); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestCheckQuotaStatementCount: checkQuota reads the subscription (with its plan and the user's
// existence) and the metric's counter, with the credential cached: in one statement on
// PostgreSQL, one round trip; in two on SQLite, where the two cost less than the one.
func TestCheckQuotaStatementCount(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token, log := loggingServer(t, b)
			sys := authz.AsOperator(context.Background())
			c := database.Client
			u := meteredUser(t, sys, c, "Quota")
			q := fmt.Sprintf(`{ checkQuota(userId: %q, metric: REQUESTS, amount: 1) { allowed limit } }`, u.ID)
			post(token, q) // warm up: the first request of a token also records its last use
			time.Sleep(100 * time.Millisecond)
			var d map[string]any
			var texts []string
			got := fewestStatements(func() int64 {
				log.take()
				before := n.Load()
				d = post(token, q)
				k := n.Load() - before
				if texts == nil || int64(len(texts)) > k {
					texts = log.take()
				}
				return k
			})
			if st := d["checkQuota"].(map[string]any); st["allowed"] != true || st["limit"] != float64(100) {
				t.Fatalf("checkQuota = %v", st)
			}
			t.Logf("checkQuota: %d statements: %q", got, texts)
			want := int64(2)
			if b == dbtest.Postgres {
				want = 1
			}
			if got > want {
				t.Fatalf("checkQuota cost %d statements, want %d: %q", got, want, texts)
			}
		})
	}
}

// TestRecordUsageStatementCount: a recordUsage outside a mutation's transaction goes through the
// batcher and costs, with the credential cached: the subscription read, the event insert and the
// counter update (one statement with the insert on PostgreSQL), and the daily rollup that the
// batch adds up once; no savepoint while every caller's work succeeds. Every statement is a round
// trip on PostgreSQL and part of the single writer's turn on SQLite.
func TestRecordUsageStatementCount(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token, log := loggingServer(t, b)
			sys := authz.AsOperator(context.Background())
			c := database.Client
			u := meteredUser(t, sys, c, "Metered")
			seq := 0
			record := func() map[string]any {
				seq++
				return post(token, fmt.Sprintf(`mutation { recordUsage(input: {userId: %q, metric: REQUESTS, amount: 1, idempotencyKey: "k-%d", enforce: true}) { replayed quota { used limit } } }`, u.ID, seq))
			}
			record() // warm up: the first request of a token also records its last use
			time.Sleep(100 * time.Millisecond)
			var d map[string]any
			var texts []string
			got := fewestStatements(func() int64 {
				log.take()
				before := n.Load()
				d = record()
				k := n.Load() - before
				if texts == nil || int64(len(texts)) > k {
					texts = log.take()
				}
				return k
			})
			if q := d["recordUsage"].(map[string]any)["quota"].(map[string]any); q["limit"] != float64(100) || q["used"].(float64) < 2 {
				t.Fatalf("recordUsage = %v", d)
			}
			want := int64(4)
			if b == dbtest.Postgres {
				want = 3
			}
			t.Logf("recordUsage: %d statements: %q", got, texts)
			if got > want {
				t.Fatalf("recordUsage cost %d statements, want at most %d: %q", got, want, texts)
			}
		})
	}
}

// TestRowsInOrderStillBatchWhatWaits covers the executor's choice to marshal a page's rows in
// order (internal/gqlexec): the users page loads every user's groups in advance and marks them
// ready, so a page selecting no other field of a user that waits runs its rows one after the
// other; each group's member count still waits on a loader and must still be fetched in one
// batch for the page, not once per row. Every user has a group of their own, so no count is
// answered from an earlier row's batch.
func TestRowsInOrderStillBatchWhatWaits(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token := countingServer(t, b)
			sys := authz.AsOperator(context.Background())
			c := database.Client
			for i := range 60 {
				g, err := c.Group.Create().SetName(fmt.Sprintf("group %02d", i)).Save(sys)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.User.Create().SetName(fmt.Sprintf("user %02d", i)).SetEmail(fmt.Sprintf("u%02d@example.com", i)).
					SetRole(user.RoleUSER).AddGroupIDs(g.ID).Save(sys); err != nil {
					t.Fatal(err)
				}
			}
			page := func(first int) int64 {
				q := fmt.Sprintf(`{ users(first: %d) { edges { node { id groups { id memberCount } } } } }`, first)
				post(token, q) // warm up: the first request of a token also records its last use
				return fewestStatements(func() int64 {
					before := n.Load()
					d := post(token, q)
					edges := d["users"].(map[string]any)["edges"].([]any)
					groups := edges[first-1].(map[string]any)["node"].(map[string]any)["groups"].([]any)
					if len(edges) != first || len(groups) != 1 || groups[0].(map[string]any)["memberCount"] != float64(1) {
						t.Fatalf("page of %d: %d edges, last user's groups %v", first, len(edges), groups)
					}
					return n.Load() - before
				})
			}
			small, large := page(5), page(50)
			t.Logf("statements: page of 5 = %d, page of 50 = %d", small, large)
			if small != large {
				t.Fatalf("page of 50 cost %d statements, page of 5 cost %d: member counts are fetched per row", large, small)
			}
		})
	}
}
