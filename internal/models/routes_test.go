package models_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/models"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/settings"
)

// A route is answered from memory while the write count stands and the TTL has not passed;
// which answer came from memory shows through a change made straight through SQL, which no count
// sees. Refusals are kept like routes, and a call made as an actor is never answered from memory.
func TestRouteCacheKeepsRoutesWhileNothingIsWritten(t *testing.T) {
	d := dbtest.NewDB(t, dbtest.SQLite)
	sys := authz.AsOperator(context.Background())
	log := audit.New(d, time.Now)
	svc, err := models.New(models.Config{Client: d.Client, Audit: log, Perms: permissions.New(d.Client, settings.NewStore(d.Client), log)})
	if err != nil {
		t.Fatal(err)
	}
	var writes atomic.Uint64
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	routes, err := models.NewRouteCache(svc, models.RouteCacheConfig{Writes: writes.Load, TTL: time.Minute, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		id   string
		role user.Role
	}{{"ada", user.RoleADMIN}, {"bob", user.RoleUSER}} {
		if _, err := d.Client.User.Create().SetID(u.id).SetName(u.id).SetEmail(u.id + "@example.com").SetRole(u.role).Save(sys); err != nil {
			t.Fatal(err)
		}
	}
	ada := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "ada", Role: auth.RoleAdmin})
	create := func(id string) {
		t.Helper()
		if _, err := svc.Create(ada, models.CreateInput{ID: id, Name: id}); err != nil { // public: no access control
			t.Fatal(err)
		}
	}
	create("m")
	setActive := func(on bool) {
		t.Helper()
		if _, err := d.SQL.ExecContext(sys, db.Rebind(d.Dialect, `UPDATE models SET is_active = ? WHERE id = ?`), on, "m"); err != nil {
			t.Fatal(err)
		}
	}
	bob := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "bob", Role: auth.RoleUser})
	active := func(ctx context.Context) bool {
		t.Helper()
		r, err := routes.Route(ctx, "m")
		if err != nil {
			t.Fatal(err)
		}
		return r.Active
	}

	if !active(bob) {
		t.Fatal("a new model is not active")
	}
	setActive(false)
	if !active(bob) {
		t.Fatal("a route was read again with nothing written")
	}
	writes.Add(1)
	if active(bob) {
		t.Fatal("a route was kept after a write")
	}
	setActive(true)
	now = now.Add(time.Minute)
	if !active(bob) {
		t.Fatal("a route was kept past its TTL")
	}
	setActive(false)
	if active(authz.As(bob, authz.Models)) {
		t.Fatal("a call made as an actor was answered from memory")
	}

	if _, err := routes.Route(bob, "missing"); errs.CodeOf(err) != errs.CodeNotFound {
		t.Fatalf("a model that does not exist: %v, want NOT_FOUND", err)
	}
	create("missing")
	if _, err := routes.Route(bob, "missing"); errs.CodeOf(err) != errs.CodeNotFound {
		t.Fatalf("a refusal was not kept while the count stood: %v", err)
	}
	writes.Add(1)
	if _, err := routes.Route(bob, "missing"); err != nil {
		t.Fatalf("a refusal was kept after a write: %v", err)
	}
	if _, err := routes.Route(context.Background(), "m"); errs.CodeOf(err) != errs.CodeUnauthenticated {
		t.Fatalf("an anonymous caller: %v, want UNAUTHENTICATED", err)
	}
}
