package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/steward-dev/steward/ent/credential"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const meQuery = `{ me { id name email role } }`

func wantCode(t *testing.T, r *st.Response, code string) {
	t.Helper()
	if got := r.Code(); got != code {
		t.Fatalf("code = %q, want %q; response: %s", got, code, r.Raw)
	}
}

func TestSignupRolesAndApproval(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		if got := st.Get(s.MustQuery(t, admin.Token, meQuery), "me.role"); got != "ADMIN" {
			t.Fatalf("first account role = %v, want ADMIN", got)
		}
		bob := s.Signup(t, "Bob")
		me := s.MustQuery(t, bob.Token, meQuery)
		if got := st.Get(me, "me.role"); got != "PENDING" {
			t.Fatalf("second account role = %v, want PENDING", got)
		}
		if got := st.Get(me, "me.email"); got != bob.Email {
			t.Fatalf("own email = %v, want %v", got, bob.Email)
		}
		wantCode(t, s.Query(t, bob.Token, `{ myPermissions }`), "FORBIDDEN")
		wantCode(t, s.Query(t, bob.Token, `{ hasPermission(key: "chat.delete") }`), "FORBIDDEN")

		s.SetRole(t, bob.ID, "USER")
		d := s.MustQuery(t, bob.Token, `{ myPermissions hasPermission(key: "chat.delete") }`)
		if st.Get(d, "hasPermission") != true || st.Get(d, "myPermissions.chat.delete") != true {
			t.Fatalf("approved user permissions: %v", d)
		}
		wantCode(t, s.Query(t, "", `{ myPermissions }`), "UNAUTHENTICATED")
		if got := s.MustQuery(t, "", meQuery)["me"]; got != nil {
			t.Fatalf("anonymous me = %v, want null", got)
		}
	})
}

func TestSignupValidation(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		s.Signup(t, "Ada")
		signup := `mutation($in: SignupInput!) { signup(input: $in) { user { email } } }`
		cases := []struct {
			name, email, password, code, field string
		}{
			{"bad email", "not-an-email", "long enough pw", "BAD_USER_INPUT", "email"},
			{"email with name part", "Bob <bob@example.com>", "long enough pw", "BAD_USER_INPUT", "email"},
			{"short password", "bob@example.com", "short", "BAD_USER_INPUT", "password"},
			{"blank password", "bob@example.com", "          ", "BAD_USER_INPUT", "password"},
			{"duplicate email in other case", "ADA@Example.com", "long enough pw", "CONFLICT", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := s.Query(t, "", signup, "in", map[string]any{"name": "Bob", "email": c.email, "password": c.password})
				wantCode(t, r, c.code)
				if c.field != "" && r.Errors[0].Extensions["field"] != c.field {
					t.Fatalf("field = %v, want %s", r.Errors[0].Extensions["field"], c.field)
				}
			})
		}
		n, err := s.App.DB.Client.User.Query().Count(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("users after rejected sign-ups = %d (%v), want 1", n, err)
		}
		d := s.MustQuery(t, "", signup, "in", map[string]any{"name": "Cy", "email": "  Cy@Example.COM ", "password": "long enough pw"})
		if got := st.Get(d, "signup.user.email"); got != "cy@example.com" {
			t.Fatalf("stored email = %v, want lower-cased", got)
		}
	})
}

func TestSignupSettingsFromEnvironment(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		t.Run("signup disabled still lets the first account in", func(t *testing.T) {
			s := st.New(t, b, st.WithEnv(map[string]string{"ENABLE_SIGNUP": "false"}))
			s.Signup(t, "Ada")
			r := s.Query(t, "", `mutation { signup(input: {name: "B", email: "b@example.com", password: "long enough pw"}) { token } }`)
			wantCode(t, r, "FORBIDDEN")
		})
		t.Run("default role user", func(t *testing.T) {
			s := st.New(t, b, st.WithEnv(map[string]string{"DEFAULT_USER_ROLE": "user"}))
			s.Signup(t, "Ada")
			bob := s.Signup(t, "Bob")
			if got := st.Get(s.MustQuery(t, bob.Token, meQuery), "me.role"); got != "USER" {
				t.Fatalf("role = %v, want USER", got)
			}
		})
	})
}

func TestSigninCredentials(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		ada := s.Signup(t, "Ada")
		signin := `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token user { id email } } }`
		wrongPw := s.Query(t, "", signin, "e", ada.Email, "p", "wrong password")
		unknown := s.Query(t, "", signin, "e", "nobody@example.com", "p", ada.Password)
		wantCode(t, wrongPw, "UNAUTHENTICATED")
		wantCode(t, unknown, "UNAUTHENTICATED")
		if wrongPw.Errors[0].Message != unknown.Errors[0].Message {
			t.Fatalf("messages differ: %q vs %q (they reveal which emails exist)", wrongPw.Errors[0].Message, unknown.Errors[0].Message)
		}
		r := s.Query(t, "", signin, "e", strings.ToUpper(ada.Email), "p", ada.Password)
		if len(r.Errors) > 0 || st.Get(r.Data, "signin.user.email") != ada.Email {
			t.Fatalf("sign-in with upper-case email: %s", r.Raw)
		}
		var cookie string
		for _, c := range r.Cookies {
			if c.Name == "token" {
				cookie = c.Value
				if !c.HttpOnly {
					t.Fatalf("token cookie is not httpOnly")
				}
			}
		}
		if cookie == "" {
			t.Fatalf("sign-in set no token cookie")
		}
		viaCookie := s.Do(t, st.Request{Query: meQuery, Cookie: cookie})
		if st.Get(viaCookie.Data, "me.id") != ada.ID {
			t.Fatalf("cookie auth: %s", viaCookie.Raw)
		}
	})
}

func TestBcryptHashFromOpenWebUIIsUpgraded(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		ada := s.Signup(t, "Ada")
		ctx := authz.AsOperator(context.Background())
		hash, _ := bcrypt.GenerateFromPassword([]byte("imported password"), bcrypt.MinCost)
		if err := s.App.DB.Client.Credential.Update().Where(credential.UserID(ada.ID)).SetPasswordHash(string(hash)).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		s.MustQuery(t, "", `mutation { signin(input: {email: "ada@example.com", password: "imported password"}) { token } }`)
		c, err := s.App.DB.Client.Credential.Query().Where(credential.UserID(ada.ID)).Only(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(c.PasswordHash, "$argon2id$") {
			t.Fatalf("hash after sign-in = %.10s..., want argon2id", c.PasswordHash)
		}
		s.MustQuery(t, "", `mutation { signin(input: {email: "ada@example.com", password: "imported password"}) { token } }`)
	})
}

// forge signs claims with the given method and key, for tokens the server must refuse.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestRefusedTokens(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Now())
		s := st.New(t, b, st.WithClock(clock.Now), st.WithEnv(map[string]string{"JWT_EXPIRES_IN": "1h"}))
		ada := s.Signup(t, "Ada")
		parts := strings.Split(ada.Token, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var claims map[string]any
		_ = json.Unmarshal(payload, &claims)
		other := map[string]any{}
		for k, v := range claims {
			other[k] = v
		}
		other["id"] = "someone-else"
		otherPayload, _ := json.Marshal(other)
		noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))

		cases := map[string]string{
			"tampered payload": parts[0] + "." + base64.RawURLEncoding.EncodeToString(otherPayload) + "." + parts[2],
			"wrong secret":     forge(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-xx"), jwt.MapClaims(claims)),
			"alg none":         noneHeader + "." + parts[1] + ".",
			"HS512":            forge(t, jwt.SigningMethodHS512, []byte(st.TestSecret), jwt.MapClaims(claims)),
			"garbage":          "not.a.token",
		}
		for name, tok := range cases {
			t.Run(name, func(t *testing.T) {
				r := s.Query(t, tok, meQuery)
				wantCode(t, r, "UNAUTHENTICATED")
				if r.Status != 401 {
					t.Fatalf("status = %d, want 401", r.Status)
				}
			})
		}
		t.Run("expired", func(t *testing.T) {
			if st.Get(s.MustQuery(t, ada.Token, meQuery), "me.id") != ada.ID {
				t.Fatal("valid token refused")
			}
			clock.Advance(61 * time.Minute)
			wantCode(t, s.Query(t, ada.Token, meQuery), "UNAUTHENTICATED")
		})
	})
}

func TestRevocation(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		ada := s.Signup(t, "Ada")
		signin := func() string {
			d := s.MustQuery(t, "", `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`, "e", ada.Email, "p", ada.Password)
			return st.Get(d, "signin.token").(string)
		}
		works := func(tok string) bool { return st.Get(s.Query(t, tok, meQuery).Data, "me.id") == ada.ID }

		t.Run("signout revokes only that token", func(t *testing.T) {
			a, b := signin(), signin()
			s.MustQuery(t, a, `mutation { signout }`)
			if works(a) || !works(b) {
				t.Fatalf("after signout: a works %v (want false), b works %v (want true)", works(a), works(b))
			}
		})
		t.Run("signoutEverywhere revokes all", func(t *testing.T) {
			a, b := signin(), signin()
			s.MustQuery(t, a, `mutation { signoutEverywhere }`)
			if works(a) || works(b) || works(ada.Token) {
				t.Fatal("a token still works after signoutEverywhere")
			}
		})
		t.Run("password change revokes the others", func(t *testing.T) {
			a, b := signin(), signin()
			newPw := "a brand new password"
			s.MustQuery(t, a, `mutation($p: String!, $n: String!) { updatePassword(input: {password: $p, newPassword: $n}) }`, "p", ada.Password, "n", newPw)
			if !works(a) || works(b) {
				t.Fatalf("after password change: current works %v (want true), other works %v (want false)", works(a), works(b))
			}
			r := s.Query(t, a, `mutation($p: String!, $n: String!) { updatePassword(input: {password: $p, newPassword: $n}) }`, "p", "wrong", "n", "another new password")
			wantCode(t, r, "BAD_USER_INPUT")
			ada.Password = newPw
		})
		t.Run("sessions lists live tokens and revokeSession ends one", func(t *testing.T) {
			s.MustQuery(t, signin(), `mutation { signoutEverywhere }`)
			a, b := signin(), signin()
			d := s.MustQuery(t, a, `{ sessions { id userID } }`)
			list := d["sessions"].([]any)
			if len(list) != 2 {
				t.Fatalf("live sessions = %d, want 2: %v", len(list), d)
			}
			var other string
			for _, it := range list {
				id := it.(map[string]any)["id"].(string)
				if id != sessionOf(t, a) {
					other = id
				}
			}
			s.MustQuery(t, a, `mutation($id: ID!) { revokeSession(id: $id) }`, "id", other)
			if works(b) || !works(a) {
				t.Fatal("revokeSession did not revoke exactly the other session")
			}
		})
		t.Run("demoted and deleted users", func(t *testing.T) {
			// Every request of Bob's below authenticates right after the previous one, so a
			// credential cache that missed a change would show here.
			admin := signin()
			bob := s.Signup(t, "Bob")
			s.SetRole(t, bob.ID, "USER")
			s.MustQuery(t, bob.Token, `{ myPermissions }`)
			s.MustQuery(t, admin, `mutation($id: ID!) { updateUser(id: $id, input: {role: PENDING}) { id } }`, "id", bob.ID)
			wantCode(t, s.Query(t, bob.Token, `{ myPermissions }`), "FORBIDDEN")
			s.MustQuery(t, admin, `mutation($id: ID!) { updateUser(id: $id, input: {role: USER}) { id } }`, "id", bob.ID)
			s.MustQuery(t, bob.Token, `{ myPermissions }`)
			s.MustQuery(t, admin, `mutation($id: ID!) { deleteUser(id: $id) }`, "id", bob.ID)
			wantCode(t, s.Query(t, bob.Token, meQuery), "UNAUTHENTICATED")
		})
	})
}

// sessionOf reads the jti of a token.
func sessionOf(t *testing.T, token string) string {
	t.Helper()
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	var c struct {
		JTI string `json:"jti"`
	}
	_ = json.Unmarshal(payload, &c)
	return c.JTI
}

func TestConcurrentFirstSignupsMakeOneAdmin(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		const n = 8
		errc := make(chan error, n)
		for i := range n {
			go func() {
				r := s.Query(t, "", `mutation($e: String!) { signup(input: {name: "X", email: $e, password: "long enough pw"}) { token } }`,
					"e", "user"+strings.Repeat("x", i)+"@example.com")
				if len(r.Errors) > 0 {
					errc <- errors.New(r.Raw)
					return
				}
				errc <- nil
			}()
		}
		for range n {
			if err := <-errc; err != nil {
				t.Fatalf("concurrent sign-up failed: %v", err)
			}
		}
		admins, err := s.App.DB.Client.User.Query().Where(user.RoleEQ(user.RoleADMIN)).Count(context.Background())
		if err != nil || admins != 1 {
			t.Fatalf("admins after %d concurrent first sign-ups = %d (%v), want 1", n, admins, err)
		}
	})
}
