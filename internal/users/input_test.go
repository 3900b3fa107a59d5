package users

import (
	"strings"
	"testing"

	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/errs"
)

func ptr[T any](v T) *T { return &v }

func TestUpdateInputValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    UpdateInput
		field string // empty: valid
	}{
		{"nothing", UpdateInput{}, ""},
		{"every field", UpdateInput{Role: ptr("user"), Name: ptr(" Ann "), Email: ptr(" Ann@Example.COM "),
			ProfileImageURL: ptr("https://cdn.example.com/a.png"), Password: ptr("x")}, ""},
		{"a short password is the settings' business", UpdateInput{Password: ptr("x")}, ""},
		{"role in any case", UpdateInput{Role: ptr(" Pending ")}, ""},
		{"unknown role", UpdateInput{Role: ptr("SUPERUSER")}, "role"},
		{"empty role", UpdateInput{Role: ptr("")}, "role"},
		{"blank name", UpdateInput{Name: ptr("  ")}, "name"},
		{"name of 256 characters", UpdateInput{Name: ptr(strings.Repeat("ю", 256))}, "name"},
		{"name of 255 characters", UpdateInput{Name: ptr(strings.Repeat("ю", 255))}, ""},
		{"not an email", UpdateInput{Email: ptr("nope")}, "email"},
		{"email without a dot in the domain", UpdateInput{Email: ptr("a@localhost")}, "email"},
		{"email with a display name", UpdateInput{Email: ptr("Ann <ann@example.com>")}, "email"},
		{"data URI avatar", UpdateInput{ProfileImageURL: ptr("data:image/png;base64,AAAA")}, ""},
		{"site path avatar", UpdateInput{ProfileImageURL: ptr("/user.png")}, ""},
		{"empty avatar means the default", UpdateInput{ProfileImageURL: ptr("")}, ""},
		{"protocol-relative avatar", UpdateInput{ProfileImageURL: ptr("//evil.example.com/a.png")}, "profileImageUrl"},
		{"javascript avatar", UpdateInput{ProfileImageURL: ptr("javascript:alert(1)")}, "profileImageUrl"},
		// The first field at fault is reported, in the order the API always used.
		{"role before name", UpdateInput{Role: ptr("X"), Name: ptr("")}, "role"},
		{"name before email", UpdateInput{Name: ptr(""), Email: ptr("x")}, "name"},
		{"email before avatar", UpdateInput{Email: ptr("x"), ProfileImageURL: ptr("ftp://x")}, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertField(t, tt.in.Validate(), tt.field)
		})
	}
}

func TestUpdateInputNormalises(t *testing.T) {
	e, err := UpdateInput{Role: ptr("admin"), Name: ptr(" Ann "), Email: ptr(" Ann@Example.COM "), ProfileImageURL: ptr(" ")}.parse()
	if err != nil {
		t.Fatal(err)
	}
	if *e.role != user.RoleADMIN || *e.name != "Ann" || *e.email != "ann@example.com" || *e.image != "/user.png" {
		t.Errorf("parse = role %s, name %q, email %q, image %q", *e.role, *e.name, *e.email, *e.image)
	}
}

func TestCreateInputValidate(t *testing.T) {
	valid := func() CreateInput { return CreateInput{Name: "Ann", Email: "ann@example.com", Password: "long enough"} }
	tests := []struct {
		name  string
		edit  func(*CreateInput)
		field string
	}{
		{"minimal", func(*CreateInput) {}, ""},
		{"with role and avatar", func(in *CreateInput) { in.Role, in.ProfileImageURL = ptr("ADMIN"), ptr("https://x.example/a.png") }, ""},
		{"no name", func(in *CreateInput) { in.Name = "" }, "name"},
		{"bad email", func(in *CreateInput) { in.Email = "ann@" }, "email"},
		{"bad role", func(in *CreateInput) { in.Role = ptr("OWNER") }, "role"},
		{"bad avatar", func(in *CreateInput) { in.ProfileImageURL = ptr("file:///etc/passwd") }, "profileImageUrl"},
		{"name before email", func(in *CreateInput) { in.Name, in.Email = "", "x" }, "name"},
		{"email before role", func(in *CreateInput) { in.Email, in.Role = "x", ptr("X") }, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.edit(&in)
			assertField(t, in.Validate(), tt.field)
		})
	}
}

// TestPasswordPolicy: the minimum comes from the settings (8 to 128), the maximum bounds hashing
// time, and a password of spaces is refused whatever its length.
func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		name, password string
		min            int
		ok             bool
	}{
		{"exactly the minimum", "12345678", 8, true},
		{"one short", "1234567", 8, false},
		{"the minimum counts characters, not bytes", "пароль12", 8, true},
		{"a stricter setting", "12345678", 12, false},
		{"256 bytes", strings.Repeat("a", 256), 8, true},
		{"257 bytes", strings.Repeat("a", 257), 8, false},
		{"only spaces", strings.Repeat(" ", 20), 8, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validatePassword("password", tt.password, tt.min)
			if tt.ok {
				assertField(t, err, "")
			} else {
				assertField(t, err, "password")
			}
		})
	}
}

// TestPrimaryRule: only the primary admin changes itself, and it stays ADMIN; other accounts are
// not its concern.
func TestPrimaryRule(t *testing.T) {
	admin, usr, pending := user.RoleADMIN, user.RoleUSER, user.RolePENDING
	tests := []struct {
		name                    string
		viewer, target, primary string
		role                    *user.Role
		want                    errs.Code // empty: allowed
	}{
		{"primary renames itself", "p", "p", "p", nil, ""},
		{"primary keeps its role", "p", "p", "p", &admin, ""},
		{"primary demotes itself", "p", "p", "p", &usr, errs.CodeForbidden},
		{"primary suspends itself (pending)", "p", "p", "p", &pending, errs.CodeForbidden},
		{"another admin renames the primary", "a", "p", "p", nil, errs.CodeForbidden},
		{"another admin demotes the primary", "a", "p", "p", &usr, errs.CodeForbidden},
		{"an operator without an account changes the primary", "", "p", "p", nil, errs.CodeForbidden},
		{"primary demotes another admin", "p", "a", "p", &usr, ""},
		{"an admin demotes itself when it is not the primary", "a", "a", "p", &pending, ""},
		{"no admin at all", "a", "u", "", &admin, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := primaryRule(tt.viewer, tt.target, tt.primary, tt.role)
			if tt.want == "" && err != nil || tt.want != "" && errs.CodeOf(err) != tt.want {
				t.Fatalf("primaryRule = %v, want %q", err, tt.want)
			}
		})
	}
}

// assertField fails unless err is nil (field empty) or BAD_USER_INPUT on field with a message.
func assertField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		return
	}
	e, ok := errs.As(err)
	if !ok || e.Code != errs.CodeBadUserInput || e.Field != field || e.Message == "" {
		t.Fatalf("error = %v, want BAD_USER_INPUT on %q", err, field)
	}
}
