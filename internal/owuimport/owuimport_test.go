package owuimport_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/owuimport"
	"github.com/steward-dev/steward/internal/owuimport/owuitest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// importInto runs an import of from into s's database as steward import-openwebui does.
func importInto(t testing.TB, s *st.Server, from string, dryRun bool) (*owuimport.Report, error) {
	t.Helper()
	ctx := authz.As(auth.WithRequest(context.Background(), auth.Request{ID: uuid.NewString(), Principal: "console"}), authz.Importer)
	src, err := owuimport.Open(ctx, from)
	if err != nil {
		t.Fatalf("opening %s: %v", from, err)
	}
	defer src.Close()
	im, err := owuimport.New(owuimport.Config{DB: s.App.DB, Settings: s.App.Settings, Config: s.App.Config, Audit: s.App.Audit})
	if err != nil {
		t.Fatal(err)
	}
	return im.Run(ctx, src, owuimport.Options{DryRun: dryRun})
}

func mustImport(t *testing.T, s *st.Server, from string, dryRun bool) *owuimport.Report {
	t.Helper()
	rep, err := importInto(t, s, from, dryRun)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

// counts renders a report's tally as "table c/u/=/s" lines, for comparing runs.
func counts(rep *owuimport.Report) string {
	var out []string
	for _, c := range rep.Tables {
		out = append(out, fmt.Sprintf("%s %d/%d/%d/%d", c.Table, c.Created, c.Updated, c.Unchanged, c.Skipped))
	}
	return strings.Join(out, "; ")
}

// openWebUISecret is an Open WebUI WEBUI_SECRET_KEY, which steward reads as OPENWEBUI_SECRET_KEY.
const openWebUISecret = "Zk3xQ9pLm2Vt8Rw1"

const signin = `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token user { id role } } }`

func signinAs(t *testing.T, s *st.Server, email, password string) string {
	t.Helper()
	r := s.Query(t, "", signin, "e", email, "p", password)
	if r.Code() != "" {
		t.Fatalf("signing in as %s with the Open WebUI password: %s", email, r.Raw)
	}
	return st.Get(r.Data, "signin.token").(string)
}

// modelIDs lists the models the token's account reads, sorted.
func modelIDs(t *testing.T, s *st.Server, token string) []string {
	t.Helper()
	var out []string
	for _, m := range st.Get(s.MustQuery(t, token, `{ models { id } }`), "models").([]any) {
		out = append(out, st.Get(m, "id").(string))
	}
	sort.Strings(out)
	return out
}

// rowCounts is how many rows steward holds in the tables an import writes, read as the operator.
func rowCounts(t *testing.T, s *st.Server) string {
	t.Helper()
	ctx := authz.AsOperator(context.Background())
	c := s.App.DB.Client
	n := func(f func() (int, error)) int {
		v, err := f()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	return fmt.Sprintf("users %d, identities %d, keys %d, groups %d, models %d, plans %d, subs %d, usage %d, txs %d, config %d",
		n(func() (int, error) { return c.User.Query().Count(ctx) }), n(func() (int, error) { return c.Identity.Query().Count(ctx) }),
		n(func() (int, error) { return c.APIKey.Query().Count(ctx) }), n(func() (int, error) { return c.Group.Query().Count(ctx) }),
		n(func() (int, error) { return c.Model.Query().Count(ctx) }), n(func() (int, error) { return c.Plan.Query().Count(ctx) }),
		n(func() (int, error) { return c.PlanSubscription.Query().Count(ctx) }), n(func() (int, error) { return c.UsageEvent.Query().Count(ctx) }),
		n(func() (int, error) { return c.Transaction.Query().Count(ctx) }), n(func() (int, error) { return c.ConfigEntry.Query().Count(ctx) }))
}

// auditCount is how many audit entries steward holds.
func auditCount(t *testing.T, s *st.Server) int {
	t.Helper()
	n, err := s.App.DB.Client.AuditLog.Query().Count(authz.AsOperator(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportNewerLayout imports the newer layout (group_member, api_key, billing tables) and
// checks through the GraphQL API what the accounts see.
func TestImportNewerLayout(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		// Mid-December 2025: inside the first period of Alice's subscription (from 2025-12-01).
		s := st.New(t, b, st.WithClock(st.NewClock(time.Date(2025, 12, 15, 12, 0, 0, 0, time.UTC)).Now))
		from := owuitest.New(t, dbtest.SQLite, owuitest.Newer)
		empty, emptyAudit := rowCounts(t, s), auditCount(t, s)

		dry := mustImport(t, s, from, true)
		if !dry.DryRun || !dry.Changed() {
			t.Fatalf("dry run report: %s, want creations", counts(dry))
		}
		if got, audits := rowCounts(t, s), auditCount(t, s); got != empty || audits != emptyAudit {
			t.Fatalf("after a dry run the database holds %s and %d audit entries, want %s and %d", got, audits, empty, emptyAudit)
		}

		rep := mustImport(t, s, from, false)
		if counts(rep) != counts(dry) {
			t.Errorf("the import did %s, the dry run said %s", counts(rep), counts(dry))
		}
		want := map[string]string{
			"users": "4/0/0/0", "credentials": "3/0/0/1", "identities": "5/0/0/0", "api keys": "1/0/0/0",
			"groups": "1/0/0/0", "memberships": "1/0/0/0", "config sections": "0/4/0/0", "default permissions": "1/0/0/0",
			"models": "2/0/0/0", "plans": "2/0/0/0", "subscriptions": "2/0/0/0", "usage events": "1/0/0/0",
			"transactions": "1/0/0/0", "billing audit log": "2/0/0/0",
		}
		for _, c := range rep.Tables {
			got := fmt.Sprintf("%d/%d/%d/%d", c.Created, c.Updated, c.Unchanged, c.Skipped)
			if want[c.Table] != got {
				t.Errorf("%s: created/updated/unchanged/skipped = %s, want %s", c.Table, got, want[c.Table])
			}
		}
		if !slices.Contains(rep.IgnoredConfigKeys, "rag.top_k") || !slices.Contains(rep.IgnoredConfigKeys, "group g-eng: permission not_in_steward.x") {
			t.Errorf("ignored keys = %v, want rag.top_k and the group's unknown permission", rep.IgnoredConfigKeys)
		}

		admin := signinAs(t, s, owuitest.AdminEmail, owuitest.AdminPassword)
		alice := signinAs(t, s, owuitest.AliceEmail, owuitest.AlicePassword)
		bob := signinAs(t, s, owuitest.BobEmail, owuitest.BobPassword)

		t.Run("accounts keep ids, roles and passwords", func(t *testing.T) {
			d := s.MustQuery(t, admin, `{ me { id role } a: user(id: "u-alice") { name role createdAt } p: user(id: "u-pat") { role } }`)
			if st.Get(d, "me.id") != "u-admin" || st.Get(d, "me.role") != "ADMIN" || st.Get(d, "a.role") != "USER" ||
				st.Get(d, "a.name") != "Alice" || st.Get(d, "a.createdAt") != "2024-11-30T23:40:00Z" || st.Get(d, "p.role") != "PENDING" {
				t.Errorf("imported accounts: %v", d)
			}
			// Pat's auth row was inactive: the account came without a password.
			if r := s.Query(t, "", signin, "e", owuitest.PatEmail, "p", owuitest.PatPassword); r.Code() != "UNAUTHENTICATED" {
				t.Errorf("an inactive Open WebUI account signed in: %s", r.Raw)
			}
		})

		t.Run("groups and effective permissions", func(t *testing.T) {
			if got := st.Get(s.MustQuery(t, alice, `{ myGroups { id name } }`), "myGroups"); fmt.Sprint(got) != "[map[id:g-eng name:Engineers]]" {
				t.Errorf("alice's groups = %v", got)
			}
			for _, c := range []struct {
				user, key string
				want      bool
			}{
				{"u-alice", "workspace.models", true}, // her group grants what the defaults deny
				{"u-bob", "workspace.models", false},  // the imported defaults deny it
				{"u-bob", "chat.delete", false},       // likewise
				{"u-bob", "chat.edit", true},          // a default Open WebUI did not change
				{"u-alice", "features.api_keys", true},
			} {
				d := s.MustQuery(t, admin, `query($u: ID!, $k: String!) { explainPermission(userId: $u, key: $k) { granted } }`, "u", c.user, "k", c.key)
				if got := st.Get(d, "explainPermission.granted"); got != c.want {
					t.Errorf("%s %s granted = %v, want %v", c.user, c.key, got, c.want)
				}
			}
		})

		t.Run("a restricted model stays restricted", func(t *testing.T) {
			if got := fmt.Sprint(modelIDs(t, s, alice)); got != "[m-public m-secret]" {
				t.Errorf("alice (in Engineers) reads %s", got)
			}
			if got := fmt.Sprint(modelIDs(t, s, bob)); got != "[m-public]" {
				t.Errorf("bob (outside Engineers) reads %s", got)
			}
		})

		t.Run("plans and subscriptions", func(t *testing.T) {
			d := s.MustQuery(t, alice, `{ mySubscription { id status plan { id name price currency interval } } }`)
			if st.Get(d, "mySubscription.id") != "s-alice" || st.Get(d, "mySubscription.status") != "ACTIVE" ||
				st.Get(d, "mySubscription.plan.price") != "990.50" || st.Get(d, "mySubscription.plan.currency") != "RUB" ||
				st.Get(d, "mySubscription.plan.interval") != "MONTH" {
				t.Errorf("alice's subscription = %v", d)
			}
			// Alice's subscription was paid for (t-1): it counts in MRR at the price it was sold at.
			o := s.MustQuery(t, admin, `{ billingOverview(from: "2025-12-01T00:00:00Z", to: "2025-12-15T00:00:00Z") { mrr { amount currency } complimentary { subscriptions } } }`)
			if st.Get(o, "billingOverview.mrr.0.amount") != "990.50" || st.Get(o, "billingOverview.mrr.0.currency") != "RUB" ||
				st.Get(o, "billingOverview.complimentary.subscriptions") != float64(0) {
				t.Errorf("MRR of the imported subscriptions: %v", o)
			}
			if d := s.MustQuery(t, bob, `{ mySubscription { id } }`); st.Get(d, "mySubscription") != nil {
				t.Errorf("bob's canceled subscription is current: %v", d)
			}
			d = s.MustQuery(t, admin, `{ plans { id price } transactions(first: 5) { edges { node { id amount status } } } }`)
			if got := fmt.Sprint(st.Get(d, "plans")); got != "[map[id:p-free price:0.00] map[id:p-pro price:990.50]]" {
				t.Errorf("plans = %s", got)
			}
			if got := fmt.Sprint(st.Get(d, "transactions.edges")); got != "[map[node:map[amount:990.50 id:t-1 status:SUCCEEDED]]]" {
				t.Errorf("transactions = %s", got)
			}
		})

		t.Run("usage of the current period counts against the quota", func(t *testing.T) {
			d := s.MustQuery(t, alice, `{ myUsage { periodStart metrics { metric used limit } } }`)
			if st.Get(d, "myUsage.periodStart") != "2025-12-01T00:00:00Z" {
				t.Errorf("period = %v", d)
			}
			var tokens any
			for _, m := range st.Get(d, "myUsage.metrics").([]any) {
				if st.Get(m, "metric") == "TOKENS_INPUT" {
					tokens = m
				}
			}
			if st.Get(tokens, "used") != float64(120) || st.Get(tokens, "limit") != float64(1000000) {
				t.Errorf("tokens input = %v, want 120 of 1000000 used", tokens)
			}
		})

		t.Run("configuration and sign-in providers", func(t *testing.T) {
			d := s.MustQuery(t, admin, `{ config { auth { enableSignup defaultUserRole } models { defaultModels }
				oauth { providers { id name issuerUrl clientId clientSecretSet enableSignup } } } }`)
			if got := fmt.Sprint(st.Get(d, "config.auth"), st.Get(d, "config.models")); got != "map[defaultUserRole:USER enableSignup:false] map[defaultModels:[m-public]]" {
				t.Errorf("auth and models = %s", got)
			}
			// Alice's Google subject links to the provider of the same id (oidc:google).
			want := "[map[clientId:steward-test clientSecretSet:true enableSignup:true id:oidc issuerUrl:https://sso.example.com name:Company SSO] " +
				"map[clientId:gid clientSecretSet:true enableSignup:true id:google issuerUrl:https://accounts.google.com name:Google]]"
			if got := fmt.Sprint(st.Get(d, "config.oauth.providers")); got != want {
				t.Errorf("providers = %s", got)
			}
		})

		t.Run("the Open WebUI API key authenticates", func(t *testing.T) {
			if got := st.Get(s.MustQuery(t, owuitest.AliceKey, `{ me { id } }`), "me.id"); got != "u-alice" {
				t.Errorf("the API key is %v's", got)
			}
		})

		t.Run("the billing audit entries join the chain as imported entries", func(t *testing.T) {
			d := s.MustQuery(t, admin, `{ auditLogs(where: {action: IMPORTED_AUDIT_ENTRY}) { totalCount edges { node { entityID description changes actor { id } } } }
				verifyAuditChain { intact checked } }`)
			if st.Get(d, "auditLogs.totalCount") != float64(2) || st.Get(d, "verifyAuditChain.intact") != true {
				t.Fatalf("imported audit entries: %v", d)
			}
			var found bool
			for _, e := range st.Get(d, "auditLogs.edges").([]any) {
				n := st.Get(e, "node")
				if st.Get(n, "entityID") == "a-2" {
					found = true
					if !strings.Contains(fmt.Sprint(st.Get(n, "description")), "repriced Pro") ||
						st.Get(n, "changes.action.new") != "plan_updated" || st.Get(n, "changes.actor.new") != "u-admin" ||
						st.Get(n, "changes.at.new") != "2024-11-30T20:55:00Z" { // 1733000100
						t.Errorf("imported entry a-2: %v", n)
					}
				}
			}
			if !found {
				t.Errorf("entry a-2 was not imported: %v", d)
			}
		})

		t.Run("a second import changes nothing", func(t *testing.T) {
			before, audits := rowCounts(t, s), auditCount(t, s)
			again := mustImport(t, s, from, false)
			if again.Changed() {
				t.Errorf("the second import changed %s", counts(again))
			}
			// Only the second import's own audit summary is new.
			if after := rowCounts(t, s); after != before || auditCount(t, s) != audits+1 {
				t.Errorf("rows %s and %d audit entries after the second import, %s and %d before", after, auditCount(t, s), before, audits)
			}
			signinAs(t, s, owuitest.AliceEmail, owuitest.AlicePassword) // her steward password still works
		})

		t.Run("audited once per import with the actor console", func(t *testing.T) {
			n, err := s.App.DB.Client.AuditLog.Query().Where(auditlog.Action("DATA_IMPORTED"), auditlog.ActorID("console")).
				Count(authz.AsOperator(context.Background()))
			if err != nil || n != 2 {
				t.Errorf("%d DATA_IMPORTED entries by the console (%v), want one per import", n, err)
			}
		})
	})
}

// TestImportOlderLayout imports group members from group.user_ids and the key from user.api_key,
// and reports an email that a steward account already holds as a conflict.
func TestImportOlderLayout(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b, st.WithEnv(map[string]string{
			"STEWARD_ACCEPT_OPENWEBUI_TOKENS": "2099-01-01", "OPENWEBUI_SECRET_KEY": openWebUISecret}))
		owner := s.Signup(t, "Bob") // bob@example.com, under steward's own id
		from := owuitest.New(t, dbtest.SQLite, owuitest.Older)
		rep := mustImport(t, s, from, false)

		var conflicts []string
		for _, sk := range rep.Skipped {
			if sk.Conflict {
				conflicts = append(conflicts, sk.Table+" "+sk.ID)
			}
		}
		if fmt.Sprint(conflicts) != "[users u-bob]" {
			t.Errorf("conflicts = %v, want bob's email", conflicts)
		}
		alice := signinAs(t, s, owuitest.AliceEmail, owuitest.AlicePassword)
		if got := fmt.Sprint(st.Get(s.MustQuery(t, alice, `{ myGroups { id } }`), "myGroups")); got != "[map[id:g-eng]]" {
			t.Errorf("alice's groups from user_ids = %s", got)
		}
		if got := st.Get(s.MustQuery(t, owuitest.AliceKey, `{ me { id } }`), "me.id"); got != "u-alice" {
			t.Errorf("the user.api_key key is %v's", got)
		}
		if got := st.Get(s.MustQuery(t, owner.Token, `{ me { id } }`), "me.id"); got != owner.ID {
			t.Errorf("the steward account holding bob's email became %v", got)
		}
		// Open WebUI's own tokens keep working for the imported accounts (internal/sessions reads
		// the openwebui identity); Bob was not imported, so his is refused.
		for _, c := range []struct {
			id, want string
		}{{"u-alice", "u-alice"}, {"u-bob", "UNAUTHENTICATED"}} {
			tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"id": c.id}).SignedString([]byte(openWebUISecret))
			if err != nil {
				t.Fatal(err)
			}
			r := s.Query(t, tok, `{ me { id } }`)
			got := r.Code()
			if got == "" {
				got = fmt.Sprint(st.Get(r.Data, "me.id"))
			}
			if got != c.want {
				t.Errorf("an Open WebUI token of %s: %s, want %s", c.id, r.Raw, c.want)
			}
		}
		ctx := authz.AsOperator(context.Background())
		ids, err := s.App.DB.Client.Identity.Query().All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var links []string
		for _, i := range ids {
			links = append(links, i.UserID+" "+i.Provider+" "+i.Subject)
		}
		sort.Strings(links)
		if got := strings.Join(links, ", "); got != "u-admin openwebui u-admin, u-alice oidc:google g-123, u-alice openwebui u-alice" {
			t.Errorf("identities = %s", got)
		}

		// Alice signs out with her Open WebUI token, which ends all of them; importing again
		// does not bring them back.
		aliceTok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"id": "u-alice"}).SignedString([]byte(openWebUISecret))
		if err != nil {
			t.Fatal(err)
		}
		s.MustQuery(t, aliceTok, `mutation { signout }`)
		again := mustImport(t, s, from, false)
		if r := s.Query(t, aliceTok, `{ me { id } }`); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("an ended Open WebUI token works again after a second import: %s", r.Raw)
		}
		revived := true
		for _, sk := range again.Skipped {
			if sk.Table == "identities" && sk.ID == "u-alice" {
				revived = false
			}
		}
		if revived {
			t.Errorf("the second import's report does not say Alice's ended link was kept ended: %+v", again.Skipped)
		}
	})
}

// TestImportFailureChangesNothing injects a row steward refuses (a model name longer than it
// keeps) after rows that import fine: the import fails and the database is as it was.
func TestImportFailureChangesNothing(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		before, audits := rowCounts(t, s), auditCount(t, s)
		from := owuitest.New(t, dbtest.SQLite, owuitest.Newer,
			`INSERT INTO "model" (id, name, created_at, access_control, is_active) VALUES ('m-bad', '`+strings.Repeat("x", 300)+`', 1733060000, NULL, TRUE)`)
		if _, err := importInto(t, s, from, false); err == nil || !strings.Contains(err.Error(), "model m-bad") {
			t.Fatalf("import with a bad row: %v, want an error naming the row", err)
		}
		if got := rowCounts(t, s); got != before || auditCount(t, s) != audits {
			t.Errorf("after the failed import the database holds %s and %d audit entries, want %s and %d", got, auditCount(t, s), before, audits)
		}
		if r := s.Query(t, "", signin, "e", owuitest.AdminEmail, "p", owuitest.AdminPassword); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("an account of the failed import signs in: %s", r.Raw)
		}
	})
}

// TestImportFromPostgres reads the same fixture from a PostgreSQL Open WebUI database.
func TestImportFromPostgres(t *testing.T) {
	if !slices.Contains(dbtest.Backends(), dbtest.Postgres) {
		t.Skip(dbtest.PostgresEnv + " not set: no PostgreSQL source")
	}
	s := st.New(t, dbtest.SQLite)
	fromPG := mustImport(t, s, owuitest.New(t, dbtest.Postgres, owuitest.Newer), false)
	fromSQLite := mustImport(t, st.New(t, dbtest.SQLite), owuitest.New(t, dbtest.SQLite, owuitest.Newer), false)
	if counts(fromPG) != counts(fromSQLite) {
		t.Errorf("from PostgreSQL: %s; from SQLite: %s", counts(fromPG), counts(fromSQLite))
	}
	alice := signinAs(t, s, owuitest.AliceEmail, owuitest.AlicePassword)
	d := s.MustQuery(t, alice, `{ mySubscription { plan { price } } }`)
	if got := st.Get(d, "mySubscription.plan.price"); got != "990.50" {
		t.Errorf("the plan price read from PostgreSQL's numeric = %v", got)
	}
}

// newestLayout turns the newer fixture into the newest Open WebUI layout: access control in the
// access_grant table (f1e2d3c4b5a6_add_access_grant_table, which drops model.access_control)
// and the configuration as per-key rows (3ff2c63645b8_reshape_config_to_per_key_rows).
var newestLayout = []string{
	`CREATE TABLE "access_grant" (id TEXT NOT NULL PRIMARY KEY, resource_type TEXT NOT NULL, resource_id TEXT NOT NULL,
	   principal_type TEXT NOT NULL, principal_id TEXT NOT NULL, permission TEXT NOT NULL, created_at BIGINT NOT NULL,
	   CONSTRAINT uq_access_grant_grant UNIQUE (resource_type, resource_id, principal_type, principal_id, permission))`,
	`INSERT INTO "access_grant" VALUES ('ag-1', 'model', 'm-public', 'user', '*', 'read', 1733050000),
	   ('ag-2', 'model', 'm-secret', 'group', 'g-eng', 'read', 1733050000),
	   ('ag-3', 'knowledge', 'k-1', 'user', '*', 'read', 1733050000)`,
	`INSERT INTO "model" (id, user_id, name, created_at, is_active) VALUES ('m-private', 'u-admin', 'Admin only', 1733050000, TRUE)`,
	`ALTER TABLE "model" DROP COLUMN access_control`,
	`DROP TABLE "config"`,
	`CREATE TABLE "config" (key TEXT NOT NULL PRIMARY KEY, value JSON NOT NULL, updated_at BIGINT)`,
	`INSERT INTO "config" VALUES ('ui.default_models', '"m-secret"', 1733050000), ('auth.enable_api_keys', 'true', 1733050000),
	   ('user.permissions', '{"workspace": {"models": false}}', 1733050000), ('rag.top_k', '3', 1733050000)`,
}

// TestImportNewestLayout reads model access control from access_grant rows (a model without any
// grant is private) and the configuration from per-key rows.
func TestImportNewestLayout(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		rep := mustImport(t, s, owuitest.New(t, b, owuitest.Newer, newestLayout...), false)
		if !slices.Contains(rep.Layout, "model access control: access_grant table") || !slices.Contains(rep.Layout, "configuration: per-key config rows") {
			t.Errorf("layout = %v", rep.Layout)
		}
		alice := signinAs(t, s, owuitest.AliceEmail, owuitest.AlicePassword)
		bob := signinAs(t, s, owuitest.BobEmail, owuitest.BobPassword)
		admin := signinAs(t, s, owuitest.AdminEmail, owuitest.AdminPassword)
		for _, c := range []struct {
			who, token, want string
		}{
			{"alice", alice, "[m-public m-secret]"}, {"bob", bob, "[m-public]"},
			{"the owner of the model without grants", admin, "[m-private m-public m-secret]"},
		} {
			if got := fmt.Sprint(modelIDs(t, s, c.token)); got != c.want {
				t.Errorf("%s reads %s, want %s", c.who, got, c.want)
			}
		}
		d := s.MustQuery(t, admin, `{ config { models { defaultModels } } u: explainPermission(userId: "u-bob", key: "workspace.models") { granted } }`)
		if fmt.Sprint(st.Get(d, "config.models.defaultModels")) != "[m-secret]" || st.Get(d, "u.granted") != false {
			t.Errorf("configuration from per-key rows: %v", d)
		}
		if got := st.Get(s.MustQuery(t, owuitest.AliceKey, `{ me { id } }`), "me.id"); got != "u-alice" {
			t.Errorf("with API keys enabled per key, the key is %v's", got)
		}
	})
}

// TestImportPausedSubscription: a subscription paused in Open WebUI, which keeps no pause history,
// is imported as paused since it started: PAUSED, not in MRR at any instant, not active; a second
// import that finds it active again clears the mark.
func TestImportPausedSubscription(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		mustImport(t, s, owuitest.New(t, dbtest.SQLite, owuitest.Newer, `UPDATE "billing_subscription" SET status = 'paused' WHERE id = 's-alice'`), false)
		admin := signinAs(t, s, owuitest.AdminEmail, owuitest.AdminPassword)
		alice := signinAs(t, s, owuitest.AliceEmail, owuitest.AlicePassword)
		if got := st.Get(s.MustQuery(t, alice, `{ mySubscription { status } }`), "mySubscription.status"); got != "PAUSED" {
			t.Fatalf("alice's subscription = %v, want PAUSED", got)
		}
		overview := `{ billingOverview(from: "2025-12-01T00:00:00Z", to: "2025-12-15T00:00:00Z") { mrr { amount currency } activeAtEnd } }`
		// Without the pause Alice's 990.50 would count (see TestImportNewerLayout).
		if got := toJSON(t, st.Get(s.MustQuery(t, admin, overview), "billingOverview")); got != `{"activeAtEnd":0,"mrr":[]}` {
			t.Errorf("overview with the paused subscription = %s, want no MRR and nobody active", got)
		}
		mustImport(t, s, owuitest.New(t, dbtest.SQLite, owuitest.Newer), false)
		if got := toJSON(t, st.Get(s.MustQuery(t, admin, overview), "billingOverview")); got != `{"activeAtEnd":1,"mrr":[{"amount":"990.50","currency":"RUB"}]}` {
			t.Errorf("overview once the source says active again = %s, want Alice's 990.50 and one active", got)
		}
	})
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
