package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const signinMutation = `mutation($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`

// TestLockoutCannotBeWeaponised: failures lock out the address they come from, not the owner
// signing in from elsewhere; a locked account answers exactly as an unknown one does; and only a
// much larger number of failures from many addresses locks the account as a whole.
func TestLockoutCannotBeWeaponised(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		clock := st.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
		s := st.New(t, b, st.WithClock(clock.Now), st.WithEnv(map[string]string{"STEWARD_TRUST_PROXY": "true"}))
		admin := s.Signup(t, "Ada")
		signin := func(from, email, password string) *st.Response {
			t.Helper()
			return s.Do(t, st.Request{Query: signinMutation, Variables: map[string]any{"e": email, "p": password},
				Header: map[string]string{"X-Forwarded-For": from}})
		}
		const attacker, owner = "203.0.113.9", "198.51.100.7"

		t.Run("failures elsewhere do not lock the owner out", func(t *testing.T) {
			for range 20 {
				wantCode(t, signin(attacker, admin.Email, "guess"), "UNAUTHENTICATED")
			}
			if r := signin(attacker, admin.Email, admin.Password); r.Code() != "UNAUTHENTICATED" {
				t.Fatalf("the attacker's address is not locked out: %s", r.Raw)
			}
			if r := signin(owner, admin.Email, admin.Password); len(r.Errors) > 0 || st.Get(r.Data, "signin.token") == nil {
				t.Fatalf("owner from their own address: %s, want a token", r.Raw)
			}
		})

		t.Run("a locked account answers as an unknown one", func(t *testing.T) {
			locked := signin(attacker, admin.Email, admin.Password)
			unknown := signin(attacker, "nobody@example.com", admin.Password)
			if len(locked.Errors) != 1 || len(unknown.Errors) != 1 {
				t.Fatalf("locked: %s, unknown: %s, want one error each", locked.Raw, unknown.Raw)
			}
			got, want := locked.Errors[0], unknown.Errors[0]
			if got.Message != want.Message || fmt.Sprint(got.Extensions) != fmt.Sprint(want.Extensions) || locked.Status != unknown.Status {
				t.Errorf("locked account = %d %q %v, unknown account = %d %q %v, want the same",
					locked.Status, got.Message, got.Extensions, unknown.Status, want.Message, want.Extensions)
			}
			if h := locked.Header.Get("Retry-After"); h != unknown.Header.Get("Retry-After") {
				t.Errorf("Retry-After = %q for the locked account, %q for the unknown one", h, unknown.Header.Get("Retry-After"))
			}
			// The admin still sees the lock of the attacker's address.
			v := st.Get(s.MustQuery(t, admin.Token, lockQuery, "id", admin.ID), "node.lockedUntil")
			if v == nil {
				t.Fatal("lockedUntil = null, want the address's lock")
			}
		})

		t.Run("the account-wide ceiling still locks", func(t *testing.T) {
			bob := s.Signup(t, "Bob")
			s.SetRole(t, bob.ID, "USER")
			// 49 failures from ten addresses, five at most from each: nothing locks the owner.
			for i := range 49 {
				wantCode(t, signin(fmt.Sprintf("192.0.2.%d", i/5+1), bob.Email, "guess"), "UNAUTHENTICATED")
			}
			if r := signin(owner, bob.Email, bob.Password); len(r.Errors) > 0 {
				t.Fatalf("owner after 49 failures elsewhere: %s", r.Raw)
			}
			// The success cleared the account count: 50 more from new addresses lock it.
			for i := range 50 {
				wantCode(t, signin(fmt.Sprintf("192.0.2.%d", i/5+101), bob.Email, "guess"), "UNAUTHENTICATED")
			}
			if r := signin(owner, bob.Email, bob.Password); r.Code() != "UNAUTHENTICATED" {
				t.Fatalf("owner after 50 failures from many addresses: %s, want the account locked", r.Raw)
			}
			v := st.Get(s.MustQuery(t, admin.Token, lockQuery, "id", bob.ID), "node.lockedUntil")
			until, _ := v.(string)
			if got, err := time.Parse(time.RFC3339, until); err != nil || got.Sub(clock.Now()) != 15*time.Minute {
				t.Fatalf("lockedUntil = %v, want 15 minutes from now", v)
			}
			// Shorter than an address's lock: once it ends the owner is back.
			clock.Advance(15*time.Minute + time.Second)
			if r := signin(owner, bob.Email, bob.Password); len(r.Errors) > 0 {
				t.Fatalf("owner after the account lock ended: %s", r.Raw)
			}
			// An admin's unlock clears the addresses' locks too.
			for range 5 {
				wantCode(t, signin(attacker, bob.Email, "guess"), "UNAUTHENTICATED")
			}
			s.MustQuery(t, admin.Token, `mutation($id: ID!) { unlockUser(id: $id) { id } }`, "id", bob.ID)
			if r := signin(attacker, bob.Email, bob.Password); len(r.Errors) > 0 {
				t.Fatalf("after unlockUser: %s", r.Raw)
			}
		})
	})
}
