// Package ldapauth checks a username and password against an LDAP directory: a bind as the
// service account, a search for the user with the input escaped, a bind as the user, then the
// user's groups, nested ones included, by a bounded walk up the group attribute. Every network
// call has a timeout. An unreachable directory and a wrong password are logged differently but
// give the caller the same UNAUTHENTICATED answer.
package ldapauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/externalauth"
	"github.com/steward-dev/steward/internal/settings"
)

// Provider is the identity provider name and membership source of LDAP sign-ins.
const Provider = "ldap"

// The bounds of one sign-in against the directory.
const (
	dialTimeout    = 5 * time.Second
	requestTimeout = 10 * time.Second
	// maxGroupDepth and maxGroups bound the walk through nested groups, so a cycle or a huge
	// directory cannot hold a sign-in.
	maxGroupDepth = 5
	maxGroups     = 500
)

// ErrBadLogin is the one answer for every failed LDAP sign-in, whatever the cause.
var ErrBadLogin = errs.Unauthenticated("incorrect username or password")

// Directory authenticates users against the configured directory.
type Directory struct {
	logger *slog.Logger
}

// New returns a Directory; nil logger means slog.Default().
func New(logger *slog.Logger) *Directory {
	if logger == nil {
		logger = slog.Default()
	}
	return &Directory{logger: logger}
}

// Authenticate returns the identity of username after checking password against the directory
// configured in l. Every failure is ErrBadLogin, with its cause logged.
func (d *Directory) Authenticate(ctx context.Context, l settings.LDAP, username, password string) (externalauth.Identity, error) {
	username = strings.TrimSpace(username)
	// An empty password is an anonymous bind, which many directories accept: never a sign-in.
	if username == "" || password == "" || len(username) > 256 || len(password) > 1024 {
		return externalauth.Identity{}, ErrBadLogin
	}
	conn, err := dial(ctx, l)
	if err != nil {
		d.logger.ErrorContext(ctx, "LDAP server unreachable", "host", l.Host, "port", l.Port, "err", err)
		return externalauth.Identity{}, ErrBadLogin
	}
	defer conn.Close()
	conn.SetTimeout(requestTimeout)
	if l.AppDN != "" {
		if err := conn.Bind(l.AppDN, l.AppPassword); err != nil {
			d.logger.ErrorContext(ctx, "LDAP service bind failed: check LDAP_APP_DN and LDAP_APP_PASSWORD", "err", err)
			return externalauth.Identity{}, ErrBadLogin
		}
	}
	filter := fmt.Sprintf("(%s=%s)", l.AttributeForUsername, ldap.EscapeFilter(username))
	if l.SearchFilters != "" {
		filter = "(&" + filter + l.SearchFilters + ")"
	}
	attrs := []string{l.AttributeForUsername, l.AttributeForMail, "cn", "displayName"}
	if l.GroupManagement {
		attrs = append(attrs, l.AttributeForGroups)
	}
	res, err := conn.Search(ldap.NewSearchRequest(l.SearchBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		2, int(requestTimeout.Seconds()), false, filter, attrs, nil))
	if err != nil {
		d.logger.ErrorContext(ctx, "LDAP user search failed", "err", err)
		return externalauth.Identity{}, ErrBadLogin
	}
	if len(res.Entries) != 1 {
		d.logger.WarnContext(ctx, "LDAP sign-in refused: no single user matches", "matches", len(res.Entries))
		return externalauth.Identity{}, ErrBadLogin
	}
	entry := res.Entries[0]
	if err := conn.Bind(entry.DN, password); err != nil {
		d.logger.WarnContext(ctx, "LDAP sign-in refused: wrong password", "dn", entry.DN)
		return externalauth.Identity{}, ErrBadLogin
	}
	// The username is the subject rather than the DN: a user moved to another OU keeps their
	// account (the DN changes, the username does not).
	subject := strings.ToLower(firstOf(entry.GetAttributeValue(l.AttributeForUsername), entry.DN))
	id := externalauth.Identity{Method: "ldap", Provider: Provider, Subject: subject,
		Email: entry.GetAttributeValue(l.AttributeForMail), EmailVerified: true,
		Name: firstOf(entry.GetAttributeValue("displayName"), entry.GetAttributeValue("cn"), username)}
	if l.GroupManagement {
		// The user's own bind may not read groups: search them as the service account again.
		if l.AppDN != "" {
			if err := conn.Bind(l.AppDN, l.AppPassword); err != nil {
				d.logger.ErrorContext(ctx, "LDAP service bind failed", "err", err)
				return externalauth.Identity{}, ErrBadLogin
			}
		}
		if id.Groups, err = groupsOf(conn, entry.GetAttributeValues(l.AttributeForGroups), l.AttributeForGroups); err != nil {
			d.logger.ErrorContext(ctx, "reading LDAP groups", "err", err)
			return externalauth.Identity{}, ErrBadLogin
		}
	}
	return id, nil
}

// groupsOf returns the names (first RDN values) of the groups dns and of every group they are
// nested in, breadth first, at most maxGroupDepth levels and maxGroups groups.
func groupsOf(conn *ldap.Conn, dns []string, attr string) ([]string, error) {
	seen := map[string]bool{}
	var names []string
	level := dns
	for depth := 0; depth < maxGroupDepth && len(level) > 0 && len(seen) < maxGroups; depth++ {
		var next []string
		for _, dn := range level {
			key := strings.ToLower(dn)
			if seen[key] || len(seen) >= maxGroups {
				continue
			}
			seen[key] = true
			if n := rdnValue(dn); n != "" {
				names = append(names, n)
			}
			res, err := conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases,
				1, int(requestTimeout.Seconds()), false, "(objectClass=*)", []string{attr}, nil))
			if err != nil {
				if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
					continue
				}
				return nil, err
			}
			for _, e := range res.Entries {
				next = append(next, e.GetAttributeValues(attr)...)
			}
		}
		level = next
	}
	return names, nil
}

// rdnValue is the value of a DN's first RDN: "eng" for "cn=eng,ou=groups,dc=example,dc=org".
func rdnValue(dn string) string {
	parsed, err := ldap.ParseDN(dn)
	if err != nil || len(parsed.RDNs) == 0 || len(parsed.RDNs[0].Attributes) == 0 {
		return ""
	}
	return parsed.RDNs[0].Attributes[0].Value
}

func dial(ctx context.Context, l settings.LDAP) (*ldap.Conn, error) {
	scheme := "ldap"
	opts := []ldap.DialOpt{ldap.DialWithDialer(&net.Dialer{Timeout: dialTimeout})}
	if l.UseTLS {
		scheme = "ldaps"
		cfg := &tls.Config{ServerName: l.Host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: !l.ValidateCert} //nolint:gosec // the operator's LDAP_VALIDATE_CERT=false
		if l.CACertFile != "" {
			pem, err := os.ReadFile(l.CACertFile)
			if err != nil {
				return nil, fmt.Errorf("reading LDAP_CA_CERT_FILE: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, errors.New("LDAP_CA_CERT_FILE holds no PEM certificate")
			}
			cfg.RootCAs = pool
		}
		opts = append(opts, ldap.DialWithTLSConfig(cfg))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return ldap.DialURL(scheme+"://"+net.JoinHostPort(l.Host, strconv.Itoa(l.Port)), opts...)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
