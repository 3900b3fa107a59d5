package settings

import (
	"context"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// LDAPKey is the section holding LDAP sign-in.
const LDAPKey = "ldap"

// LDAP is sign-in against a directory, with Open WebUI's settings. AppPassword is write-only:
// stored and used for the service bind, never returned by the API.
type LDAP struct {
	Enabled bool   `json:"enabled"`
	Host    string `json:"host"`
	Port    int    `json:"port"`
	// UseTLS connects with LDAPS; ValidateCert checks the server's certificate, against
	// CACertFile when set.
	UseTLS       bool   `json:"useTls"`
	CACertFile   string `json:"caCertFile"`
	ValidateCert bool   `json:"validateCert"`
	// AppDN and AppPassword are the service account that searches for users.
	AppDN       string `json:"appDn"`
	AppPassword string `json:"appPassword,omitempty"`
	SearchBase  string `json:"searchBase"`
	// SearchFilters is an extra filter every user must match, e.g. "(objectClass=person)".
	SearchFilters        string `json:"searchFilters"`
	AttributeForUsername string `json:"attributeForUsername"`
	AttributeForMail     string `json:"attributeForMail"`
	// GroupManagement makes the memberships of source "ldap" follow the user's directory groups,
	// nested ones included (AttributeForGroups of the user, then of each group, a few levels deep).
	GroupManagement    bool     `json:"groupManagement"`
	AttributeForGroups string   `json:"attributeForGroups"`
	GroupCreation      bool     `json:"groupCreation"`
	BlockedGroups      []string `json:"blockedGroups"`
	// EnableSignup lets directory users without an account get one.
	EnableSignup bool `json:"enableSignup"`
}

// AppPasswordSet reports whether the service account has a password.
func (l LDAP) AppPasswordSet() bool { return l.AppPassword != "" }

// DefaultLDAP is off, with Open WebUI's defaults.
func DefaultLDAP() LDAP {
	return LDAP{Port: 389, ValidateCert: true, AttributeForUsername: "uid", AttributeForMail: "mail",
		AttributeForGroups: "memberOf", BlockedGroups: []string{}, EnableSignup: true}
}

// Validate checks the settings when LDAP is on.
func (l LDAP) Validate() error {
	if !l.Enabled {
		return nil
	}
	switch {
	case strings.TrimSpace(l.Host) == "" || strings.ContainsAny(l.Host, "/ ") || len(l.Host) > 255:
		return errs.Invalid("host", "must be a host name or address")
	case l.Port < 1 || l.Port > 65535:
		return errs.Invalid("port", "must be between 1 and 65535")
	case l.SearchBase == "":
		return errs.Invalid("searchBase", "is required")
	case l.AttributeForUsername == "" || l.AttributeForMail == "":
		return errs.Invalid("attributeForUsername", "the username and mail attributes are required")
	case l.GroupManagement && l.AttributeForGroups == "":
		return errs.Invalid("attributeForGroups", "is required when group management is on")
	case l.SearchFilters != "" && (!strings.HasPrefix(l.SearchFilters, "(") || !strings.HasSuffix(l.SearchFilters, ")")):
		return errs.Invalid("searchFilters", "must be an LDAP filter in parentheses")
	}
	return nil
}

func (l LDAP) keepSecrets(old LDAP) LDAP {
	if l.AppPassword == "" {
		l.AppPassword = old.AppPassword
	}
	return l
}

func (l LDAP) masked() LDAP {
	l.AppPassword = ""
	return l
}

// LDAP returns the current LDAP settings, secret included.
func (s *Store) LDAP(ctx context.Context) (LDAP, error) {
	l := DefaultLDAP()
	if _, err := s.Get(ctx, LDAPKey, &l); err != nil {
		return LDAP{}, err
	}
	return l, nil
}

// ldapFromEnv reads Open WebUI's LDAP_* variables.
func ldapFromEnv(get func(string) (string, bool), boolVar func(string, *bool), intVar func(string, *int), listVar func(string, *[]string)) (LDAP, error) {
	l := DefaultLDAP()
	str := func(k string, dst *string) {
		if v, ok := get(k); ok {
			*dst = v
		}
	}
	boolVar("ENABLE_LDAP", &l.Enabled)
	str("LDAP_SERVER_HOST", &l.Host)
	intVar("LDAP_SERVER_PORT", &l.Port)
	boolVar("LDAP_USE_TLS", &l.UseTLS)
	str("LDAP_CA_CERT_FILE", &l.CACertFile)
	boolVar("LDAP_VALIDATE_CERT", &l.ValidateCert)
	str("LDAP_APP_DN", &l.AppDN)
	str("LDAP_APP_PASSWORD", &l.AppPassword)
	str("LDAP_SEARCH_BASE", &l.SearchBase)
	str("LDAP_SEARCH_FILTERS", &l.SearchFilters)
	if l.SearchFilters == "" {
		str("LDAP_SEARCH_FILTER", &l.SearchFilters) // Open WebUI's older spelling
	}
	str("LDAP_ATTRIBUTE_FOR_USERNAME", &l.AttributeForUsername)
	str("LDAP_ATTRIBUTE_FOR_MAIL", &l.AttributeForMail)
	boolVar("ENABLE_LDAP_GROUP_MANAGEMENT", &l.GroupManagement)
	str("LDAP_ATTRIBUTE_FOR_GROUPS", &l.AttributeForGroups)
	boolVar("ENABLE_LDAP_GROUP_CREATION", &l.GroupCreation)
	listVar("LDAP_BLOCKED_GROUPS", &l.BlockedGroups)
	return l, l.Validate()
}

// SetLDAP replaces the LDAP settings; without an app password the stored one is kept.
func (s *Service) SetLDAP(ctx context.Context, in LDAP) (LDAP, error) {
	return update(ctx, s, LDAPKey, func(cur LDAP) (LDAP, error) {
		if in.BlockedGroups == nil {
			in.BlockedGroups = []string{}
		}
		return in.keepSecrets(cur), nil
	})
}
