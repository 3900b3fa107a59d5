package users_test

import (
	"context"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/events"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/internal/users"
)

// fixture is users.Admin on a throwaway database with three accounts: the primary admin (the
// earliest), a second admin and a user.
type fixture struct {
	admin                   *users.Admin
	client                  *ent.Client
	op                      context.Context
	primary, second, member string
}

func newFixture(t *testing.T, b dbtest.Backend) *fixture {
	t.Helper()
	d := dbtest.NewDB(t, b)
	store := settings.NewStore(d.Client)
	log := audit.New(d, nil)
	perms := permissions.New(d.Client, store, log)
	bus, err := events.NewLocal(events.LocalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens([]byte("0123456789abcdef0123456789abcdef"), nil)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := sessions.New(sessions.Config{Client: d.Client, Tokens: tokens, Settings: store, Permissions: perms, Audit: log, Bus: bus})
	if err != nil {
		t.Fatal(err)
	}
	// Cheap hashing parameters: these tests are about the rules, not the hash.
	a, err := users.NewAdmin(users.AdminConfig{DB: d, Hasher: auth.Hasher{Params: auth.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}},
		Sessions: sess, Settings: store, Audit: log})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{admin: a, client: d.Client, op: authz.AsOperator(context.Background())}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	f.primary = f.account(t, "primary", user.RoleADMIN, base)
	f.second = f.account(t, "second", user.RoleADMIN, base.Add(time.Hour))
	f.member = f.account(t, "member", user.RoleUSER, base.Add(2*time.Hour))
	return f
}

// account stores an account created at the given time, which decides who the primary admin is.
func (f *fixture) account(t *testing.T, name string, role user.Role, created time.Time) string {
	t.Helper()
	u, err := f.client.User.Create().SetName(name).SetEmail(name + "@example.com").SetRole(role).SetCreatedAt(created).Save(f.op)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// as is a request of the admin id.
func as(id string) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{UserID: id, Role: auth.RoleAdmin})
}

func (f *fixture) role(t *testing.T, id string) user.Role {
	t.Helper()
	u, err := f.client.User.Get(f.op, id)
	if err != nil {
		t.Fatal(err)
	}
	return u.Role
}

func (f *fixture) auditCount(t *testing.T, entityID string) int {
	t.Helper()
	n, err := f.client.AuditLog.Query().Where(auditlog.EntityID(entityID)).Count(f.op)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAdminSafeguardsInTheService: the server always keeps an administrator. The last admin is
// the primary one (the earliest admin is always among the admins), so demoting, suspending
// (PENDING) or deleting it is refused whoever asks, and nothing is written.
func TestAdminSafeguardsInTheService(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			f := newFixture(t, b)
			update := func(viewer, target, role string) error {
				_, err := f.admin.Update(as(viewer), target, users.UpdateInput{Role: &role})
				return err
			}
			refusals := []struct {
				name           string
				do             func() error
				want           errs.Code
				target         string
				wantTargetRole user.Role
			}{
				{"another admin demotes the primary", func() error { return update(f.second, f.primary, "USER") }, errs.CodeForbidden, f.primary, user.RoleADMIN},
				{"another admin renames the primary", func() error {
					_, err := f.admin.Update(as(f.second), f.primary, users.UpdateInput{Name: ptr("Eve")})
					return err
				}, errs.CodeForbidden, f.primary, user.RoleADMIN},
				{"the primary suspends itself", func() error { return update(f.primary, f.primary, "PENDING") }, errs.CodeForbidden, f.primary, user.RoleADMIN},
				{"another admin deletes the primary", func() error { return f.admin.Delete(as(f.second), f.primary) }, errs.CodeForbidden, f.primary, user.RoleADMIN},
				{"an admin deletes itself", func() error { return f.admin.Delete(as(f.second), f.second) }, errs.CodeForbidden, f.second, user.RoleADMIN},
				{"an invalid role", func() error { return update(f.primary, f.member, "ROOT") }, errs.CodeBadUserInput, f.member, user.RoleUSER},
				{"an unknown account", func() error { return update(f.primary, "no-such-id", "USER") }, errs.CodeNotFound, f.member, user.RoleUSER},
				{"a user is no admin", func() error {
					_, err := f.admin.Update(auth.WithViewer(context.Background(), &auth.Viewer{UserID: f.member, Role: auth.RoleUser}),
						f.member, users.UpdateInput{Role: ptr("ADMIN")})
					return err
				}, errs.CodeForbidden, f.member, user.RoleUSER},
			}
			for _, tt := range refusals {
				t.Run(tt.name, func(t *testing.T) {
					if err := tt.do(); errs.CodeOf(err) != tt.want {
						t.Fatalf("error = %v, want %s", err, tt.want)
					}
					if got := f.role(t, tt.target); got != tt.wantTargetRole {
						t.Errorf("role after refusal = %s, want %s", got, tt.wantTargetRole)
					}
					if n := f.auditCount(t, tt.target); n != 0 {
						t.Errorf("a refusal wrote %d audit entries", n)
					}
				})
			}

			// Role transitions the primary may make of other accounts, each audited once.
			transitions := []struct{ from, to user.Role }{
				{user.RoleUSER, user.RolePENDING}, {user.RolePENDING, user.RoleUSER}, {user.RoleUSER, user.RoleADMIN}, {user.RoleADMIN, user.RoleUSER},
			}
			for i, tr := range transitions {
				if err := update(f.primary, f.member, string(tr.to)); err != nil {
					t.Fatalf("%s -> %s: %v", tr.from, tr.to, err)
				}
				if got := f.role(t, f.member); got != tr.to {
					t.Fatalf("%s -> %s: role = %s", tr.from, tr.to, got)
				}
				if n := f.auditCount(t, f.member); n != i+1 {
					t.Fatalf("%s -> %s: %d audit entries, want %d", tr.from, tr.to, n, i+1)
				}
			}
			if err := update(f.primary, f.member, "user"); err != nil || f.auditCount(t, f.member) != len(transitions) {
				t.Errorf("setting the same role = %v and %d entries; want no error and no new entry", err, f.auditCount(t, f.member))
			}

			// A second admin may step down while the primary remains; then the primary is the last
			// admin and stays one.
			if err := update(f.second, f.second, "USER"); err != nil {
				t.Fatalf("a non-primary admin stepping down: %v", err)
			}
			for _, role := range []string{"USER", "PENDING"} {
				if err := update(f.primary, f.primary, role); errs.CodeOf(err) != errs.CodeForbidden {
					t.Errorf("the last admin becomes %s: %v, want FORBIDDEN", role, err)
				}
			}
			if err := f.admin.Delete(as(f.primary), f.primary); errs.CodeOf(err) != errs.CodeForbidden {
				t.Errorf("the last admin deletes itself: %v, want FORBIDDEN", err)
			}
			if got := f.role(t, f.primary); got != user.RoleADMIN {
				t.Fatalf("the last admin's role = %s", got)
			}
		})
	}
}

// TestAdminUpdateFields: each field is written only when it differs, an email in use elsewhere is
// a CONFLICT that changes nothing, and one USER_UPDATED entry names what changed.
func TestAdminUpdateFields(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			f := newFixture(t, b)
			ctx := as(f.primary)
			_, err := f.admin.Update(ctx, f.member, users.UpdateInput{Name: ptr("Renamed"), Email: ptr("SECOND@example.com")})
			if errs.CodeOf(err) != errs.CodeConflict {
				t.Fatalf("taking another account's email = %v, want CONFLICT", err)
			}
			u, err := f.client.User.Get(f.op, f.member)
			if err != nil {
				t.Fatal(err)
			}
			if u.Name != "member" || u.Email != "member@example.com" {
				t.Fatalf("a refused update changed the account: %q %q", u.Name, u.Email)
			}
			if _, err := f.admin.Update(ctx, f.member, users.UpdateInput{Name: ptr("member"), Email: ptr("Member@Example.com")}); err != nil {
				t.Fatal(err)
			}
			if n := f.auditCount(t, f.member); n != 0 {
				t.Errorf("an update to the same values wrote %d audit entries", n)
			}
			_, err = f.admin.Update(ctx, f.member, users.UpdateInput{Password: ptr("short")})
			if e, ok := errs.As(err); !ok || e.Code != errs.CodeBadUserInput || e.Field != "password" {
				t.Fatalf("a password below the settings' minimum = %v, want BAD_USER_INPUT on password", err)
			}
			out, err := f.admin.Update(ctx, f.member, users.UpdateInput{Name: ptr("Mia"), Email: ptr("mia@example.com"), Password: ptr("a long new password")})
			if err != nil {
				t.Fatal(err)
			}
			if out.Name != "Mia" || out.Email != "mia@example.com" {
				t.Errorf("updated account = %q %q", out.Name, out.Email)
			}
			rows, err := f.client.AuditLog.Query().Where(auditlog.EntityID(f.member)).All(f.op)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].Action != string(audit.UserUpdated) {
				t.Fatalf("audit = %d entries, want one USER_UPDATED", len(rows))
			}
			for _, k := range []string{"name", "email", "password"} {
				if _, ok := rows[0].Changes[k]; !ok {
					t.Errorf("USER_UPDATED does not record %s: %v", k, rows[0].Changes)
				}
			}
			if pw := rows[0].Changes["password"].(map[string]any); pw["new"] == "a long new password" {
				t.Errorf("the audit log holds the password in clear")
			}
		})
	}
}

// TestAdminCreate: the role defaults to the setting, the password follows the settings' policy,
// and a refused account leaves nothing behind.
func TestAdminCreate(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			f := newFixture(t, b)
			ctx := as(f.primary)
			count := func() int {
				n, err := f.client.User.Query().Count(f.op)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := count()
			refused := []struct {
				name  string
				in    users.CreateInput
				code  errs.Code
				field string
			}{
				{"a password below the minimum", users.CreateInput{Name: "Nia", Email: "nia@example.com", Password: "1234567"}, errs.CodeBadUserInput, "password"},
				{"an email in use, in another case", users.CreateInput{Name: "Nia", Email: "Member@Example.com", Password: "long enough"}, errs.CodeConflict, ""},
				{"an unknown role", users.CreateInput{Name: "Nia", Email: "nia@example.com", Password: "long enough", Role: ptr("OWNER")}, errs.CodeBadUserInput, "role"},
			}
			for _, tt := range refused {
				t.Run(tt.name, func(t *testing.T) {
					_, err := f.admin.Create(ctx, tt.in)
					e, ok := errs.As(err)
					if !ok || e.Code != tt.code || e.Field != tt.field {
						t.Fatalf("Create = %v, want %s on %q", err, tt.code, tt.field)
					}
				})
			}
			if n := count(); n != before {
				t.Fatalf("refused creations stored %d accounts", n-before)
			}
			u, err := f.admin.Create(ctx, users.CreateInput{Name: " Nia ", Email: "NIA@example.com", Password: "12345678"})
			if err != nil {
				t.Fatal(err)
			}
			if u.Name != "Nia" || u.Email != "nia@example.com" || u.Role != user.RolePENDING || u.ProfileImageURL != "/user.png" {
				t.Errorf("created = %q %q %s %q; want trimmed name, lower-case email, the default role PENDING, the default avatar",
					u.Name, u.Email, u.Role, u.ProfileImageURL)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
