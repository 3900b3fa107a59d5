package ldapauth

import (
	"context"
	"testing"

	"github.com/steward-dev/steward/internal/settings"
)

func TestRDNValue(t *testing.T) {
	for dn, want := range map[string]string{
		"cn=eng,ou=groups,dc=example,dc=org":      "eng",
		"CN=Domain Users,CN=Users,DC=corp,DC=com": "Domain Users",
		`cn=a\,b,ou=groups,dc=example,dc=org`:     "a,b",
		"not a dn":                                "",
		"":                                        "",
	} {
		if got := rdnValue(dn); got != want {
			t.Errorf("rdnValue(%q) = %q, want %q", dn, got, want)
		}
	}
}

func TestAuthenticateRefusesEmptyInputWithoutDialling(t *testing.T) {
	// Port 1 on a test address: a dial would fail, but these never dial.
	l := settings.LDAP{Enabled: true, Host: "192.0.2.1", Port: 1, SearchBase: "dc=x", AttributeForUsername: "uid", AttributeForMail: "mail"}
	for _, in := range [][2]string{{"", "pw"}, {"ada", ""}, {"  ", "pw"}} {
		if _, err := New(nil).Authenticate(context.Background(), l, in[0], in[1]); err != ErrBadLogin {
			t.Errorf("Authenticate(%q, %q) = %v, want ErrBadLogin", in[0], in[1], err)
		}
	}
}
