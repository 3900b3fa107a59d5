package server_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
)

// headerServer trusts the identity headers from proxies in cidr; the test client connects from
// 127.0.0.1.
func headerServer(t *testing.T, b dbtest.Backend, cidr string) *st.Server {
	t.Helper()
	return st.New(t, b, func(c *config.Config, _ *server.Options) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix(cidr)}
		c.External.TrustedEmailHeader = "X-Forwarded-Email"
		c.External.TrustedNameHeader = "X-Forwarded-User"
		c.External.TrustedGroupsHeader = "X-Forwarded-Groups"
	})
}

func asProxy(email, name, groups string) map[string]string {
	return map[string]string{"X-Forwarded-Email": email, "X-Forwarded-User": name, "X-Forwarded-Groups": groups}
}

func TestTrustedHeaders(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		t.Run("from a trusted proxy the header signs the user in", func(t *testing.T) {
			s := headerServer(t, b, "127.0.0.1/32")
			r := s.Do(t, st.Request{Query: `{ me { id email name role } }`, Header: asProxy("Root@Example.com", "Root", "")})
			if r.Code() != "" || st.Get(r.Data, "me.email") != "root@example.com" || st.Get(r.Data, "me.role") != "ADMIN" {
				t.Fatalf("header sign-in answered %s, want root@example.com as the first account (ADMIN)", r.Raw)
			}
			var token string
			for _, c := range r.Cookies {
				if c.Name == "token" {
					token = c.Value
				}
			}
			if token == "" {
				t.Fatal("header sign-in set no session cookie")
			}
			// The cookie now carries the session: the same user is not signed in again.
			again := s.Do(t, st.Request{Query: `{ me { id } sessions { id } }`, Cookie: token, Header: asProxy("root@example.com", "Root", "")})
			if again.Code() != "" || st.Get(again.Data, "me.id") != st.Get(r.Data, "me.id") {
				t.Fatalf("request with the session cookie answered %s", again.Raw)
			}
			if n := len(st.Get(again.Data, "sessions").([]any)); n != 1 {
				t.Errorf("sessions = %d, want 1: the cookie must be reused", n)
			}

			// Group sync from the header follows the OpenID Connect rules.
			eng := s.MustQuery(t, token, `mutation { createGroup(input: {name: "eng"}) { id } }`)
			engID := st.Get(eng, "createGroup.id").(string)
			bob := s.Do(t, st.Request{Query: `{ me { id role } }`, Header: asProxy("bob@example.com", "Bob", "eng, unknown")})
			bobID, _ := st.Get(bob.Data, "me.id").(string)
			if bob.Code() != "" || st.Get(bob.Data, "me.role") != "PENDING" {
				t.Fatalf("second header user answered %s, want a PENDING account", bob.Raw)
			}
			sources := func() map[string]string {
				ms, err := s.App.DB.Client.Membership.Query().Where(membership.UserID(bobID)).All(authz.AsOperator(context.Background()))
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]string{}
				for _, m := range ms {
					out[m.GroupID] = m.Source
				}
				return out
			}
			if got := sources(); len(got) != 1 || got[engID] != "header" {
				t.Errorf("bob's memberships = %v, want eng from the header", got)
			}
			s.Do(t, st.Request{Query: `{ me { id } }`, Header: asProxy("bob@example.com", "Bob", "")})
			if got := sources(); len(got) != 0 {
				t.Errorf("after an empty groups header bob's memberships = %v, want none", got)
			}

			// A token of another user than the header names is refused.
			other := s.Do(t, st.Request{Query: `{ me { id } }`, Token: token, Header: asProxy("bob@example.com", "Bob", "")})
			if other.Code() != "UNAUTHENTICATED" || other.Status != 401 {
				t.Errorf("root's token with bob's header answered %d %s, want 401 UNAUTHENTICATED", other.Status, other.Raw)
			}
		})

		t.Run("from any other address the headers are ignored", func(t *testing.T) {
			s := headerServer(t, b, "10.0.0.0/8")
			r := s.Do(t, st.Request{Query: `{ me { id } }`, Header: asProxy("root@example.com", "Root", "eng")})
			if r.Code() != "" || st.Get(r.Data, "me") != nil {
				t.Errorf("header from an untrusted address answered %s, want an anonymous caller", r.Raw)
			}
			n, err := s.App.DB.Client.User.Query().Count(authz.AsOperator(context.Background()))
			if err != nil || n != 0 {
				t.Errorf("untrusted header created %d accounts (%v)", n, err)
			}
		})

		t.Run("the normal sign-up rules apply", func(t *testing.T) {
			s := st.New(t, b, st.WithEnv(map[string]string{"ENABLE_SIGNUP": "false", "STEWARD_TRUSTED_PROXIES": "127.0.0.1",
				"WEBUI_AUTH_TRUSTED_EMAIL_HEADER": "X-Forwarded-Email"}))
			s.Signup(t, "Admin")
			r := s.Do(t, st.Request{Query: `{ me { id } }`, Header: asProxy("new@example.com", "", "")})
			if r.Code() != "FORBIDDEN" || r.Errors[0].Extensions["reason"] != "signup_disabled" {
				t.Errorf("header sign-up with sign-up closed answered %s, want FORBIDDEN signup_disabled", r.Raw)
			}
			bad := s.Do(t, st.Request{Query: `{ me { id } }`, Header: asProxy("not an email", "", "")})
			if bad.Code() != "UNAUTHENTICATED" {
				t.Errorf("a malformed header answered %s, want UNAUTHENTICATED", bad.Raw)
			}
		})
	})
}
