package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

const createKey = `mutation($name: String!, $exp: Time) { createAPIKey(input: {name: $name, expiresAt: $exp}) { key apiKey { id name prefix expiresAt } } }`

func TestAPIKeys(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Now())
		s := st.New(t, b, st.WithClock(clock.Now), st.WithEnv(map[string]string{"ENABLE_API_KEYS": "true"}))
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")

		t.Run("user without features.api_keys is refused", func(t *testing.T) {
			wantCode(t, s.Query(t, bob.Token, createKey, "name", "gateway"), "FORBIDDEN")
		})

		var secret, keyID string
		t.Run("admin may always create one and it is shown once", func(t *testing.T) {
			d := s.MustQuery(t, admin.Token, createKey, "name", "gateway")
			secret = st.Get(d, "createAPIKey.key").(string)
			keyID = st.Get(d, "createAPIKey.apiKey.id").(string)
			if !strings.HasPrefix(secret, "sk-") || len(secret) < 3+32 {
				t.Fatalf("key = %q, want sk- and at least 32 hex characters", secret)
			}
			list := s.MustQuery(t, admin.Token, `{ apiKeys { id name prefix } }`)
			if strings.Contains(toString(list), secret) || strings.Contains(toString(list), secret[3:]) {
				t.Fatal("apiKeys shows the secret again")
			}
			if n := len(list["apiKeys"].([]any)); n != 1 {
				t.Fatalf("apiKeys = %d keys, want 1", n)
			}
		})

		t.Run("the database holds no key in clear", func(t *testing.T) {
			rows, err := s.App.DB.SQL.QueryContext(context.Background(), "SELECT * FROM api_keys")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var s string
					switch x := v.(type) {
					case string:
						s = x
					case []byte:
						s = string(x)
					}
					if strings.Contains(s, secret[3:]) {
						t.Fatalf("column %s holds the key in clear", cols[i])
					}
				}
			}
		})

		t.Run("a key authenticates as its owner with the owner's current role", func(t *testing.T) {
			if got := st.Get(s.MustQuery(t, secret, meQuery), "me.id"); got != admin.ID {
				t.Fatalf("key authenticated as %v, want %v", got, admin.ID)
			}
			s.MustQuery(t, secret, `{ defaultPermissions }`)
		})

		t.Run("a granted user may create one; a revoked key stops working", func(t *testing.T) {
			s.MustQuery(t, admin.Token, `mutation { updateDefaultPermissions(permissions: {features: {api_keys: true}}) }`)
			d := s.MustQuery(t, bob.Token, createKey, "name", "mine")
			bobKey := st.Get(d, "createAPIKey.key").(string)
			bobKeyID := st.Get(d, "createAPIKey.apiKey.id").(string)
			if st.Get(s.MustQuery(t, bobKey, meQuery), "me.id") != bob.ID {
				t.Fatal("bob's key does not authenticate as bob")
			}
			wantCode(t, s.Query(t, bobKey, `{ defaultPermissions }`), "FORBIDDEN")
			wantCode(t, s.Query(t, bob.Token, `mutation($id: ID!) { revokeAPIKey(id: $id) }`, "id", keyID), "NOT_FOUND")
			s.MustQuery(t, admin.Token, `mutation($id: ID!) { revokeAPIKey(id: $id) }`, "id", bobKeyID)
			wantCode(t, s.Query(t, bobKey, meQuery), "UNAUTHENTICATED")
		})

		t.Run("an expired key stops working", func(t *testing.T) {
			exp := clock.Now().Add(time.Hour).UTC().Format(time.RFC3339)
			d := s.MustQuery(t, admin.Token, createKey, "name", "short-lived", "exp", exp)
			k := st.Get(d, "createAPIKey.key").(string)
			s.MustQuery(t, k, meQuery)
			clock.Advance(2 * time.Hour)
			wantCode(t, s.Query(t, k, meQuery), "UNAUTHENTICATED")
		})

		t.Run("bad input", func(t *testing.T) {
			r := s.Query(t, admin.Token, createKey, "name", "  ")
			wantCode(t, r, "BAD_USER_INPUT")
			past := clock.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
			wantCode(t, s.Query(t, admin.Token, createKey, "name", "old", "exp", past), "BAD_USER_INPUT")
		})
	})
}

func TestAPIKeysDisabled(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		wantCode(t, s.Query(t, admin.Token, createKey, "name", "gateway"), "FORBIDDEN")

		// A key created while keys were enabled stops working once they are disabled again.
		ctx := authz.AsOperator(context.Background())
		setKeys := func(on bool) {
			a, err := s.App.Settings.Auth(ctx)
			if err != nil {
				t.Fatal(err)
			}
			a.EnableAPIKeys = on
			if err := s.App.Settings.Set(ctx, settings.AuthKey, a); err != nil {
				t.Fatal(err)
			}
		}
		setKeys(true)
		key := st.Get(s.MustQuery(t, admin.Token, createKey, "name", "gateway"), "createAPIKey.key").(string)
		s.MustQuery(t, key, meQuery)
		setKeys(false)
		wantCode(t, s.Query(t, key, meQuery), "UNAUTHENTICATED")
	})
}
