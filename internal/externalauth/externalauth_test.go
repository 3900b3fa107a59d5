package externalauth

import (
	"testing"

	"github.com/steward-dev/steward/ent/user"
)

func TestRoleFrom(t *testing.T) {
	p := Policy{RoleManagement: true, RolesClaim: "roles", AllowedRoles: []string{"staff"}, AdminRoles: []string{"it-admin"}}
	tests := []struct {
		name   string
		roles  []string
		want   user.Role
		reason string
	}{
		{"no roles claim", nil, "", ReasonRolesMissing},
		{"empty roles claim", []string{}, "", ReasonRolesMissing},
		{"no allowed role", []string{"guest"}, "", ReasonRoleNotAllowed},
		{"allowed role", []string{"guest", "staff"}, user.RoleUSER, ""},
		{"admin role wins", []string{"staff", "it-admin"}, user.RoleADMIN, ""},
		{"admin role alone", []string{"it-admin"}, user.RoleADMIN, ""},
		{"roles compare exactly", []string{"Staff"}, "", ReasonRoleNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := roleFrom(tt.roles, p)
			if got != tt.want || ReasonOf(err) != tt.reason {
				t.Errorf("roleFrom(%q) = %q, %v; want %q with reason %q", tt.roles, got, err, tt.want, tt.reason)
			}
		})
	}
	if _, err := roleFrom([]string{"staff"}, Policy{RoleManagement: true}); ReasonOf(err) != ReasonRoleNotAllowed {
		t.Errorf("with no allowed roles configured, a role got in: %v", err)
	}
}

func TestDisplayNameAndPicture(t *testing.T) {
	if got := displayName(Identity{Name: "  "}, "ada@example.com"); got != "ada" {
		t.Errorf("displayName without a name = %q, want the email's local part", got)
	}
	for pic, want := range map[string]string{
		"https://idp.example.com/a.png": "https://idp.example.com/a.png",
		"javascript:alert(1)":           "",
		"data:image/png;base64,AAAA":    "",
		"/local.png":                    "",
	} {
		if got := picture(pic); got != want {
			t.Errorf("picture(%q) = %q, want %q", pic, got, want)
		}
	}
}
