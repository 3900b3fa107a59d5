package main

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const signinMutation = `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token user { role } } }`

// adminCommand runs `steward admin args...` as a process on the database at url.
func adminCommand(t *testing.T, bin, url, stdin string, args ...string) (stdout string, err error) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"admin"}, args...)...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "WEBUI_SECRET_KEY="+st.TestSecret)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%w: %s", err, errOut.String())
	}
	return out.String(), nil
}

// TestAdminCommands runs each steward admin command as a process against a real database, and
// checks what it did through the GraphQL API of a server on the same database: an operator locked
// out of the only admin account gets back in without editing the database.
func TestAdminCommands(t *testing.T) {
	bin := buildBinary(t)
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		url := dbtest.NewURL(t, b)
		run := func(stdin string, args ...string) string {
			t.Helper()
			out, err := adminCommand(t, bin, url, stdin, args...)
			if err != nil {
				t.Fatalf("steward admin %s: %v", strings.Join(args, " "), err)
			}
			return out
		}

		out := run("", "create-admin", "--email", "Owner@Example.com", "--name", "Owner")
		m := regexp.MustCompile(`(?m)^password: (\S+)$`).FindStringSubmatch(out)
		if m == nil || !strings.Contains(out, "created admin owner@example.com") {
			t.Fatalf("create-admin printed %q, want the account and a generated password", out)
		}
		generated := m[1]

		s := st.New(t, b, st.WithDatabaseURL(url), st.WithEnv(map[string]string{"STEWARD_TRUST_PROXY": "true"}))
		signin := func(password string) *st.Response {
			return s.Do(t, st.Request{Query: signinMutation, Variables: map[string]any{"e": "owner@example.com", "p": password},
				Header: map[string]string{"X-Forwarded-For": "198.51.100.7"}})
		}
		r := signin(generated)
		if r.Code() != "" || st.Get(r.Data, "signin.user.role") != "ADMIN" {
			t.Fatalf("signing in with the generated password: %s", r.Raw)
		}
		oldToken := st.Get(r.Data, "signin.token").(string)

		t.Run("unlock", func(t *testing.T) {
			// Five failures lock the address out (users.DefaultLockout); the database's sign-in
			// rate limits are the defaults the first command seeded, 15 per email in 3 minutes.
			for range 5 {
				signin("a wrong guess")
			}
			if r := signin(generated); r.Code() != "UNAUTHENTICATED" {
				t.Fatalf("after 5 failures the address is not locked out: %s", r.Raw)
			}
			if out := run("", "unlock", "--email", "owner@example.com"); !strings.Contains(out, "unlocked owner@example.com") {
				t.Fatalf("unlock printed %q", out)
			}
			if r := signin(generated); r.Code() != "" {
				t.Fatalf("after unlock: %s", r.Raw)
			}
		})

		t.Run("reset-password", func(t *testing.T) {
			run("a new passphrase\n", "reset-password", "--email", "owner@example.com", "--password-stdin")
			if r := signin(generated); r.Code() != "UNAUTHENTICATED" {
				t.Fatalf("the old password still works: %s", r.Raw)
			}
			if r := signin("a new passphrase"); r.Code() != "" {
				t.Fatalf("the new password: %s", r.Raw)
			}
			if r := s.Query(t, oldToken, `{ me { id } }`); r.Code() != "UNAUTHENTICATED" {
				t.Fatalf("a session from before the reset still works: %s", r.Raw)
			}
		})

		t.Run("promote and list-admins", func(t *testing.T) {
			bob := s.Signup(t, "Bob") // the second account: pending
			if out := run("", "promote", "--email", bob.Email); !strings.Contains(out, "is now an admin") {
				t.Fatalf("promote printed %q", out)
			}
			if got := st.Get(s.MustQuery(t, s.Signin(t, bob), `{ me { role } }`), "me.role"); got != "ADMIN" {
				t.Fatalf("bob's role = %v after promote", got)
			}
			out := run("", "list-admins")
			if !strings.Contains(out, "owner@example.com") || !strings.Contains(out, bob.Email) {
				t.Fatalf("list-admins printed %q", out)
			}
		})

		t.Run("audited with the actor console", func(t *testing.T) {
			token := st.Get(signin("a new passphrase").Data, "signin.token").(string)
			d := s.MustQuery(t, token, `{ auditLogs(first: 50) { edges { node { action actorID } } } }`)
			var byConsole []string
			for _, e := range st.Get(d, "auditLogs.edges").([]any) {
				if st.Get(e, "node.actorID") == "console" {
					byConsole = append(byConsole, st.Get(e, "node.action").(string))
				}
			}
			sort.Strings(byConsole)
			if got := fmt.Sprint(byConsole); !strings.Contains(got, "USER_CREATED") || !strings.Contains(got, "USER_ROLE_CHANGED") ||
				!strings.Contains(got, "USER_UPDATED") || !strings.Contains(got, "USER_UNLOCKED") {
				t.Fatalf("entries by the console = %s, want the creation, unlock, password reset and promotion", got)
			}
		})

		t.Run("refused", func(t *testing.T) {
			for _, c := range []struct {
				args []string
				want string
			}{
				{[]string{"promote", "--email", "nobody@example.com"}, "no account has the email nobody@example.com"},
				{[]string{"create-admin", "--email", "owner@example.com", "--name", "Again"}, "already"},
				{[]string{"frobnicate"}, `unknown admin command "frobnicate"`},
			} {
				if _, err := adminCommand(t, bin, url, "", c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("steward admin %s: %v, want an error saying %q", strings.Join(c.args, " "), err, c.want)
				}
			}
			// A database that a newer release migrated is refused before anything is read.
			if _, err := s.App.DB.SQL.Exec(fmt.Sprintf("UPDATE steward_schema_version SET version = %d", db.SchemaVersion+1)); err != nil {
				t.Fatal(err)
			}
			if _, err := adminCommand(t, bin, url, "", "list-admins"); err == nil || !strings.Contains(err.Error(), "newer than this steward") {
				t.Fatalf("list-admins on a newer schema: %v, want a refusal", err)
			}
		})
	})
}
