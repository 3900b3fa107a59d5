package settings_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/settings"
)

// setBehind changes a section in the database without telling store, as another replica's write
// does before its announcement arrives.
func setBehind(t *testing.T, c *ent.Client, key, value string) {
	t.Helper()
	err := c.ConfigEntry.Create().SetID(key).SetValue([]byte(value)).OnConflictColumns("id").UpdateValue().
		Exec(authz.As(context.Background(), authz.Settings))
	if err != nil {
		t.Fatal(err)
	}
}

// TestDecodedSectionsFollowChanges: the sections read on every request are decoded once and
// served from memory until a change (this store's own, or an invalidation) retires them.
func TestDecodedSectionsFollowChanges(t *testing.T) {
	ctx := context.Background()
	d := dbtest.NewDB(t, dbtest.SQLite)
	store := settings.NewStore(d.Client)

	r, err := store.RateLimits(ctx)
	if err != nil || r != settings.DefaultRateLimits() {
		t.Fatalf("RateLimits on an empty database = %+v, %v; want the defaults", r, err)
	}
	changed := settings.DefaultRateLimits()
	changed.MutationsPerUser.Rate = 7
	if err := store.Set(ctx, settings.RateLimitsKey, changed); err != nil {
		t.Fatal(err)
	}
	if r, _ := store.RateLimits(ctx); r != changed {
		t.Fatalf("after Set, RateLimits = %+v; want %+v", r, changed)
	}

	// A change the store was not told of is not seen: the section is served from memory...
	setBehind(t, d.Client, settings.RateLimitsKey, `{"enabled": false}`)
	if r, _ := store.RateLimits(ctx); r != changed {
		t.Fatalf("RateLimits read the database again: %+v", r)
	}
	// ...until it is invalidated, as a replica's announcement does.
	store.Invalidate(settings.RateLimitsKey)
	if r, _ := store.RateLimits(ctx); r.Enabled || r.MutationsPerUser != settings.DefaultRateLimits().MutationsPerUser {
		t.Fatalf("after Invalidate, RateLimits = %+v; want the stored section over the defaults", r)
	}

	// A value given out is a copy: changing it changes nobody else's.
	a, _ := store.Auth(ctx)
	a.EnableSignup = !a.EnableSignup
	if b, _ := store.Auth(ctx); b.EnableSignup == a.EnableSignup {
		t.Fatal("a caller's change to its Auth reached the store's")
	}
}

// TestReadRacingAChangeIsNotKept: a read that ran while a change was invalidated must not keep
// what it read, which may be older than the change.
func TestReadRacingAChangeIsNotKept(t *testing.T) {
	ctx := context.Background()
	d := dbtest.NewDB(t, dbtest.SQLite)
	store := settings.NewStore(d.Client)
	setBehind(t, d.Client, settings.RateLimitsKey, `{"enabled": false}`)

	// The first read of the section gets the old row; before it returns, another writer changes
	// the row and invalidates the store, as Set does after its commit.
	var raced atomic.Bool
	d.Client.ConfigEntry.Intercept(ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			v, err := next.Query(ctx, q)
			if raced.CompareAndSwap(false, true) {
				setBehind(t, d.Client, settings.RateLimitsKey, `{"enabled": true}`)
				store.Invalidate(settings.RateLimitsKey)
			}
			return v, err
		})
	}))
	if r, _ := store.RateLimits(ctx); r.Enabled {
		t.Fatalf("the racing read returned %+v; want what it read (disabled)", r)
	}
	if r, _ := store.RateLimits(ctx); !r.Enabled {
		t.Fatal("the store kept the read that raced the change: rate limits still disabled")
	}
	var raw map[string]any
	if _, err := store.Get(ctx, settings.RateLimitsKey, &raw); err != nil || raw["enabled"] != true {
		t.Fatalf("Get after the race = %v, %v; want enabled", raw, err)
	}
}
