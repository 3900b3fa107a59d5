package authz

import (
	"context"
	"errors"
	"testing"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/errs"
)

// grants is a Permissions that holds the keys it lists, for every verified viewer.
type grants []string

func (g grants) Has(_ context.Context, _ *auth.Viewer, key string) (bool, error) {
	for _, k := range g {
		if k == key {
			return true, nil
		}
	}
	return false, nil
}

type failing struct{}

func (failing) Has(context.Context, *auth.Viewer, string) (bool, error) {
	return false, errors.New("database down")
}

func TestRequire(t *testing.T) {
	var (
		admin   = &auth.Viewer{UserID: "a", Role: auth.RoleAdmin}
		alice   = &auth.Viewer{UserID: "alice", Role: auth.RoleUser}
		pending = &auth.Viewer{UserID: "p", Role: auth.RolePending}
	)
	cases := []struct {
		name   string
		viewer *auth.Viewer
		actor  *Actor
		cap    Capability
		want   errs.Code // "" means allowed
	}{
		{"anonymous", nil, nil, UseAccount, errs.CodeUnauthenticated},
		{"pending is not a user", pending, nil, UseAccount, errs.CodeForbidden},
		{"user uses their account", alice, nil, UseAccount, ""},
		{"admin is above user", admin, nil, UseAccount, ""},
		{"user does not manage users", alice, nil, ManageUsers, errs.CodeForbidden},
		{"admin manages users", admin, nil, ManageUsers, ""},
		{"owner sees own usage", alice, nil, SeeUsage("alice"), ""},
		{"user does not see another's usage", alice, nil, SeeUsage("bob"), errs.CodeForbidden},
		{"admin sees anyone's usage", admin, nil, SeeUsage("bob"), ""},
		{"pending owner may not see usage", pending, nil, SeeUsage("p"), errs.CodeForbidden},
		{"pending owner manages credentials", pending, nil, ManageCredentials("p"), ""},
		{"permission grants metering", alice, nil, MeterUsage(grants{UsageWritePermission}), ""},
		{"no permission, no metering", alice, nil, MeterUsage(grants{}), errs.CodeForbidden},
		{"admin meters without the key", admin, nil, MeterUsage(grants{}), ""},
		{"pending never holds a permission", pending, nil, MeterUsage(grants{UsageWritePermission}), errs.CodeForbidden},
		{"owner checks own quota", alice, nil, CheckQuota(grants{}, "alice"), ""},
		{"permission checks anyone's quota", alice, nil, CheckQuota(grants{UsageWritePermission}, "bob"), ""},
		{"renewer runs billing jobs", nil, Renewer, RunBillingJobs, ""},
		{"webhook may not run billing jobs", nil, Webhook, RunBillingJobs, errs.CodeUnauthenticated},
		{"admin may not run billing jobs", admin, nil, RunBillingJobs, errs.CodeForbidden},
		{"actor adds to the viewer", alice, Billing, UseAccount, ""},
		{"an actor does not lend what it lacks", alice, Billing, ManageUsers, errs.CodeForbidden},
		{"operator holds everything", nil, Operator, ManagePlans, ""},
		{"zero capability is nobody's", admin, nil, Capability{}, errs.CodeForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := auth.WithViewer(context.Background(), c.viewer)
			if c.actor != nil {
				ctx = As(ctx, c.actor)
			}
			err := Require(ctx, c.cap)
			got := errs.Code("")
			if err != nil {
				got = errs.CodeOf(err)
			}
			if got != c.want {
				t.Fatalf("Require(%s) = %v; want code %q", c.cap, err, c.want)
			}
		})
	}
}

func TestRequirePermissionLookupFails(t *testing.T) {
	ctx := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "u", Role: auth.RoleUser})
	err := Require(ctx, MeterUsage(failing{}))
	if err == nil || errs.CodeOf(err) == errs.CodeForbidden {
		t.Fatalf("a failing permission lookup gave %v; want an internal error, not a refusal or a pass", err)
	}
}

func TestMayReadField(t *testing.T) {
	admin := &auth.Viewer{UserID: "a", Role: auth.RoleAdmin}
	alice := &auth.Viewer{UserID: "alice", Role: auth.RoleUser}
	cases := []struct {
		name   string
		viewer *auth.Viewer
		field  string
		owner  string
		want   bool
	}{
		{"public field", nil, "User.name", "alice", true},
		{"owner reads own email", alice, "User.email", "alice", true},
		{"another user does not", alice, "User.email", "bob", false},
		{"anonymous does not", nil, "User.email", "bob", false},
		{"admin reads any email", admin, "User.email", "bob", true},
		{"owner does not read own lock", alice, "User.lockedUntil", "alice", false},
		{"admin reads a lock", admin, "User.lockedUntil", "bob", true},
		{"no owner, no owner rule", alice, "User.email", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := MayReadField(auth.WithViewer(context.Background(), c.viewer), c.field, c.owner)
			if got != c.want {
				t.Fatalf("MayReadField(%s, owner %q) = %v; want %v", c.field, c.owner, got, c.want)
			}
		})
	}
}

func TestActorTables(t *testing.T) {
	ctx := As(context.Background(), AuditWriter)
	if !actorWrites(ctx, "AuditLog") || !actorReads(ctx, "AuditLog") {
		t.Fatal("the audit writer must append to and read the audit log")
	}
	if actorReads(ctx, "Credential") || actorWrites(ctx, "User") {
		t.Fatal("the audit writer must not reach credentials or accounts")
	}
	if actorReads(context.Background(), "User") {
		t.Fatal("no actor, no actor rights")
	}
}
