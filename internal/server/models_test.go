package server_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const (
	createModelMutation = `mutation($in: CreateModelInput!) { createModel(input: $in) { id name accessControl owner { id } } }`
	updateModelMutation = `mutation($id: ID!, $in: UpdateModelInput!) { updateModel(id: $id, input: $in) { id name accessControl } }`
	modelsQuery         = `{ models { id } }`
	usersWithAccessQ    = `query($m: ID!, $a: ResourceAccess!) { usersWithAccess(modelId: $m, access: $a) { name } }`
)

func modelIDs(t *testing.T, s *st.Server, token string) string {
	t.Helper()
	var ids []string
	for _, m := range st.Get(s.MustQuery(t, token, modelsQuery), "models").([]any) {
		ids = append(ids, st.Get(m, "id").(string))
	}
	sort.Strings(ids)
	return fmt.Sprint(ids)
}

func userNames(t *testing.T, s *st.Server, token, modelID, access string) string {
	t.Helper()
	var names []string
	for _, u := range st.Get(s.MustQuery(t, token, usersWithAccessQ, "m", modelID, "a", access), "usersWithAccess").([]any) {
		names = append(names, st.Get(u, "name").(string))
	}
	return fmt.Sprint(names)
}

// TestModelAccessScenario is the seeds' use case: every user may chat with llama3, only one
// group with gpt-4-turbo.
func TestModelAccessScenario(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		carl := s.Signup(t, "Carl")
		pat := s.Signup(t, "Pat") // stays pending
		s.SetRole(t, bob.ID, "USER")
		s.SetRole(t, carl.ID, "USER")
		premium := st.Get(s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "Premium"}), "createGroup.id").(string)
		s.MustQuery(t, admin.Token, addMembersMutation, "g", premium, "u", []string{carl.ID})

		d := s.MustQuery(t, admin.Token, createModelMutation, "in", map[string]any{"id": "llama3", "name": "Llama 3"})
		if st.Get(d, "createModel.accessControl") != nil || st.Get(d, "createModel.owner.id") != admin.ID {
			t.Fatalf("llama3 = %v, want public, owned by Ada", d)
		}
		s.MustQuery(t, admin.Token, createModelMutation, "in", map[string]any{"id": "gpt-4-turbo", "name": "GPT-4 Turbo",
			"accessControl": map[string]any{"read": map[string]any{"group_ids": []string{premium}}}})

		t.Run("models lists what each viewer may read", func(t *testing.T) {
			for _, c := range []struct{ who, token, want string }{
				{"admin", admin.Token, "[gpt-4-turbo llama3]"},
				{"user outside the group", bob.Token, "[llama3]"},
				{"group member", carl.Token, "[gpt-4-turbo llama3]"},
			} {
				if got := modelIDs(t, s, c.token); got != c.want {
					t.Errorf("%s sees %s, want %s", c.who, got, c.want)
				}
			}
			wantCode(t, s.Query(t, pat.Token, modelsQuery), "FORBIDDEN")
			wantCode(t, s.Query(t, "", modelsQuery), "UNAUTHENTICATED")
		})

		t.Run("no id reaches a model the viewer may not read", func(t *testing.T) {
			wantCode(t, s.Query(t, bob.Token, `{ node(id: "gpt-4-turbo") { id } }`), "NOT_FOUND")
			wantCode(t, s.Query(t, bob.Token, `{ model(id: "gpt-4-turbo") { id } }`), "NOT_FOUND")
			d := s.MustQuery(t, bob.Token, `{ nodes(ids: ["gpt-4-turbo", "llama3"]) { id } }`)
			if st.Get(d, "nodes.0") != nil || st.Get(d, "nodes.1.id") != "llama3" {
				t.Fatalf("nodes = %v, want [null, llama3]", d)
			}
			wantCode(t, s.Query(t, bob.Token, updateModelMutation, "id", "gpt-4-turbo", "in", map[string]any{"name": "mine"}), "NOT_FOUND")
			wantCode(t, s.Query(t, bob.Token, `mutation { deleteModel(id: "gpt-4-turbo") }`), "NOT_FOUND")
			if st.Get(s.MustQuery(t, carl.Token, `{ node(id: "gpt-4-turbo") { id } }`), "node.id") != "gpt-4-turbo" {
				t.Fatal("group member cannot read the model by id")
			}
		})

		t.Run("reading is not writing", func(t *testing.T) {
			wantCode(t, s.Query(t, bob.Token, updateModelMutation, "id", "llama3", "in", map[string]any{"name": "x"}), "FORBIDDEN")
			wantCode(t, s.Query(t, carl.Token, `mutation { deleteModel(id: "gpt-4-turbo") }`), "FORBIDDEN")
			wantCode(t, s.Query(t, bob.Token, createModelMutation, "in", map[string]any{"id": "mine", "name": "Mine"}), "FORBIDDEN")
			wantCode(t, s.Query(t, bob.Token, usersWithAccessQ, "m", "llama3", "a", "READ"), "FORBIDDEN")
		})

		t.Run("usersWithAccess", func(t *testing.T) {
			for _, c := range []struct{ model, access, want string }{
				{"llama3", "READ", "[Ada Bob Carl]"}, // public: every verified user, never pending Pat
				{"llama3", "WRITE", "[Ada]"},
				{"gpt-4-turbo", "READ", "[Ada Carl]"},
				{"gpt-4-turbo", "WRITE", "[Ada]"},
			} {
				if got := userNames(t, s, admin.Token, c.model, c.access); got != c.want {
					t.Errorf("%s %s = %s, want %s", c.model, c.access, got, c.want)
				}
			}
		})

		t.Run("write access through access control", func(t *testing.T) {
			d := s.MustQuery(t, admin.Token, updateModelMutation, "id", "gpt-4-turbo", "in", map[string]any{
				"accessControl": map[string]any{"read": map[string]any{"group_ids": []string{premium}}, "write": map[string]any{"user_ids": []string{bob.ID}}}})
			if st.Get(d, "updateModel.accessControl.write.user_ids.0") != bob.ID {
				t.Fatalf("update = %v", d)
			}
			// Write implies read: Bob now sees and changes the model, and may ask who has access.
			if got := modelIDs(t, s, bob.Token); got != "[gpt-4-turbo llama3]" {
				t.Fatalf("bob sees %s", got)
			}
			s.MustQuery(t, bob.Token, updateModelMutation, "id", "gpt-4-turbo", "in", map[string]any{"name": "GPT-4T"})
			if got := userNames(t, s, bob.Token, "gpt-4-turbo", "WRITE"); got != "[Ada Bob]" {
				t.Fatalf("writers = %s", got)
			}
			// accessControl: null makes it public; leaving it out keeps it.
			s.MustQuery(t, admin.Token, updateModelMutation, "id", "gpt-4-turbo", "in", map[string]any{"name": "GPT-4 Turbo"})
			if got := userNames(t, s, admin.Token, "gpt-4-turbo", "READ"); got != "[Ada Bob Carl]" {
				t.Fatalf("readers after a rename = %s, want unchanged access", got)
			}
			s.MustQuery(t, admin.Token, updateModelMutation, "id", "gpt-4-turbo", "in", map[string]any{"accessControl": nil})
			if got := modelIDs(t, s, bob.Token); got != "[gpt-4-turbo llama3]" {
				t.Fatalf("public model hidden: %s", got)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			cases := []struct {
				name  string
				in    map[string]any
				code  string
				field string
			}{
				{"unknown key", map[string]any{"id": "m1", "name": "M", "accessControl": map[string]any{"admin": map[string]any{}}}, "BAD_USER_INPUT", "accessControl.admin"},
				{"unknown group", map[string]any{"id": "m1", "name": "M", "accessControl": map[string]any{"read": map[string]any{"group_ids": []string{"nope"}}}}, "BAD_USER_INPUT", "accessControl.read.group_ids"},
				{"not a list", map[string]any{"id": "m1", "name": "M", "accessControl": map[string]any{"write": map[string]any{"user_ids": "x"}}}, "BAD_USER_INPUT", "accessControl.write.user_ids"},
				{"empty id", map[string]any{"id": " ", "name": "M"}, "BAD_USER_INPUT", "id"},
				{"duplicate id", map[string]any{"id": "llama3", "name": "M"}, "CONFLICT", ""},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					r := s.Query(t, admin.Token, createModelMutation, "in", c.in)
					wantCode(t, r, c.code)
					if c.field != "" && r.Errors[0].Extensions["field"] != c.field {
						t.Fatalf("field = %v, want %s", r.Errors[0].Extensions["field"], c.field)
					}
				})
			}
			if got := modelIDs(t, s, admin.Token); got != "[gpt-4-turbo llama3]" {
				t.Fatalf("models after refused creates = %s", got)
			}
		})

		s.MustQuery(t, admin.Token, `mutation { deleteModel(id: "gpt-4-turbo") }`)
		if got := fmt.Sprint(auditActions(t, s, "gpt-4-turbo")); got != "[MODEL_CREATED MODEL_UPDATED MODEL_UPDATED MODEL_UPDATED MODEL_UPDATED MODEL_DELETED]" {
			t.Fatalf("model audit = %s", got)
		}
	})
}

func TestAdminAccessControlBypass(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		for _, c := range []struct {
			env  string
			want string
		}{
			{"", "[carls-private]"},
			{"false", "[]"},
		} {
			t.Run("BYPASS_ADMIN_ACCESS_CONTROL="+c.env, func(t *testing.T) {
				s := st.New(t, b, st.WithEnv(map[string]string{"BYPASS_ADMIN_ACCESS_CONTROL": c.env}))
				admin := s.Signup(t, "Ada")
				carl := s.Signup(t, "Carl")
				s.SetRole(t, carl.ID, "USER")
				// Carl may create models through a group grant.
				g := st.Get(s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "Makers",
					"permissions": map[string]any{"workspace": map[string]any{"models": true}}}), "createGroup.id").(string)
				s.MustQuery(t, admin.Token, addMembersMutation, "g", g, "u", []string{carl.ID})
				s.MustQuery(t, carl.Token, createModelMutation, "in", map[string]any{"id": "carls-private", "name": "Private",
					"accessControl": map[string]any{}})
				if got := modelIDs(t, s, carl.Token); got != "[carls-private]" {
					t.Fatalf("owner sees %s", got)
				}
				if got := modelIDs(t, s, admin.Token); got != c.want {
					t.Fatalf("admin sees %s, want %s", got, c.want)
				}
				// model(id) and node(id) answer as the list does: one rule decides.
				for _, q := range []string{`{ model(id: "carls-private") { id } }`, `{ node(id: "carls-private") { id } }`} {
					r := s.Query(t, admin.Token, q)
					if c.want == "[]" {
						wantCode(t, r, "NOT_FOUND")
					} else if r.Code() != "" {
						t.Fatalf("%s: %s", q, r.Raw)
					}
				}
			})
		}
	})
}

// TestModelReadRuleFollowsMembershipAndRestart: the Model read rule filters on grants derived
// from the access control. A membership change counts at once, and a start derives the grants
// again from the stored access control, so rows written before grants existed, or edited by hand,
// are followed.
func TestModelReadRuleFollowsMembershipAndRestart(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		url := dbtest.NewURL(t, b)
		s := st.New(t, b, st.WithDatabaseURL(url))
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		team := st.Get(s.MustQuery(t, admin.Token, createGroupMutation, "in", map[string]any{"name": "Team"}), "createGroup.id").(string)
		s.MustQuery(t, admin.Token, createModelMutation, "in", map[string]any{"id": "team-model", "name": "Team",
			"accessControl": map[string]any{"read": map[string]any{"group_ids": []string{team}}}})
		s.MustQuery(t, admin.Token, createModelMutation, "in", map[string]any{"id": "open-model", "name": "Open"})

		if got := modelIDs(t, s, bob.Token); got != "[open-model]" {
			t.Fatalf("before joining, bob sees %s", got)
		}
		s.MustQuery(t, admin.Token, addMembersMutation, "g", team, "u", []string{bob.ID})
		if got := modelIDs(t, s, bob.Token); got != "[open-model team-model]" {
			t.Fatalf("after joining, bob sees %s", got)
		}
		s.MustQuery(t, admin.Token, `mutation($g: ID!, $u: [ID!]!) { removeGroupMembers(groupId: $g, userIds: $u) { changed } }`, "g", team, "u", []string{bob.ID})
		if got := modelIDs(t, s, bob.Token); got != "[open-model]" {
			t.Fatalf("after leaving, bob sees %s", got)
		}

		// Behind the service's back: the open model made private, and every grant lost.
		for _, q := range []string{`UPDATE models SET access_control = '{"read":{"user_ids":[]}}' WHERE id = 'open-model'`, `DELETE FROM model_grants`} {
			if _, err := s.App.DB.SQL.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		// (A query text of its own: the query cache cannot know of writes made behind its back.)
		if got := st.Get(s.MustQuery(t, bob.Token, `{ models { id name } }`), "models"); fmt.Sprint(got) != "[]" {
			t.Fatalf("without grants bob sees %v, want nothing (the rule fails closed)", got)
		}
		s.MustQuery(t, admin.Token, addMembersMutation, "g", team, "u", []string{bob.ID})
		restarted := st.New(t, b, st.WithDatabaseURL(url))
		if got := modelIDs(t, restarted, bob.Token); got != "[team-model]" {
			t.Fatalf("after a restart bob sees %s, want the team model only", got)
		}
	})
}
