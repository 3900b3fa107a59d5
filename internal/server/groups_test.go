package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

const (
	createGroupMutation = `mutation($in: CreateGroupInput!) { createGroup(input: $in) { id name description permissions deniedPermissions memberCount creator { id } } }`
	updateGroupMutation = `mutation($id: ID!, $in: UpdateGroupInput!) { updateGroup(id: $id, input: $in) { id name description permissions deniedPermissions } }`
	addMembersMutation  = `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed unknownUserIds group { memberCount } } }`
	delMembersMutation  = `mutation($g: ID!, $u: [ID!]!) { removeGroupMembers(groupId: $g, userIds: $u) { changed unknownUserIds group { memberCount } } }`
)

func TestGroupLifecycle(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		carl := s.Signup(t, "Carl")
		s.SetRole(t, bob.ID, "USER")

		d := s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "  Engineering ", "description": "builders"})
		g := st.Get(d, "createGroup").(map[string]any)
		id := g["id"].(string)
		if g["name"] != "Engineering" || fmt.Sprint(g["permissions"]) != "map[]" || fmt.Sprint(g["deniedPermissions"]) != "[]" ||
			g["memberCount"] != float64(0) || st.Get(g, "creator.id") != admin.ID {
			t.Fatalf("new group = %v, want trimmed name, no grants, no denials, creator Ada", g)
		}

		t.Run("invalid input changes nothing", func(t *testing.T) {
			cases := []struct {
				name  string
				in    map[string]any
				code  string
				field string
			}{
				{"empty name", map[string]any{"name": " "}, "BAD_USER_INPUT", "name"},
				{"duplicate name", map[string]any{"name": "Engineering"}, "CONFLICT", ""},
				{"unknown permission key", map[string]any{"name": "X", "permissions": map[string]any{"chat": map[string]any{"fly": true}}}, "BAD_USER_INPUT", "permissions.chat.fly"},
				{"permission not a boolean", map[string]any{"name": "X", "permissions": map[string]any{"chat": map[string]any{"delete": "yes"}}}, "BAD_USER_INPUT", "permissions.chat.delete"},
				{"unknown denial", map[string]any{"name": "X", "deniedPermissions": []string{"chat.fly"}}, "BAD_USER_INPUT", "deniedPermissions"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					r := s.Query(t, admin.Token, createGroupMutation, "in", c.in)
					wantCode(t, r, c.code)
					if c.field != "" && r.Errors[0].Extensions["field"] != c.field {
						t.Fatalf("field = %v, want %s", r.Errors[0].Extensions["field"], c.field)
					}
				})
			}
			if n := st.Get(s.MustQuery(t, admin.Token, `{ groups { totalCount } }`), "groups.totalCount"); n != float64(1) {
				t.Fatalf("groups after refused creates = %v, want 1", n)
			}
		})

		t.Run("members", func(t *testing.T) {
			d := s.MustQuery(t, admin.Token, addMembersMutation, "g", id, "u", []string{bob.ID, bob.ID, "ghost", carl.ID})
			if st.Get(d, "addGroupMembers.changed") != float64(2) || fmt.Sprint(st.Get(d, "addGroupMembers.unknownUserIds")) != "[ghost]" ||
				st.Get(d, "addGroupMembers.group.memberCount") != float64(2) {
				t.Fatalf("add = %v", d)
			}
			d = s.MustQuery(t, admin.Token, addMembersMutation, "g", id, "u", []string{bob.ID})
			if st.Get(d, "addGroupMembers.changed") != float64(0) {
				t.Fatalf("re-adding a member = %v, want no change", d)
			}
			d = s.MustQuery(t, admin.Token, delMembersMutation, "g", id, "u", []string{carl.ID, "ghost2", admin.ID})
			if st.Get(d, "removeGroupMembers.changed") != float64(1) || fmt.Sprint(st.Get(d, "removeGroupMembers.unknownUserIds")) != "[ghost2]" ||
				st.Get(d, "removeGroupMembers.group.memberCount") != float64(1) {
				t.Fatalf("remove = %v", d)
			}
			wantCode(t, s.Query(t, admin.Token, addMembersMutation, "g", "no-group", "u", []string{bob.ID}), "NOT_FOUND")
			d = s.MustQuery(t, admin.Token, `query($id: ID!) { group(id: $id) { members(first: 10) { totalCount edges { node { id email } } } } }`, "id", id)
			if st.Get(d, "group.members.totalCount") != float64(1) || st.Get(d, "group.members.edges.0.node.email") != bob.Email {
				t.Fatalf("members = %v", d)
			}
		})

		t.Run("myGroups and what members see", func(t *testing.T) {
			d := s.MustQuery(t, bob.Token, `{ myGroups { id name memberCount } me { groups { name } } }`)
			if st.Get(d, "myGroups.0.id") != id || st.Get(d, "myGroups.0.memberCount") != float64(1) || st.Get(d, "me.groups.0.name") != "Engineering" {
				t.Fatalf("bob's groups = %v", d)
			}
			// A member reads the group, not the admin-only fields or other groups.
			other := st.Get(s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "Finance"}), "createGroup.id").(string)
			wantCode(t, s.Query(t, bob.Token, `query($id: ID!) { node(id: $id) { id } }`, "id", other), "NOT_FOUND")
			r := s.Query(t, bob.Token, `query($id: ID!) { node(id: $id) { ... on Group { name members { totalCount } } } }`, "id", id)
			wantCode(t, r, "FORBIDDEN")
			if st.Get(r.Data, "node.name") != "Engineering" || st.Get(r.Data, "node.members") != nil {
				t.Fatalf("member's view of the group = %s", r.Raw)
			}
			wantCode(t, s.Query(t, bob.Token, `{ groups { totalCount } }`), "FORBIDDEN")
			wantCode(t, s.Query(t, carl.Token, `{ myGroups { id } }`), "FORBIDDEN") // pending
		})

		t.Run("update and delete", func(t *testing.T) {
			d := s.MustQuery(t, admin.Token, updateGroupMutation, "id", id, "in", map[string]any{
				"name": "Eng", "permissions": map[string]any{"features": map[string]any{"api_keys": true}},
				"deniedPermissions": []string{"chat.delete", "chat.delete"}})
			if st.Get(d, "updateGroup.name") != "Eng" || st.Get(d, "updateGroup.permissions.features.api_keys") != true ||
				fmt.Sprint(st.Get(d, "updateGroup.deniedPermissions")) != "[chat.delete]" {
				t.Fatalf("update = %v", d)
			}
			wantCode(t, s.Query(t, admin.Token, updateGroupMutation, "id", id, "in", map[string]any{"name": "Finance"}), "CONFLICT")
			wantCode(t, s.Query(t, bob.Token, updateGroupMutation, "id", id, "in", map[string]any{"name": "Mine"}), "FORBIDDEN")
			s.MustQuery(t, admin.Token, `mutation($id: ID!) { deleteGroup(id: $id) }`, "id", id)
			wantCode(t, s.Query(t, admin.Token, `mutation($id: ID!) { deleteGroup(id: $id) }`, "id", id), "NOT_FOUND")
			if n := len(st.Get(s.MustQuery(t, bob.Token, `{ myGroups { id } }`), "myGroups").([]any)); n != 0 {
				t.Fatalf("bob's groups after delete = %d", n)
			}
		})

		if got := fmt.Sprint(auditActions(t, s, id)); got != "[GROUP_CREATED GROUP_MEMBERS_ADDED GROUP_MEMBERS_REMOVED GROUP_UPDATED GROUP_DELETED]" {
			t.Fatalf("group audit = %s", got)
		}
	})
}

func TestDefaultGroupForNewAccounts(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		gid := st.Get(s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "Everyone"}), "createGroup.id").(string)
		// DEFAULT_GROUP_ID seeds this setting on first start; a group id exists only once the
		// group does, so set the stored setting as an operator changing it later would.
		ctx := authz.AsOperator(context.Background())
		a, err := s.App.Settings.Auth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a.DefaultGroupID = gid
		if err := s.App.Settings.Set(ctx, settings.AuthKey, a); err != nil {
			t.Fatal(err)
		}

		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		if got := st.Get(s.MustQuery(t, bob.Token, `{ myGroups { id } }`), "myGroups.0.id"); got != gid {
			t.Fatalf("new sign-up's group = %v, want %s", got, gid)
		}
		d := s.MustQuery(t, admin.Token, createUserMutation, "in", map[string]any{"name": "Cy", "email": "cy@example.com", "password": "long enough pw"})
		if got := st.Get(d, "createUser.groups.0.id"); got != gid {
			t.Fatalf("admin-created account's group = %v, want %s (loader sees the mutation's own rows)", got, gid)
		}
	})
}

func TestGroupGrantDenyExplain(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		has := func(key string) any {
			return st.Get(s.MustQuery(t, bob.Token, `query($k: String!) { hasPermission(key: $k) }`, "k", key), "hasPermission")
		}
		explain := `query($u: ID!, $k: String!) { explainPermission(userId: $u, key: $k) { granted reason sources { kind groupName value } } }`

		if has("features.api_keys") != false || has("chat.delete") != true {
			t.Fatal("defaults: api_keys off, chat.delete on")
		}
		grant := st.Get(s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "Builders",
			"permissions": map[string]any{"features": map[string]any{"api_keys": true}}}), "createGroup.id").(string)
		deny := st.Get(s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "Interns",
			"deniedPermissions": []string{"chat.delete", "features.api_keys"}}), "createGroup.id").(string)

		s.MustQuery(t, admin.Token, addMembersMutation, "g", grant, "u", []string{bob.ID})
		if has("features.api_keys") != true {
			t.Fatal("group grant did not grant")
		}
		d := s.MustQuery(t, admin.Token, explain, "u", bob.ID, "k", "features.api_keys")
		if st.Get(d, "explainPermission.granted") != true || st.Get(d, "explainPermission.sources.0.kind") != "GROUP_GRANT" ||
			st.Get(d, "explainPermission.sources.0.groupName") != "Builders" {
			t.Fatalf("explain grant = %v", d)
		}

		s.MustQuery(t, admin.Token, addMembersMutation, "g", deny, "u", []string{bob.ID})
		if has("features.api_keys") != false || has("chat.delete") != false {
			t.Fatal("denial did not win over the group grant and the default")
		}
		d = s.MustQuery(t, admin.Token, explain, "u", bob.ID, "k", "chat.delete")
		srcs := st.Get(d, "explainPermission.sources").([]any)
		if st.Get(d, "explainPermission.granted") != false || len(srcs) != 2 ||
			st.Get(srcs[0], "kind") != "DEFAULT" || st.Get(srcs[1], "kind") != "GROUP_DENY" || st.Get(srcs[1], "groupName") != "Interns" {
			t.Fatalf("explain deny = %v", d)
		}
		r := s.Query(t, bob.Token, `mutation { createAPIKey(input: {name: "k"}) { key } }`)
		wantCode(t, r, "FORBIDDEN")

		// Admins are never denied.
		d = s.MustQuery(t, admin.Token, explain, "u", admin.ID, "k", "chat.delete")
		if st.Get(d, "explainPermission.granted") != true || st.Get(d, "explainPermission.sources.0.kind") != "ADMIN_ROLE" {
			t.Fatalf("explain admin = %v", d)
		}
		// Removing the denying group gives the permissions back.
		s.MustQuery(t, admin.Token, delMembersMutation, "g", deny, "u", []string{bob.ID})
		if has("features.api_keys") != true || has("chat.delete") != true {
			t.Fatal("permissions not restored after leaving the denying group")
		}
	})
}
