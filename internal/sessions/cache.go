package sessions

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/events"
)

// maxCachedCredentials bounds the cache; when it is full it starts over, which only costs the
// reads it saved.
const maxCachedCredentials = 50_000

// credentialCache remembers, for a few seconds, whom a credential authenticated, so that a client
// sending thousands of requests a second (the LLM gateway, the admin UI) does not cost a session
// read per request.
//
// Every change to a credential is announced on the event bus once it commits
// (Service.CredentialsChanged), and every replica's cache drops that user's entries when the
// announcement reaches it: at once on this replica, within Redis's delivery time on the others.
// The TTL bounds what a lost announcement (Redis unreachable) or an edit made behind the service's
// back (by hand in the database) can outlive; when the bus reconnects the cache starts over.
type credentialCache struct {
	ttl time.Duration

	mu      sync.RWMutex
	entries map[string]cachedCredential
	// generation grows on every invalidation. A lookup that read the database before an
	// invalidation must not store what it read after it, or a revoked credential would be
	// remembered as valid.
	generation atomic.Uint64
}

type cachedCredential struct {
	viewer auth.Viewer
	until  time.Time
}

func newCredentialCache(ttl time.Duration) *credentialCache {
	if ttl <= 0 {
		return nil
	}
	return &credentialCache{ttl: ttl, entries: map[string]cachedCredential{}}
}

// get returns a copy of the viewer cached under key, if it is still fresh at now.
func (c *credentialCache) get(key string, now time.Time) (*auth.Viewer, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) {
		return nil, false
	}
	v := e.viewer
	return &v, true
}

// begin returns the generation to hand to put after reading the database.
func (c *credentialCache) begin() uint64 {
	if c == nil {
		return 0
	}
	return c.generation.Load()
}

// put caches v under key until now+ttl, or until expires when that comes first, unless an
// invalidation happened since gen was taken.
func (c *credentialCache) put(key string, v *auth.Viewer, gen uint64, now time.Time, expires *time.Time) {
	if c == nil {
		return
	}
	until := now.Add(c.ttl)
	if expires != nil && expires.Before(until) {
		until = *expires
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.generation.Load() != gen {
		return
	}
	if len(c.entries) >= maxCachedCredentials {
		c.entries = map[string]cachedCredential{}
	}
	c.entries[key] = cachedCredential{viewer: *v, until: until}
}

// follow keeps the cache coherent with the credential changes every replica announces on bus
// (this one's included), and starts it over when the bus says it may have missed some.
func (c *credentialCache) follow(bus events.Bus) error {
	if c == nil {
		return nil
	}
	if _, err := bus.Listen(events.CredentialsTopic, "", func(e events.Event) { c.invalidate(e.Key) }); err != nil {
		return fmt.Errorf("following credential changes: %w", err)
	}
	if _, err := bus.Listen(events.ReconnectedTopic, "", func(events.Event) { c.clear() }); err != nil {
		return fmt.Errorf("following credential changes: %w", err)
	}
	return nil
}

// clear forgets every credential.
func (c *credentialCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation.Add(1)
	c.entries = map[string]cachedCredential{}
}

// invalidate forgets every credential of userID.
func (c *credentialCache) invalidate(userID string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation.Add(1)
	for k, e := range c.entries {
		if e.viewer.UserID == userID {
			delete(c.entries, k)
		}
	}
}
