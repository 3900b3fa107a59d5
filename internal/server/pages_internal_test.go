package server

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

// leanRun returns the statements of the cheapest of three runs of q (after a warm-up, so that the
// credential is cached), their text and the data of that run.
func leanRun(post func(token, query string) map[string]any, n *atomic.Int64, log *statementLog, token, q string) (int64, []string, map[string]any) {
	post(token, q)
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

func countsRows(texts []string) bool {
	for _, s := range texts {
		if strings.Contains(strings.ToUpper(s), "COUNT(") {
			return true
		}
	}
	return false
}

// pageIDs are the ids of a connection's nodes (under key when set), its totalCount, hasNextPage
// and endCursor.
func pageIDs(t *testing.T, conn map[string]any, key string) (ids []string, total any, more bool, end string) {
	t.Helper()
	for _, e := range conn["edges"].([]any) {
		node := e.(map[string]any)["node"].(map[string]any)
		if key != "" {
			node = node[key].(map[string]any)
		}
		ids = append(ids, node["id"].(string))
	}
	pi := conn["pageInfo"].(map[string]any)
	end, _ = pi["endCursor"].(string)
	return ids, conn["totalCount"], pi["hasNextPage"].(bool), end
}

// TestGroupMembersPageLean: the bench's group members page costs three statements with the
// credential cached (the group, the count, the page), whatever the group's size; it lists the
// newest accounts first, ties by id, whenever they joined; the count reads the memberships alone.
func TestGroupMembersPageLean(t *testing.T) {
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
			// 90 accounts a minute apart, two of them created at the same instant (ties go by id);
			// every second one is in team.
			base := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
			creates := make([]*ent.UserCreate, 90)
			for i := range creates {
				at := base.Add(time.Duration(i) * time.Minute)
				if i == 88 {
					at = base.Add(86 * time.Minute)
				}
				creates[i] = c.User.Create().SetName(fmt.Sprintf("m%02d", i)).SetEmail(fmt.Sprintf("m%02d@example.com", i)).
					SetRole(user.RoleUSER).SetCreatedAt(at).SetUpdatedAt(at)
			}
			users, err := c.User.CreateBulk(creates...).Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			var members []*ent.User
			var ids []string
			for i, u := range users {
				if i%2 == 0 {
					members = append(members, u)
					ids = append(ids, fmt.Sprintf("%q", u.ID))
				}
				if err := c.Membership.Create().SetUserID(u.ID).SetGroupID(other.ID).Exec(sys); err != nil {
					t.Fatal(err)
				}
			}
			// Joined oldest account last, through the API: the order is the accounts', not the joins'.
			for k := len(ids) - 1; k >= 0; k -= 15 {
				lo := max(0, k-14)
				post(token, fmt.Sprintf(`mutation { addGroupMembers(groupId: %q, userIds: [%s]) { changed } }`, team.ID, strings.Join(ids[lo:k+1], ",")))
			}
			sort.Slice(members, func(i, j int) bool {
				if !members[i].CreatedAt.Equal(members[j].CreatedAt) {
					return members[i].CreatedAt.After(members[j].CreatedAt)
				}
				return members[i].ID < members[j].ID
			})
			want := make([]string, len(members))
			for i, u := range members {
				want[i] = u.ID
			}

			q := `{ group(id: %q) { id name members(first: %d%s) { totalCount edges { node { id name email role lastActiveAt createdAt } } pageInfo { hasNextPage endCursor } } } }`
			got, texts, d := leanRun(post, n, log, token, fmt.Sprintf(q, team.ID, 40, ""))
			conn := d["group"].(map[string]any)["members"].(map[string]any)
			page1, total, more, end := pageIDs(t, conn, "")
			if total != float64(45) || !more || fmt.Sprint(page1) != fmt.Sprint(want[:40]) {
				t.Fatalf("first page: totalCount %v, hasNextPage %v, ids %v; want 45, true, %v", total, more, page1, want[:40])
			}
			first := conn["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)
			if first["email"] != members[0].Email || first["createdAt"] != members[0].CreatedAt.Format(time.RFC3339) {
				t.Fatalf("newest member = %v, want %s created %s", first, members[0].Email, members[0].CreatedAt.Format(time.RFC3339))
			}
			t.Logf("group members page: %d statements: %q", got, texts)
			if got > 3 {
				t.Fatalf("the members page cost %d statements, want at most 3 (group, count, page): %q", got, texts)
			}
			for _, s := range texts {
				plain := strings.NewReplacer("`", "", `"`, "").Replace(s)
				if strings.Contains(strings.ToUpper(plain), "COUNT(") && strings.Contains(plain, "users.id IN") {
					t.Errorf("the count joins the users again: %s", s)
				}
			}

			_, _, d = leanRun(post, n, log, token, fmt.Sprintf(q, team.ID, 40, fmt.Sprintf(", after: %q", end)))
			page2, total, more, _ := pageIDs(t, d["group"].(map[string]any)["members"].(map[string]any), "")
			if total != float64(45) || more || fmt.Sprint(page2) != fmt.Sprint(want[40:]) {
				t.Fatalf("second page: totalCount %v, hasNextPage %v, ids %v; want 45, false, %v", total, more, page2, want[40:])
			}

			// Filters and other orders still read the same members.
			_, _, d = leanRun(post, n, log, token, fmt.Sprintf(`{ group(id: %q) { members(first: 3, orderBy: [{field: NAME, direction: ASC}], where: {nameGTE: "m10"}) { totalCount edges { node { name } } } } }`, team.ID))
			conn = d["group"].(map[string]any)["members"].(map[string]any)
			var names []string
			for _, e := range conn["edges"].([]any) {
				names = append(names, e.(map[string]any)["node"].(map[string]any)["name"].(string))
			}
			if conn["totalCount"] != float64(40) || fmt.Sprint(names) != "[m10 m12 m14]" {
				t.Fatalf("members by name from m10: totalCount %v, names %v; want 40, [m10 m12 m14]", conn["totalCount"], names)
			}

			// Without totalCount nothing is counted.
			_, texts, _ = leanRun(post, n, log, token, fmt.Sprintf(`{ group(id: %q) { members(first: 5) { edges { node { id } } pageInfo { hasNextPage } } } }`, team.ID))
			if countsRows(texts) {
				t.Fatalf("members without totalCount counted: %q", texts)
			}
		})
	}
}

// TestPlanSubscribersPageLean: the bench's plan subscribers page costs at most three statements
// with the credential cached (the plan, the page with its total, the users), reads no usage when
// none is asked, counts only for totalCount, and pages newest first.
func TestPlanSubscribersPageLean(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token, log := loggingServer(t, b)
			sys := authz.AsOperator(context.Background())
			c := database.Client
			base := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second)
			creates := make([]*ent.UserCreate, 70)
			for i := range creates {
				creates[i] = c.User.Create().SetName(fmt.Sprintf("s%02d", i)).SetEmail(fmt.Sprintf("s%02d@example.com", i)).SetRole(user.RoleUSER)
			}
			users, err := c.User.CreateBulk(creates...).Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"gold", "silver"} {
				if err := c.Plan.Create().SetID(id).SetName(id).SetPriceMinor(1000).SetCurrency("USD").
					SetQuotas(map[string]int64{"REQUESTS": 100}).Exec(sys); err != nil {
					t.Fatal(err)
				}
			}
			var subs []*ent.PlanSubscriptionCreate
			for i, u := range users {
				at := base.Add(time.Duration(i) * time.Minute)
				if i == 58 {
					at = base.Add(56 * time.Minute) // a tie, ordered by id
				}
				plan := "gold"
				if i%7 == 6 {
					plan = "silver"
				}
				subs = append(subs, c.PlanSubscription.Create().SetUserID(u.ID).SetPlanID(plan).SetPriceMinor(1000).SetCurrency("USD").
					SetStatus("ACTIVE").SetPeriodAnchor(at).SetCurrentPeriodStart(at).SetCurrentPeriodEnd(at.AddDate(0, 1, 0)).
					SetCreatedAt(at).SetUpdatedAt(at))
			}
			created, err := c.PlanSubscription.CreateBulk(subs...).Save(sys)
			if err != nil {
				t.Fatal(err)
			}
			// A deleted account keeps its subscription, without a user.
			if err := c.User.DeleteOneID(users[60].ID).Exec(sys); err != nil {
				t.Fatal(err)
			}
			var gold []*ent.PlanSubscription
			for _, s := range created {
				if s.PlanID == "gold" {
					gold = append(gold, s)
				}
			}
			sort.Slice(gold, func(i, j int) bool {
				if !gold[i].CreatedAt.Equal(gold[j].CreatedAt) {
					return gold[i].CreatedAt.After(gold[j].CreatedAt)
				}
				return gold[i].ID > gold[j].ID
			})
			want := make([]string, len(gold))
			names := map[string]string{}
			for i, s := range gold {
				want[i] = s.ID
			}
			for _, u := range users {
				names[u.ID] = u.Name
			}

			q := `{ plan(id: "gold") { id name subscribers(first: %d%s) { totalCount edges { node { subscription { id status currentPeriodEnd createdAt } user { id name email } } } pageInfo { hasNextPage endCursor } } } }`
			got, texts, d := leanRun(post, n, log, token, fmt.Sprintf(q, 50, ""))
			conn := d["plan"].(map[string]any)["subscribers"].(map[string]any)
			page1, total, more, end := pageIDs(t, conn, "subscription")
			if total != float64(len(gold)) || !more || fmt.Sprint(page1) != fmt.Sprint(want[:50]) {
				t.Fatalf("first page: totalCount %v, hasNextPage %v, ids %v; want %d, true, %v", total, more, page1, len(gold), want[:50])
			}
			for i, e := range conn["edges"].([]any) {
				node := e.(map[string]any)["node"].(map[string]any)
				u, _ := node["user"].(map[string]any)
				wantName := ""
				if gold[i].UserID != users[60].ID {
					wantName = names[gold[i].UserID]
				}
				if (u == nil) != (wantName == "") || (u != nil && (u["name"] != wantName || u["id"] != gold[i].UserID)) {
					t.Fatalf("subscriber %d: user %v, want %q (%s)", i, u, wantName, gold[i].UserID)
				}
			}
			t.Logf("plan subscribers page: %d statements: %q", got, texts)
			if got > 3 {
				t.Fatalf("the subscribers page cost %d statements, want at most 3 (plan, page with its total, users): %q", got, texts)
			}
			for _, s := range texts {
				if strings.Contains(s, "usage_counters") {
					t.Errorf("the page reads usage nobody asked for: %s", s)
				}
				// The subscriptions' columns are those selected and those the page reads itself
				// (id, created_at for the cursor, user_id for the users).
				if strings.HasPrefix(s, "SELECT") && strings.Contains(s, "plan_subscriptions") && strings.Contains(s, "LIMIT") &&
					(strings.Contains(s, "price_minor") || strings.Contains(s, "trial_end") || !strings.Contains(s, "current_period_end") || !strings.Contains(s, "user_id")) {
					t.Errorf("the page reads subscription columns nobody asked for, or misses one: %s", s)
				}
			}
			for i, e := range conn["edges"].([]any) {
				sub := e.(map[string]any)["node"].(map[string]any)["subscription"].(map[string]any)
				if sub["status"] != "ACTIVE" || sub["currentPeriodEnd"] != gold[i].CurrentPeriodEnd.Format(time.RFC3339) {
					t.Fatalf("subscription %d = %v, want ACTIVE until %s", i, sub, gold[i].CurrentPeriodEnd.Format(time.RFC3339))
				}
			}
			// A field read by a resolver (price: currency and amount), and a usage summary, which
			// carries its subscription: both answered as from a whole row.
			_, _, d = leanRun(post, n, log, token, `{ plan(id: "gold") { subscribers(first: 1) { edges { node { subscription { price { currency amount } } usage { subscription { id status } periodStart } } } } } }`)
			node := d["plan"].(map[string]any)["subscribers"].(map[string]any)["edges"].([]any)[0].(map[string]any)["node"].(map[string]any)
			price := node["subscription"].(map[string]any)["price"].(map[string]any)
			usage := node["usage"].(map[string]any)
			if price["currency"] != "USD" || price["amount"] != "10.00" ||
				usage["subscription"].(map[string]any)["id"] != gold[0].ID || usage["periodStart"] == nil {
				t.Fatalf("price and usage of the newest subscriber: %v", node)
			}

			_, _, d = leanRun(post, n, log, token, fmt.Sprintf(q, 50, fmt.Sprintf(", after: %q", end)))
			page2, total, more, _ := pageIDs(t, d["plan"].(map[string]any)["subscribers"].(map[string]any), "subscription")
			if total != float64(len(gold)) || more || fmt.Sprint(page2) != fmt.Sprint(want[50:]) {
				t.Fatalf("second page: totalCount %v, hasNextPage %v, ids %v; want %d, false, %v", total, more, page2, len(gold), want[50:])
			}
			_, texts, d = leanRun(post, n, log, token, `{ plan(id: "gold") { subscribers(first: 5) { edges { node { subscription { id } } } pageInfo { hasNextPage } } } }`)
			if countsRows(texts) || d["plan"].(map[string]any)["subscribers"].(map[string]any)["pageInfo"].(map[string]any)["hasNextPage"] != true {
				t.Fatalf("subscribers without totalCount: %v, statements %q; want hasNextPage without a count", d, texts)
			}
			// Past the end: no row carries the total, which is counted on its own.
			last := `{ plan(id: "gold") { subscribers(first: 100) { totalCount edges { node { subscription { id } } } pageInfo { endCursor } } } }`
			_, _, d = leanRun(post, n, log, token, last)
			endAll := d["plan"].(map[string]any)["subscribers"].(map[string]any)["pageInfo"].(map[string]any)["endCursor"].(string)
			_, _, d = leanRun(post, n, log, token, fmt.Sprintf(`{ plan(id: "gold") { subscribers(first: 5, after: %q) { totalCount edges { node { subscription { id } } } } } }`, endAll))
			if conn := d["plan"].(map[string]any)["subscribers"].(map[string]any); conn["totalCount"] != float64(len(gold)) || len(conn["edges"].([]any)) != 0 {
				t.Fatalf("past the end: %v, want no edges and totalCount %d", conn, len(gold))
			}
		})
	}
}

// TestAuditPageLean: the bench's audit page costs two statements with the credential cached (the
// page, the actors), with no loader wait; a deleted actor is null.
func TestAuditPageLean(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			post, n, database, token, log := loggingServer(t, b)
			sys := authz.AsOperator(context.Background())
			// A second admin makes changes too, then is deleted: its entries keep an actorID, no actor.
			d := post(token, `mutation { createUser(input: {name: "Bea", email: "bea@example.com", password: "long enough pw", role: ADMIN}) { id } }`)
			bea := d["createUser"].(map[string]any)["id"].(string)
			d = post("", `mutation { signin(input: {email: "bea@example.com", password: "long enough pw"}) { token } }`)
			beaToken := d["signin"].(map[string]any)["token"].(string)
			for i := range 30 {
				tok := token
				if i%3 == 0 {
					tok = beaToken
				}
				post(tok, fmt.Sprintf(`mutation { createUser(input: {name: "a%02d", email: "a%02d@example.com", password: "long enough pw"}) { id } }`, i, i))
			}
			if err := database.Client.User.DeleteOneID(bea).Exec(sys); err != nil {
				t.Fatal(err)
			}
			q := `{ auditLogs(first: 20) { edges { node { id seq action actorID entityType entityID description changes ip createdAt actor { id name } } } pageInfo { hasNextPage endCursor } } }`
			got, texts, d := leanRun(post, n, log, token, q)
			page := d["auditLogs"].(map[string]any)
			edges := page["edges"].([]any)
			if len(edges) != 20 || page["pageInfo"].(map[string]any)["hasNextPage"] != true {
				t.Fatalf("audit page = %v", page)
			}
			var ada, none int
			for _, e := range edges {
				node := e.(map[string]any)["node"].(map[string]any)
				actor, _ := node["actor"].(map[string]any)
				switch {
				case node["actorID"] == bea && actor == nil:
					none++
				case node["actorID"] != bea && actor != nil && actor["name"] == "Ada" && actor["id"] == node["actorID"]:
					ada++
				default:
					t.Fatalf("entry %v: actor %v", node["seq"], actor)
				}
			}
			if ada == 0 || none == 0 {
				t.Fatalf("entries by Ada %d, by the deleted admin %d; want both", ada, none)
			}
			t.Logf("audit page: %d statements: %q", got, texts)
			if got > 2 || countsRows(texts) {
				t.Fatalf("the audit page cost %d statements, want at most 2 (page, actors) and no count: %q", got, texts)
			}
		})
	}
}
