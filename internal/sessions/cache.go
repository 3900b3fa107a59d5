package sessions

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-dev/steward/internal/auth"
)

// maxCachedCredentials bounds the cache; when it is full it starts over, which only costs the
// reads it saved.
const maxCachedCredentials = 50_000

// credentialCache remembers, for a few seconds, whom a credential authenticated, so that a client
// sending thousands of requests a second (the LLM gateway, the admin UI) does not cost a session
// read per request.
//
// It is correct only where every change to a credential goes through this process: Invalidate
// drops a user's entries as soon as the change commits, and the TTL bounds what an edit made
// behind the service's back (by hand in the database) can outlive. The server therefore enables it
// only when it runs alone (no Redis); replicas read the database on every request, so a credential
// revoked on one is refused by the others at once.
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
