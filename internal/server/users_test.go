package server_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/apikey"
	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/ent/session"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const (
	updateUserMutation = `mutation($id: ID!, $in: UpdateUserInput!) { updateUser(id: $id, input: $in) { id name email role } }`
	deleteUserMutation = `mutation($id: ID!) { deleteUser(id: $id) }`
	createUserMutation = `mutation($in: CreateUserInput!) { createUser(input: $in) { id name email role groups { id } } }`
)

// auditActions returns the actions recorded for entityID, oldest first.
func auditActions(t *testing.T, s *st.Server, entityID string) []string {
	t.Helper()
	rows, err := s.App.DB.Client.AuditLog.Query().Where(auditlog.EntityID(entityID)).
		Order(auditlog.BySeq()).All(authz.AsOperator(context.Background()))
	if err != nil {
		t.Fatalf("reading audit log: %v", err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Action
	}
	return out
}

func TestAdminSafeguards(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		primary := s.Signup(t, "Ada")
		second := s.Signup(t, "Bea")
		s.SetRole(t, second.ID, "ADMIN")
		carl := s.Signup(t, "Carl")
		s.SetRole(t, carl.ID, "USER")

		cases := []struct {
			name, token, query string
			vars               []any
			code               string
		}{
			{"another admin cannot rename the primary admin", second.Token, updateUserMutation,
				[]any{"id", primary.ID, "in", map[string]any{"name": "Eve"}}, "FORBIDDEN"},
			{"another admin cannot demote the primary admin", second.Token, updateUserMutation,
				[]any{"id", primary.ID, "in", map[string]any{"role": "USER"}}, "FORBIDDEN"},
			{"the primary admin cannot demote itself", primary.Token, updateUserMutation,
				[]any{"id", primary.ID, "in", map[string]any{"role": "PENDING"}}, "FORBIDDEN"},
			{"another admin cannot delete the primary admin", second.Token, deleteUserMutation,
				[]any{"id", primary.ID}, "FORBIDDEN"},
			{"nobody deletes themselves", second.Token, deleteUserMutation,
				[]any{"id", second.ID}, "FORBIDDEN"},
			{"invalid role", primary.Token, updateUserMutation,
				[]any{"id", carl.ID, "in", map[string]any{"role": "SUPERUSER"}}, "BAD_USER_INPUT"},
			{"email taken by another account", primary.Token, updateUserMutation,
				[]any{"id", carl.ID, "in", map[string]any{"email": "BEA@example.com"}}, "CONFLICT"},
			{"bad email", primary.Token, updateUserMutation,
				[]any{"id", carl.ID, "in", map[string]any{"email": "nope"}}, "BAD_USER_INPUT"},
			{"short password", primary.Token, updateUserMutation,
				[]any{"id", carl.ID, "in", map[string]any{"password": "x"}}, "BAD_USER_INPUT"},
			{"unknown user", primary.Token, updateUserMutation,
				[]any{"id", "no-such-id", "in", map[string]any{"name": "X"}}, "NOT_FOUND"},
			{"a user is not an admin", carl.Token, updateUserMutation,
				[]any{"id", carl.ID, "in", map[string]any{"role": "ADMIN"}}, "FORBIDDEN"},
			{"anonymous", "", deleteUserMutation, []any{"id", carl.ID}, "UNAUTHENTICATED"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := s.Query(t, c.token, c.query, c.vars...)
				wantCode(t, r, c.code)
				if r.Errors[0].Message == "" {
					t.Fatalf("error without a message: %s", r.Raw)
				}
			})
		}

		// Nothing above changed anything.
		d := s.MustQuery(t, primary.Token, `query($id: ID!) { user(id: $id) { name role } }`, "id", primary.ID)
		if st.Get(d, "user.role") != "ADMIN" || st.Get(d, "user.name") != "Ada" {
			t.Fatalf("primary admin after refused changes: %v", d)
		}
		if got := auditActions(t, s, carl.ID); len(got) != 0 {
			t.Fatalf("audit entries for refused changes: %v", got)
		}

		t.Run("the primary admin changes itself", func(t *testing.T) {
			d := s.MustQuery(t, primary.Token, updateUserMutation, "id", primary.ID, "in", map[string]any{"name": "Ada L."})
			if st.Get(d, "updateUser.name") != "Ada L." {
				t.Fatalf("rename = %v", d)
			}
		})
		t.Run("an admin demotes another admin, then the last admin stays", func(t *testing.T) {
			d := s.MustQuery(t, primary.Token, updateUserMutation, "id", second.ID, "in", map[string]any{"role": "USER"})
			if st.Get(d, "updateUser.role") != "USER" {
				t.Fatalf("demotion = %v", d)
			}
			if got := auditActions(t, s, second.ID); fmt.Sprint(got) != "[USER_ROLE_CHANGED]" {
				t.Fatalf("audit = %v, want [USER_ROLE_CHANGED]", got)
			}
			// Ada is now the only admin: she can neither demote nor delete herself.
			wantCode(t, s.Query(t, primary.Token, updateUserMutation, "id", primary.ID, "in", map[string]any{"role": "USER"}), "FORBIDDEN")
			wantCode(t, s.Query(t, primary.Token, deleteUserMutation, "id", primary.ID), "FORBIDDEN")
		})
	})
}

func TestAdminUpdateUserAuditAndPassword(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")

		d := s.MustQuery(t, admin.Token, updateUserMutation, "id", bob.ID, "in", map[string]any{
			"name": "Robert", "email": "Robert@Example.com", "role": "USER", "password": "a brand new password",
		})
		if st.Get(d, "updateUser.email") != "robert@example.com" || st.Get(d, "updateUser.name") != "Robert" {
			t.Fatalf("update = %v", d)
		}
		// The password change revoked Bob's sessions: his old token no longer works.
		wantCode(t, s.Query(t, bob.Token, meQuery), "UNAUTHENTICATED")
		signin := `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`
		wantCode(t, s.Query(t, "", signin, "e", "robert@example.com", "p", bob.Password), "UNAUTHENTICATED")
		s.MustQuery(t, "", signin, "e", "robert@example.com", "p", "a brand new password")

		rows, err := s.App.DB.Client.AuditLog.Query().Where(auditlog.EntityID(bob.ID)).All(authz.AsOperator(context.Background()))
		if err != nil || len(rows) != 1 {
			t.Fatalf("audit rows = %d (%v), want 1 USER_UPDATED (role unchanged)", len(rows), err)
		}
		e := rows[0]
		if e.Action != "USER_UPDATED" {
			t.Fatalf("action = %s", e.Action)
		}
		for _, k := range []string{"name", "email", "password"} {
			if _, ok := e.Changes[k]; !ok {
				t.Errorf("changes lack %q: %v", k, e.Changes)
			}
		}
		if pw := fmt.Sprint(e.Changes["password"]); pw != "map[new:[changed] old:[redacted]]" {
			t.Errorf("password change recorded as %s, want redacted", pw)
		}
		if _, ok := e.Changes["role"]; ok {
			t.Errorf("unchanged role recorded: %v", e.Changes)
		}

		// An admin changing their own password keeps the session they did it from.
		other := st.Get(s.MustQuery(t, "", signin, "e", admin.Email, "p", admin.Password), "signin.token").(string)
		s.MustQuery(t, admin.Token, updateUserMutation, "id", admin.ID, "in", map[string]any{"password": "the admin's new password"})
		s.MustQuery(t, admin.Token, meQuery)
		wantCode(t, s.Query(t, other, meQuery), "UNAUTHENTICATED")
	})
}

func TestCreateAndDeleteUsers(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		ctx := authz.AsOperator(context.Background())

		d := s.MustQuery(t, admin.Token, createUserMutation, "in", map[string]any{
			"name": "Cy", "email": "cy@example.com", "password": "long enough pw", "role": "USER"})
		cy := st.Get(d, "createUser.id").(string)
		if st.Get(d, "createUser.role") != "USER" {
			t.Fatalf("created = %v", d)
		}
		wantCode(t, s.Query(t, admin.Token, createUserMutation, "in", map[string]any{
			"name": "Cy2", "email": "CY@example.com", "password": "long enough pw"}), "CONFLICT")
		wantCode(t, s.Query(t, admin.Token, createUserMutation, "in", map[string]any{
			"name": "", "email": "z@example.com", "password": "long enough pw"}), "BAD_USER_INPUT")
		// Cy signs in with the password the admin set, and creates an API key and a group membership.
		tok := st.Get(s.MustQuery(t, "", `mutation { signin(input: {email: "cy@example.com", password: "long enough pw"}) { token } }`), "signin.token").(string)
		g := st.Get(s.MustQuery(t, admin.Token, `mutation { createGroup(input: {name: "Team"}) { id } }`), "createGroup.id").(string)
		s.MustQuery(t, admin.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`, "g", g, "u", []string{cy})
		if _, err := s.App.DB.Client.APIKey.Create().SetUserID(cy).SetName("k").SetPrefix("sk-x").SetKeyHash("h").Save(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.DB.Client.AuditLog.Query().Count(ctx); err != nil {
			t.Fatal(err)
		}

		d = s.MustQuery(t, admin.Token, `mutation($ids: [ID!]!) { deleteUsers(ids: $ids) { id deleted code message } }`,
			"ids", []string{cy, admin.ID, "nobody", cy})
		res := st.Get(d, "deleteUsers").([]any)
		if len(res) != 3 {
			t.Fatalf("results = %v, want one per distinct id", res)
		}
		want := []struct {
			deleted bool
			code    any
		}{{true, nil}, {false, "FORBIDDEN"}, {false, "NOT_FOUND"}}
		for i, w := range want {
			r := res[i].(map[string]any)
			if r["deleted"] != w.deleted || r["code"] != w.code {
				t.Errorf("result %d = %v, want deleted=%v code=%v", i, r, w.deleted, w.code)
			}
		}
		wantCode(t, s.Query(t, tok, meQuery), "UNAUTHENTICATED")
		for name, n := range map[string]func() (int, error){
			"sessions":    func() (int, error) { return s.App.DB.Client.Session.Query().Where(session.UserID(cy)).Count(ctx) },
			"api keys":    func() (int, error) { return s.App.DB.Client.APIKey.Query().Where(apikey.UserID(cy)).Count(ctx) },
			"memberships": func() (int, error) { return s.App.DB.Client.Membership.Query().Where(membership.UserID(cy)).Count(ctx) },
		} {
			if got, err := n(); err != nil || got != 0 {
				t.Errorf("%s left after delete = %d (%v)", name, got, err)
			}
		}
		if got := auditActions(t, s, cy); fmt.Sprint(got) != "[USER_CREATED USER_DELETED]" {
			t.Fatalf("audit history of deleted user = %v (it must stay)", got)
		}
	})
}

func TestUsersConnection(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		ctx := authz.AsOperator(context.Background())
		names := []string{"Bob", "Carol", "Dave", "Erin", "Frank"}
		ids := map[string]string{"Ada": admin.ID}
		// Created after Ada (whose creation time is the real clock's), an hour apart in pairs.
		base := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
		for i, n := range names {
			// Two accounts share a creation time, to check that id breaks the tie.
			at := base.Add(time.Duration(i/2) * time.Hour)
			u, err := s.App.DB.Client.User.Create().SetName(n).SetEmail(n + "@Example.org").
				SetRole(user.RoleUSER).SetCreatedAt(at).Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ids[n] = u.ID
		}
		g := st.Get(s.MustQuery(t, admin.Token, `mutation { createGroup(input: {name: "Ops"}) { id } }`), "createGroup.id").(string)
		s.MustQuery(t, admin.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`,
			"g", g, "u", []string{ids["Carol"], ids["Erin"]})

		q := `query($first: Int, $after: Cursor, $q: String, $where: UserWhereInput, $order: [UserOrder!]) {
			users(first: $first, after: $after, query: $q, where: $where, orderBy: $order) {
				totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`
		nodeNames := func(d map[string]any) []string {
			var out []string
			for _, e := range st.Get(d, "users.edges").([]any) {
				out = append(out, st.Get(e, "node.name").(string))
			}
			return out
		}

		// Default order: newest first, ties by id; paging with cursors visits every user once.
		var seen []string
		var after any
		for page := 0; page < 5; page++ {
			d := s.MustQuery(t, admin.Token, q, "first", 2, "after", after)
			seen = append(seen, nodeNames(d)...)
			if st.Get(d, "users.pageInfo.hasNextPage") != true {
				break
			}
			after = st.Get(d, "users.pageInfo.endCursor")
		}
		if len(seen) != 6 || seen[5] != "Ada" {
			t.Fatalf("paged users = %v, want all 6, oldest (Ada) last", seen)
		}
		if seen[0] != "Frank" {
			t.Fatalf("first = %s, want the newest (Frank)", seen[0])
		}
		tied := []string{seen[1], seen[2]} // Dave and Erin share a creation time
		sort.Slice(tied, func(i, j int) bool { return ids[tied[i]] < ids[tied[j]] })
		if tied[0] != seen[1] {
			t.Fatalf("tie order = %v, want by id", seen[1:3])
		}

		cases := []struct {
			name string
			vars []any
			want string
		}{
			{"query matches name case-insensitively", []any{"q", "CAROL"}, "[Carol]"},
			{"query matches email", []any{"q", "example.ORG", "order", []any{map[string]any{"field": "NAME", "direction": "ASC"}}}, "[Bob Carol Dave Erin Frank]"},
			{"where role", []any{"where", map[string]any{"role": "ADMIN"}}, "[Ada]"},
			{"where group membership", []any{"where", map[string]any{"hasGroupsWith": []any{map[string]any{"id": g}}},
				"order", []any{map[string]any{"field": "NAME", "direction": "ASC"}}}, "[Carol Erin]"},
			{"where created range", []any{"where", map[string]any{"createdAtGTE": base.Add(2 * time.Hour).Format(time.RFC3339)}}, "[Frank]"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				d := s.MustQuery(t, admin.Token, q, append([]any{"first", 50}, c.vars...)...)
				if got := fmt.Sprint(nodeNames(d)); got != c.want {
					t.Fatalf("users = %s, want %s", got, c.want)
				}
			})
		}
		wantCode(t, s.Query(t, admin.Token, q, "first", -1), "BAD_USER_INPUT")
		wantCode(t, s.Query(t, admin.Token, q, "first", 2, "after", "not-a-cursor"), "BAD_USER_INPUT")
		bob := s.Signup(t, "Bobby")
		s.SetRole(t, bob.ID, "USER")
		wantCode(t, s.Query(t, bob.Token, q, "first", 2), "FORBIDDEN")
	})
}

func TestPublicProfileOfOtherUsers(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		carl := s.Signup(t, "Carl")
		s.SetRole(t, bob.ID, "USER")
		s.SetRole(t, carl.ID, "USER")
		g := st.Get(s.MustQuery(t, admin.Token, `mutation { createGroup(input: {name: "Secret team"}) { id } }`), "createGroup.id").(string)
		s.MustQuery(t, admin.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`,
			"g", g, "u", []string{carl.ID})
		s.MustQuery(t, carl.Token, `mutation { updateUserSettings(settings: {theme: "dark"}) updateUserInfo(info: {team: "x"}) }`)

		fields := `id name profileImageUrl email settings info groups { id name }`
		viaNode := s.MustQuery(t, bob.Token, `query($id: ID!) { node(id: $id) { ... on User { `+fields+` } } }`, "id", carl.ID)
		viaNodes := s.MustQuery(t, bob.Token, `query($id: ID!) { nodes(ids: [$id]) { ... on User { `+fields+` } } }`, "id", carl.ID)
		for name, p := range map[string]any{"node": st.Get(viaNode, "node"), "nodes": st.Get(viaNodes, "nodes.0")} {
			if st.Get(p, "name") != "Carl" {
				t.Fatalf("%s: public profile missing: %v", name, p)
			}
			for _, private := range []string{"email", "settings", "info", "groups"} {
				if v := st.Get(p, private); v != nil {
					t.Errorf("%s: another user's %s = %v, want null", name, private, v)
				}
			}
		}
		// The user themselves and admins see everything.
		for name, tok := range map[string]string{"self": carl.Token, "admin": admin.Token} {
			d := s.MustQuery(t, tok, `query($id: ID!) { node(id: $id) { ... on User { `+fields+` } } }`, "id", carl.ID)
			if st.Get(d, "node.email") != carl.Email || st.Get(d, "node.settings.theme") != "dark" ||
				st.Get(d, "node.info.team") != "x" || st.Get(d, "node.groups.0.name") != "Secret team" {
				t.Errorf("%s sees %v", name, d)
			}
		}
		// Bob cannot reach the group by id either.
		wantCode(t, s.Query(t, bob.Token, `query($id: ID!) { node(id: $id) { id } }`, "id", g), "NOT_FOUND")
		wantCode(t, s.Query(t, bob.Token, `query($id: ID!) { user(id: $id) { id } }`, "id", carl.ID), "FORBIDDEN")
	})
}

func TestUserSettingsMerge(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		m := `mutation($s: JSON!) { updateUserSettings(settings: $s) }`
		s.MustQuery(t, bob.Token, m, "s", map[string]any{"theme": "dark", "ui": map[string]any{"a": 1}, "lang": "en"})
		d := s.MustQuery(t, bob.Token, m, "s", map[string]any{"theme": "light", "lang": nil})
		got := st.Get(d, "updateUserSettings").(map[string]any)
		if got["theme"] != "light" || got["lang"] != nil || st.Get(got, "ui.a") != float64(1) || len(got) != 2 {
			t.Fatalf("merged settings = %v, want theme light, ui kept, lang removed", got)
		}
		if st.Get(s.MustQuery(t, bob.Token, `{ me { settings } }`), "me.settings.theme") != "light" {
			t.Fatal("settings not stored")
		}
		big := map[string]any{"blob": string(make([]byte, 70<<10))}
		wantCode(t, s.Query(t, bob.Token, m, "s", big), "BAD_USER_INPUT")
		pending := s.Signup(t, "Pat")
		wantCode(t, s.Query(t, pending.Token, m, "s", map[string]any{"a": 1}), "FORBIDDEN")
	})
}

func TestLastActiveAt(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
		s := st.New(t, b, st.WithClock(clock.Now))
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		ctx := authz.AsOperator(context.Background())
		lastActive := func() time.Time {
			u, err := s.App.DB.Client.User.Get(ctx, bob.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u.LastActiveAt.UTC()
		}
		waitFor := func(want time.Time) {
			t.Helper()
			deadline := time.Now().Add(5 * time.Second)
			for !lastActive().Equal(want) {
				if time.Now().After(deadline) {
					t.Fatalf("lastActiveAt = %v, want %v", lastActive(), want)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		clock.Advance(10 * time.Minute)
		first := clock.Now()
		s.MustQuery(t, bob.Token, meQuery)
		waitFor(first) // written in the background, off the request path
		clock.Advance(30 * time.Second)
		s.MustQuery(t, bob.Token, meQuery)
		time.Sleep(100 * time.Millisecond)
		if got := lastActive(); !got.Equal(first) {
			t.Fatalf("lastActiveAt rewritten within a minute: %v", got)
		}
		clock.Advance(31 * time.Second)
		s.MustQuery(t, bob.Token, meQuery)
		waitFor(clock.Now())

		q := `query($id: ID!) { user(id: $id) { isActive lastActiveAt } }`
		if st.Get(s.MustQuery(t, admin.Token, q, "id", bob.ID), "user.isActive") != true {
			t.Fatal("isActive = false right after a request")
		}
		clock.Advance(4 * time.Minute)
		if st.Get(s.MustQuery(t, admin.Token, q, "id", bob.ID), "user.isActive") != false {
			t.Fatal("isActive = true after 4 idle minutes")
		}
	})
}

func TestUsersPageInputErrors(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		r := s.Query(t, admin.Token, `{ users(orderBy: [{field: NAME}, {field: NAME, direction: DESC}]) { totalCount } }`)
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "orderBy" {
			t.Fatalf("the same order field twice: %s; want BAD_USER_INPUT on orderBy", r.Raw)
		}
		r = s.Query(t, admin.Token, `{ users(first: 1, last: 1) { totalCount } }`)
		if r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("first and last together: %s; want BAD_USER_INPUT", r.Raw)
		}
	})
}

// TestUserByEmail: admins find an account by its email in any case; an unknown one is null and a
// malformed one BAD_USER_INPUT.
func TestUserByEmail(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	admin := s.Signup(t, "Ada")
	bob := s.Signup(t, "Bob")
	q := `query($e: String!) { userByEmail(email: $e) { id } }`
	if got := st.Get(s.MustQuery(t, admin.Token, q, "e", "  BOB@Example.com "), "userByEmail.id"); got != bob.ID {
		t.Fatalf("userByEmail = %v, want Bob's %s", got, bob.ID)
	}
	if got := s.MustQuery(t, admin.Token, q, "e", "nobody@example.com")["userByEmail"]; got != nil {
		t.Fatalf("an unknown email found %v", got)
	}
	wantCode(t, s.Query(t, admin.Token, q, "e", "not an email"), "BAD_USER_INPUT")
}

// TestSetUsersRole approves pending accounts in bulk; each account's refusal (the primary admin
// demoted, an unknown id) is its own result and the others change; a bad role changes nothing.
func TestSetUsersRole(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob, cy := s.Signup(t, "Bob"), s.Signup(t, "Cy")
		q := `mutation($ids: [ID!]!, $r: Role!) { setUsersRole(ids: $ids, role: $r) { id changed code } }`
		res := st.Get(s.MustQuery(t, admin.Token, q, "ids", []any{bob.ID, cy.ID, admin.ID, "00000000-0000-0000-0000-000000000000", bob.ID}, "r", "USER"), "setUsersRole").([]any)
		got := map[string]string{}
		for _, r := range res {
			code, _ := st.Get(r, "code").(string)
			got[st.Get(r, "id").(string)] = fmt.Sprint(st.Get(r, "changed"), " ", code)
		}
		if len(res) != 4 || got[bob.ID] != "true " || got[cy.ID] != "true " || got[admin.ID] != "false FORBIDDEN" ||
			got["00000000-0000-0000-0000-000000000000"] != "false NOT_FOUND" {
			t.Fatalf("results = %v", got)
		}
		for _, u := range []st.Account{bob, cy} {
			if role := st.Get(s.MustQuery(t, u.Token, `{ me { role } }`), "me.role"); role != "USER" {
				t.Fatalf("%s is %v after the bulk approval", u.Email, role)
			}
		}
		wantCode(t, s.Query(t, admin.Token, q, "ids", []any{bob.ID}, "r", "OWNER"), "BAD_USER_INPUT")
	})
}
