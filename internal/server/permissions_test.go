package server_test

import (
	"context"
	"testing"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// addGroup creates a group with grants and denials straight in the database and puts members in
// it, so these tests of the permission engine do not depend on the group admin API.
func addGroup(t *testing.T, s *st.Server, name string, perms map[string]any, denied []string, members ...string) string {
	t.Helper()
	ctx := authz.AsOperator(context.Background())
	c := s.App.DB.Client
	g, err := c.Group.Create().SetName(name).SetPermissions(perms).SetDeniedPermissions(denied).Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if err := c.Membership.Create().SetUserID(m).SetGroupID(g.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return g.ID
}

func TestPermissionMerge(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		users := map[string]st.Account{}
		for _, n := range []string{"Plain", "One", "Two", "Denied"} {
			u := s.Signup(t, n)
			s.SetRole(t, u.ID, "USER")
			users[n] = u
		}
		addGroup(t, s, "Modelers", map[string]any{"workspace": map[string]any{"models": true}}, nil, users["One"].ID, users["Two"].ID)
		addGroup(t, s, "Keyholders", map[string]any{"features": map[string]any{"api_keys": true}, "workspace": map[string]any{"models": false}}, nil, users["Two"].ID)
		addGroup(t, s, "Restricted", map[string]any{"workspace": map[string]any{"models": true}}, []string{"chat.delete", "workspace.models"}, users["Denied"].ID)

		has := `query($k: String!) { hasPermission(key: $k) }`
		cases := []struct {
			user, key string
			want      bool
		}{
			{"Plain", "chat.delete", true},        // default true
			{"Plain", "workspace.models", false},  // default false
			{"Plain", "no.such.key", false},       // missing means false
			{"One", "workspace.models", true},     // one group grants
			{"One", "features.api_keys", false},   // not granted anywhere
			{"Two", "workspace.models", true},     // two groups: most permissive wins
			{"Two", "features.api_keys", true},    // granted by the second group
			{"Denied", "chat.delete", false},      // a denial beats the default
			{"Denied", "workspace.models", false}, // and beats its own group's grant
			{"Denied", "chat.edit", true},         // other keys untouched
		}
		for _, c := range cases {
			got := st.Get(s.MustQuery(t, users[c.user].Token, has, "k", c.key), "hasPermission")
			if got != c.want {
				t.Errorf("%s hasPermission(%s) = %v, want %v", c.user, c.key, got, c.want)
			}
		}
		if got := st.Get(s.MustQuery(t, admin.Token, has, "k", "workspace.models"), "hasPermission"); got != true {
			t.Errorf("admin hasPermission = %v, want true", got)
		}

		ex := s.MustQuery(t, admin.Token, `query($u: ID!) { explainPermission(userId: $u, key: "workspace.models") { granted known reason sources { kind groupName value } } }`, "u", users["Denied"].ID)
		if st.Get(ex, "explainPermission.granted") != false {
			t.Fatalf("explain granted = true for a denied key: %v", ex)
		}
		kinds := map[string]bool{}
		for _, src := range st.Get(ex, "explainPermission.sources").([]any) {
			kinds[src.(map[string]any)["kind"].(string)] = true
		}
		if !kinds["GROUP_GRANT"] || !kinds["GROUP_DENY"] {
			t.Fatalf("explain sources = %v, want a GROUP_GRANT and a GROUP_DENY", kinds)
		}
	})
}

func TestDefaultPermissions(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		upd := `mutation($p: JSON!) { updateDefaultPermissions(permissions: $p) }`
		bad := []struct {
			name  string
			perms any
			field string
		}{
			{"unknown key", map[string]any{"chat": map[string]any{"teleport": true}}, "chat.teleport"},
			{"non-boolean", map[string]any{"chat": map[string]any{"delete": "yes"}}, "chat.delete"},
			{"unknown section", map[string]any{"nope": map[string]any{}}, "nope"},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				r := s.Query(t, admin.Token, upd, "p", c.perms)
				wantCode(t, r, "BAD_USER_INPUT")
				if got := r.Errors[0].Extensions["field"]; got != c.field {
					t.Fatalf("field = %v, want %s", got, c.field)
				}
			})
		}
		wantCode(t, s.Query(t, bob.Token, upd, "p", map[string]any{}), "FORBIDDEN")
		d := s.MustQuery(t, admin.Token, `{ defaultPermissions }`)
		if st.Get(d, "defaultPermissions.chat.delete") != true {
			t.Fatalf("rejected updates changed the defaults: %v", d)
		}

		s.MustQuery(t, admin.Token, upd, "p", map[string]any{"chat": map[string]any{"delete": false}})
		d = s.MustQuery(t, admin.Token, `{ defaultPermissions }`)
		if st.Get(d, "defaultPermissions.chat.delete") != false || st.Get(d, "defaultPermissions.chat.edit") != true {
			t.Fatalf("partial update not filled from defaults: %v", d)
		}
		if got := st.Get(s.MustQuery(t, bob.Token, `{ hasPermission(key: "chat.delete") }`), "hasPermission"); got != false {
			t.Fatalf("user still has chat.delete after the default was turned off")
		}
	})
}
