package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/sessions"
)

// openWebUISecret is a key as Open WebUI generates them (16 characters), shorter than steward
// accepts for its own tokens: it comes in through OPENWEBUI_SECRET_KEY.
const openWebUISecret = "Zk3xQ9pLm2Vt8Rw1"

// openWebUIToken signs claims as Open WebUI's create_token does (HS256, "id", optional "exp").
func openWebUIToken(t *testing.T, secret string, method jwt.SigningMethod, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString([]byte(secret))
	if err != nil {
		t.Fatalf("signing: %v", err)
	}
	return tok
}

// linkOpenWebUI records that userID was imported from Open WebUI under openWebUIID, as
// `steward import-openwebui` does.
func linkOpenWebUI(t *testing.T, s *st.Server, userID, openWebUIID string) {
	t.Helper()
	err := s.App.DB.Client.Identity.Create().SetUserID(userID).SetProvider(sessions.OpenWebUIProvider).
		SetSubject(openWebUIID).Exec(authz.As(context.Background(), authz.Operator))
	if err != nil {
		t.Fatalf("linking: %v", err)
	}
}

func TestOpenWebUITokensDuringTheWindow(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		start := time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)
		clock := st.NewClock(start)
		s := st.New(t, b, st.WithClock(clock.Now), st.WithEnv(map[string]string{
			"STEWARD_ACCEPT_OPENWEBUI_TOKENS": "2027-01-31",
			"OPENWEBUI_SECRET_KEY":            openWebUISecret,
		}))
		admin := s.Signup(t, "Ada")
		bob := s.Signup(t, "Bob")
		s.SetRole(t, bob.ID, "USER")
		carol := s.Signup(t, "Carol") // signed up here, never imported
		s.SetRole(t, carol.ID, "USER")
		linkOpenWebUI(t, s, bob.ID, bob.ID)

		hs := jwt.SigningMethodHS256
		plain := openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"id": bob.ID})
		me := func(tok string) *st.Response { return s.Query(t, tok, `{ me { id role } }`) }
		accepted := func(name, tok string) {
			t.Helper()
			r := me(tok)
			if len(r.Errors) > 0 || st.Get(r.Data, "me.id") != bob.ID {
				t.Fatalf("%s: Open WebUI token refused: %s", name, r.Raw)
			}
		}
		refused := func(name, tok string) {
			t.Helper()
			wantCode(t, me(tok), "UNAUTHENTICATED")
		}

		accepted("token without expiry", plain)
		accepted("token with a future expiry", openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"id": bob.ID, "exp": start.Add(time.Hour).Unix()}))
		accepted("newer token with a jti", openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"id": bob.ID, "jti": "3f1c2d9e-0000-4000-8000-000000000000"}))
		if d := s.MustQuery(t, plain, `{ hasPermission(key: "chat.delete") }`); d["hasPermission"] != true {
			t.Fatalf("the imported user's permissions: %v", d)
		}

		refused("expired token", openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"id": bob.ID, "exp": start.Add(-time.Minute).Unix()}))
		refused("user who was not imported", openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"id": carol.ID}))
		refused("unknown id", openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"id": "no-such-user"}))
		refused("another key", openWebUIToken(t, "another-secret-key", hs, jwt.MapClaims{"id": bob.ID}))
		refused("another algorithm", openWebUIToken(t, openWebUISecret, jwt.SigningMethodHS512, jwt.MapClaims{"id": bob.ID}))
		refused("no id", openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"sub": bob.ID}))
		unsigned, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"id": bob.ID}).SignedString(jwt.UnsafeAllowNoneSignatureType)
		refused("alg none", unsigned)
		// steward's own key does not sign Open WebUI's tokens, nor Open WebUI's key steward's.
		refused("steward's key", openWebUIToken(t, st.TestSecret, hs, jwt.MapClaims{"id": bob.ID}))

		// Demoted to pending (how Open WebUI's admins suspend), the account's old tokens stop.
		s.SetRole(t, bob.ID, "PENDING")
		refused("pending user", plain)
		s.SetRole(t, bob.ID, "USER")
		accepted("approved again", plain)

		// Signing out with an Open WebUI token ends every Open WebUI token of the account, and
		// nothing else: Bob's steward session goes on.
		if d := s.MustQuery(t, plain, `mutation { signout }`); d["signout"] != true {
			t.Fatalf("signout: %v", d)
		}
		refused("after signing out", plain)
		if r := me(bob.Token); st.Get(r.Data, "me.id") != bob.ID {
			t.Fatalf("Bob's steward session ended with his Open WebUI token: %s", r.Raw)
		}

		// Signing out everywhere (and so a password change, or an admin revoking the sessions)
		// ends them too.
		linkOpenWebUI(t, s, bob.ID, bob.ID)
		accepted("linked again", plain)
		s.MustQuery(t, bob.Token, `mutation { signoutEverywhere }`)
		refused("after signing out everywhere", plain)

		// A deleted account's tokens are refused.
		linkOpenWebUI(t, s, carol.ID, carol.ID)
		carolTok := openWebUIToken(t, openWebUISecret, hs, jwt.MapClaims{"id": carol.ID})
		if r := me(carolTok); st.Get(r.Data, "me.id") != carol.ID {
			t.Fatalf("Carol's token refused once linked: %s", r.Raw)
		}
		s.MustQuery(t, admin.Token, `mutation($id: ID!) { deleteUser(id: $id) }`, "id", carol.ID)
		wantCode(t, me(carolTok), "UNAUTHENTICATED")

		// The window ends at the end of the day it names.
		linkOpenWebUI(t, s, bob.ID, bob.ID)
		clock.Advance(time.Date(2027, 1, 31, 23, 59, 0, 0, time.UTC).Sub(start))
		accepted("on the last day", plain)
		clock.Advance(2 * time.Minute)
		refused("after the window", plain)
	})
}

func TestOpenWebUITokensOffWithoutAWindow(t *testing.T) {
	s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"OPENWEBUI_SECRET_KEY": openWebUISecret}))
	s.Signup(t, "Ada")
	bob := s.Signup(t, "Bob")
	s.SetRole(t, bob.ID, "USER")
	linkOpenWebUI(t, s, bob.ID, bob.ID)
	wantCode(t, s.Query(t, openWebUIToken(t, openWebUISecret, jwt.SigningMethodHS256, jwt.MapClaims{"id": bob.ID}), `{ me { id } }`), "UNAUTHENTICATED")
}
