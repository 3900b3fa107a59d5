package server_test

import (
	"context"
	"io"
	"log"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	msg "github.com/lor00x/goldap/message"
	"github.com/vjeantet/ldapserver"

	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// ldapEntry is one entry of the test directory.
type ldapEntry struct {
	dn       string
	password string
	attrs    map[string][]string
}

// testDirectory is a small LDAP server in the test process: binds check passwords, searches
// evaluate equality, presence, and, or and not filters over its entries.
type testDirectory struct {
	addr    string
	entries []ldapEntry

	// mu guards equalities, the values of every equality filter the server received.
	mu         sync.Mutex
	equalities []string
}

var quietLDAP sync.Once

func startDirectory(t *testing.T, entries []ldapEntry) *testDirectory {
	t.Helper()
	quietLDAP.Do(func() { ldapserver.Logger = log.New(io.Discard, "", 0) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	d := &testDirectory{addr: addr, entries: entries}
	routes := ldapserver.NewRouteMux()
	routes.Bind(d.bind)
	routes.Search(d.search)
	srv := ldapserver.NewServer()
	srv.Handle(routes)
	go func() { _ = srv.ListenAndServe(addr) }()
	t.Cleanup(srv.Stop)
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if i > 50 {
			t.Fatalf("test directory did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return d
}

func (d *testDirectory) bind(w ldapserver.ResponseWriter, m *ldapserver.Message) {
	r := m.GetBindRequest()
	res := ldapserver.NewBindResponse(ldapserver.LDAPResultInvalidCredentials)
	for _, e := range d.entries {
		if strings.EqualFold(e.dn, string(r.Name())) && e.password != "" && e.password == string(r.AuthenticationSimple()) {
			res.SetResultCode(ldapserver.LDAPResultSuccess)
		}
	}
	w.Write(res)
}

func (d *testDirectory) search(w ldapserver.ResponseWriter, m *ldapserver.Message) {
	r := m.GetSearchRequest()
	base := strings.ToLower(string(r.BaseObject()))
	found := false
	for _, e := range d.entries {
		dn := strings.ToLower(e.dn)
		inScope := dn == base
		if int(r.Scope()) != ldapserver.SearchRequestScopeBaseObject {
			inScope = inScope || strings.HasSuffix(dn, ","+base)
		}
		if !inScope {
			continue
		}
		found = found || dn == base
		if !d.match(r.Filter(), e) {
			continue
		}
		out := ldapserver.NewSearchResultEntry(e.dn)
		for k, vs := range e.attrs {
			vals := make([]msg.AttributeValue, len(vs))
			for i, v := range vs {
				vals[i] = msg.AttributeValue(v)
			}
			out.AddAttribute(msg.AttributeDescription(k), vals...)
		}
		w.Write(out)
	}
	code := ldapserver.LDAPResultSuccess
	if int(r.Scope()) == ldapserver.SearchRequestScopeBaseObject && !found {
		code = ldapserver.LDAPResultNoSuchObject
	}
	w.Write(ldapserver.NewSearchResultDoneResponse(code))
}

func (d *testDirectory) match(f msg.Filter, e ldapEntry) bool {
	values := func(attr string) []string {
		for k, v := range e.attrs {
			if strings.EqualFold(k, attr) {
				return v
			}
		}
		return nil
	}
	switch t := f.(type) {
	case msg.FilterAnd:
		for _, sub := range t {
			if !d.match(sub, e) {
				return false
			}
		}
		return true
	case msg.FilterOr:
		for _, sub := range t {
			if d.match(sub, e) {
				return true
			}
		}
		return false
	case msg.FilterNot:
		return !d.match(t.Filter, e)
	case msg.FilterPresent:
		return strings.EqualFold(string(t), "objectClass") || len(values(string(t))) > 0
	case msg.FilterEqualityMatch:
		attr, want := string(t.AttributeDesc()), string(t.AssertionValue())
		d.mu.Lock()
		d.equalities = append(d.equalities, want)
		d.mu.Unlock()
		return slices.ContainsFunc(values(attr), func(v string) bool { return strings.EqualFold(v, want) })
	}
	return false
}

func (d *testDirectory) sawEquality(v string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Contains(d.equalities, v)
}

const (
	people = "ou=people,dc=example,dc=org"
	groups = "ou=groups,dc=example,dc=org"
)

func companyDirectory() []ldapEntry {
	return []ldapEntry{
		{dn: "cn=steward,dc=example,dc=org", password: "service-secret"},
		{dn: "uid=ada," + people, password: "ada-password", attrs: map[string][]string{
			"uid": {"ada"}, "mail": {"ada@example.org"}, "cn": {"Ada Lovelace"}, "objectClass": {"person"},
			"memberOf": {"cn=eng," + groups}}},
		{dn: "uid=bob," + people, password: "bob-password", attrs: map[string][]string{
			"uid": {"bob"}, "mail": {"bob@example.org"}, "cn": {"Bob"}, "objectClass": {"person"}}},
		// eng is in staff, staff in everyone: Ada belongs to all three.
		{dn: "cn=eng," + groups, attrs: map[string][]string{"cn": {"eng"}, "memberOf": {"cn=staff," + groups}}},
		{dn: "cn=staff," + groups, attrs: map[string][]string{"cn": {"staff"}, "memberOf": {"cn=everyone," + groups}}},
		{dn: "cn=everyone," + groups, attrs: map[string][]string{"cn": {"everyone"}, "memberOf": {"cn=eng," + groups}}}, // a cycle
	}
}

func ldapServer(t *testing.T, b dbtest.Backend, addr string, change func(l *settings.LDAP)) *st.Server {
	t.Helper()
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	l := settings.DefaultLDAP()
	l.Enabled, l.Host, l.Port = true, host, port
	l.AppDN, l.AppPassword = "cn=steward,dc=example,dc=org", "service-secret"
	l.SearchBase, l.SearchFilters = people, "(objectClass=person)"
	l.GroupManagement, l.GroupCreation = true, true
	if change != nil {
		change(&l)
	}
	return st.New(t, b, func(c *config.Config, _ *server.Options) { c.Seeds.LDAP = l })
}

const ldapSignin = `mutation($u: String!, $p: String!) { ldapSignin(input: {username: $u, password: $p}) { token user { id email name role } } }`

func TestLDAPSignin(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		dir := startDirectory(t, companyDirectory())
		s := ldapServer(t, b, dir.addr, nil)

		r := s.Query(t, "", ldapSignin, "u", "ada", "p", "ada-password")
		if r.Code() != "" {
			t.Fatalf("ldapSignin: %s", r.Raw)
		}
		if st.Get(r.Data, "ldapSignin.user.email") != "ada@example.org" || st.Get(r.Data, "ldapSignin.user.name") != "Ada Lovelace" ||
			st.Get(r.Data, "ldapSignin.user.role") != "ADMIN" {
			t.Errorf("first LDAP account = %v, want Ada, ADMIN", st.Get(r.Data, "ldapSignin.user"))
		}
		adaID := st.Get(r.Data, "ldapSignin.user.id").(string)
		token := st.Get(r.Data, "ldapSignin.token").(string)
		ms, err := s.App.DB.Client.Membership.Query().Where(membership.UserID(adaID)).WithGroup().All(authz.AsOperator(context.Background()))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range ms {
			if m.Source != "ldap" {
				t.Errorf("membership of %s has source %q, want ldap", m.Edges.Group.Name, m.Source)
			}
			names = append(names, m.Edges.Group.Name)
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{"eng", "everyone", "staff"}) {
			t.Errorf("Ada's groups = %v, want eng and the groups it is nested in (staff, everyone)", names)
		}
		again := s.MustQuery(t, "", ldapSignin, "u", "ada", "p", "ada-password")
		if st.Get(again, "ldapSignin.user.id") != adaID {
			t.Error("the second LDAP sign-in reached another account")
		}

		for name, creds := range map[string][2]string{
			"wrong password":   {"ada", "wrong-password"},
			"unknown user":     {"mallory", "ada-password"},
			"empty password":   {"ada", ""},
			"filter injection": {"*)(uid=*))(|(uid=*", "ada-password"},
		} {
			r := s.Query(t, "", ldapSignin, "u", creds[0], "p", creds[1])
			if r.Code() != "UNAUTHENTICATED" {
				t.Errorf("%s answered %s, want UNAUTHENTICATED", name, r.Raw)
			}
		}
		if !dir.sawEquality("*)(uid=*))(|(uid=*") {
			t.Error("the directory never saw the injection attempt as one literal value: the input was not escaped")
		}
		audit := s.MustQuery(t, token, `{ auditLogs(first: 20, where: {action: EXTERNAL_SIGNIN}) { edges { node { changes } } } }`)
		if p := st.Get(audit, "auditLogs.edges.0.node.changes.provider.new"); p != "ldap" {
			t.Errorf("audited provider = %v, want ldap", p)
		}
	})
}

func TestLDAPUnreachableAndDisabled(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := ln.Addr().String()
		ln.Close()
		s := ldapServer(t, b, closed, nil)
		if r := s.Query(t, "", ldapSignin, "u", "ada", "p", "ada-password"); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("unreachable directory answered %s, want UNAUTHENTICATED", r.Raw)
		}
		off := ldapServer(t, b, closed, func(l *settings.LDAP) { l.Enabled = false })
		if r := off.Query(t, "", ldapSignin, "u", "ada", "p", "ada-password"); r.Code() != "FORBIDDEN" {
			t.Errorf("ldapSignin with LDAP off answered %s, want FORBIDDEN", r.Raw)
		}
		m := off.MustQuery(t, "", `{ signInMethods { ldap } }`)
		if st.Get(m, "signInMethods.ldap") != false {
			t.Errorf("signInMethods.ldap = %v with LDAP off", st.Get(m, "signInMethods.ldap"))
		}
		if st.Get(s.MustQuery(t, "", `{ signInMethods { ldap } }`), "signInMethods.ldap") != true {
			t.Error("signInMethods.ldap is false with LDAP on")
		}
	})
}
