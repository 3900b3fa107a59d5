// Package settings persists steward's system configuration as JSON sections in the config_entries
// table, with Open WebUI's semantics: a value from the environment seeds a section on first start,
// after that the database wins, and changes apply at once.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
)

// Store reads and writes configuration sections, caching them in memory: every section's JSON,
// and the sections read on every request (rate limits, authentication) decoded.
type Store struct {
	client *ent.Client

	mu    sync.RWMutex
	cache map[string]json.RawMessage
	// gen counts invalidations. A read that started before one stores nothing it read, and a
	// decoded section remembers the gen it was read at: a change anywhere retires them all.
	gen     atomic.Uint64
	decoded sync.Map // key → decodedSection

	// published is called with each key after its change commits, to tell other replicas.
	published func(key string)
}

// NewStore returns a Store over client.
func NewStore(client *ent.Client) *Store {
	return &Store{client: client, cache: map[string]json.RawMessage{}}
}

// Get decodes section key into dst. found is false when the section was never stored.
func (s *Store) Get(ctx context.Context, key string, dst any) (found bool, err error) {
	s.mu.RLock()
	raw, ok := s.cache[key]
	s.mu.RUnlock()
	if !ok {
		gen := s.gen.Load()
		e, err := s.client.ConfigEntry.Get(authz.As(ctx, authz.Settings), key)
		if ent.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("reading setting %s: %w", key, err)
		}
		raw = e.Value
		s.mu.Lock()
		if s.gen.Load() == gen { // else a change committed while this read ran: it may be older
			s.cache[key] = raw
		}
		s.mu.Unlock()
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return false, fmt.Errorf("decoding setting %s: %w", key, err)
	}
	return true, nil
}

// Set stores value as section key, in ctx's transaction when there is one. The cache is updated
// only after the commit, so a rolled-back change is never served.
func (s *Store) Set(ctx context.Context, key string, value any) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("encoding setting %s: %w", key, err)
	}
	updatedBy := ""
	if v := auth.ViewerFrom(ctx); v != nil {
		updatedBy = v.UserID
	}
	c := db.ClientFrom(ctx, s.client)
	err = c.ConfigEntry.Create().SetID(key).SetValue(raw).SetUpdatedBy(updatedBy).
		OnConflictColumns("id").
		Update(func(u *ent.ConfigEntryUpsert) {
			u.UpdateValue()
			u.UpdateUpdatedBy()
			u.UpdateUpdatedAt()
			u.AddVersion(1)
		}).
		Exec(authz.As(ctx, authz.Settings))
	if err != nil {
		return fmt.Errorf("storing setting %s: %w", key, err)
	}
	db.AfterCommit(ctx, func() {
		s.Invalidate(key)
		s.mu.RLock()
		publish := s.published
		s.mu.RUnlock()
		if publish != nil {
			publish(key)
		}
	})
	return nil
}

// Seed stores value as section key only when the key has never been stored: environment values
// seed the database once, and the database wins after that.
func (s *Store) Seed(ctx context.Context, key string, value any) error {
	if err := authz.Require(ctx, authz.SeedSettings); err != nil {
		return err
	}
	raw, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("encoding setting %s: %w", key, err)
	}
	err = s.client.ConfigEntry.Create().SetID(key).SetValue(raw).
		OnConflictColumns("id").Ignore().Exec(authz.As(ctx, authz.Settings))
	if err != nil {
		return fmt.Errorf("seeding setting %s: %w", key, err)
	}
	s.Invalidate(key)
	return nil
}

// Invalidate drops the cached value of key, so the next Get reads the database.
func (s *Store) Invalidate(key string) {
	s.mu.Lock()
	delete(s.cache, key)
	s.gen.Add(1)
	s.mu.Unlock()
}

// InvalidateAll drops every cached value.
func (s *Store) InvalidateAll() {
	s.mu.Lock()
	clear(s.cache)
	s.gen.Add(1)
	s.mu.Unlock()
}

// decodedSection is a section's value as decoded at generation gen of its Store.
type decodedSection struct {
	gen   uint64
	value any
}

// getDecoded is Get for the sections read on every request: it decodes key into a T (starting
// from def, the defaults) once per change instead of at every call. T is returned by value, so
// it must hold no map, slice or pointer a caller could change under the others.
func getDecoded[T any](ctx context.Context, s *Store, key string, def func() T) (T, error) {
	gen := s.gen.Load()
	if d, ok := s.decoded.Load(key); ok {
		if d := d.(decodedSection); d.gen == gen {
			return d.value.(T), nil
		}
	}
	v := def()
	if _, err := s.Get(ctx, key, &v); err != nil {
		var zero T
		return zero, err
	}
	s.decoded.Store(key, decodedSection{gen: gen, value: v})
	return v, nil
}

// RateLimits returns the current rate limits.
func (s *Store) RateLimits(ctx context.Context) (RateLimits, error) {
	return getDecoded(ctx, s, RateLimitsKey, DefaultRateLimits)
}
