package sessions

import (
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/auth"
)

func TestCredentialCache(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	bob := &auth.Viewer{UserID: "bob", Role: auth.RoleUser, SessionID: "s1"}

	t.Run("remembers until the TTL or the credential's expiry", func(t *testing.T) {
		c := newCredentialCache(10 * time.Second)
		c.put("s:s1", bob, c.begin(), now, nil)
		if v, ok := c.get("s:s1", now.Add(9*time.Second)); !ok || *v != *bob {
			t.Fatalf("get before the TTL = %v, %v", v, ok)
		}
		if _, ok := c.get("s:s1", now.Add(10*time.Second)); ok {
			t.Error("still cached at the TTL")
		}
		expires := now.Add(time.Second)
		c.put("s:s2", bob, c.begin(), now, &expires)
		if _, ok := c.get("s:s2", expires); ok {
			t.Error("still cached when the credential expired")
		}
	})
	t.Run("a copy, so callers cannot change the cached viewer", func(t *testing.T) {
		c := newCredentialCache(time.Minute)
		c.put("s:s1", bob, c.begin(), now, nil)
		v, _ := c.get("s:s1", now)
		v.Role = auth.RoleAdmin
		if v, _ := c.get("s:s1", now); v.Role != auth.RoleUser {
			t.Errorf("cached role = %s", v.Role)
		}
	})
	t.Run("invalidate drops every credential of the user only", func(t *testing.T) {
		c := newCredentialCache(time.Minute)
		c.put("s:s1", bob, c.begin(), now, nil)
		c.put("k:h", &auth.Viewer{UserID: "bob", Role: auth.RoleUser, APIKeyID: "k"}, c.begin(), now, nil)
		c.put("s:s9", &auth.Viewer{UserID: "ada", Role: auth.RoleAdmin, SessionID: "s9"}, c.begin(), now, nil)
		c.invalidate("bob")
		_, s1 := c.get("s:s1", now)
		_, k := c.get("k:h", now)
		_, s9 := c.get("s:s9", now)
		if s1 || k || !s9 {
			t.Errorf("after invalidating bob: s1 %v, key %v (want both gone), ada %v (want kept)", s1, k, s9)
		}
	})
	t.Run("a read from before an invalidation is not stored", func(t *testing.T) {
		c := newCredentialCache(time.Minute)
		gen := c.begin() // the lookup reads the database here ...
		c.invalidate("bob")
		c.put("s:s1", bob, gen, now, nil) // ... and stores what it read after the revocation
		if _, ok := c.get("s:s1", now); ok {
			t.Error("a credential read before its revocation was cached")
		}
	})
	t.Run("disabled", func(t *testing.T) {
		c := newCredentialCache(0)
		c.put("s:s1", bob, c.begin(), now, nil)
		c.invalidate("bob")
		if _, ok := c.get("s:s1", now); ok {
			t.Error("a disabled cache returned a viewer")
		}
	})
}
