package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/server"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// frontend is the test's WEBUI_URL: the flow ends with a redirect there, which the test client
// does not follow.
const frontend = "http://frontend.test"

// idpUser is a user of the mock OpenID provider with whatever claims a test needs.
type idpUser struct {
	sub    string
	claims map[string]any
	// nonce, when set, replaces the nonce the provider was asked to put in the ID token.
	nonce string
}

func (u *idpUser) ID() string { return u.sub }

func (u *idpUser) Userinfo([]string) ([]byte, error) {
	// Userinfo completes the ID token: a claim only it carries is read too.
	return json.Marshal(map[string]any{"sub": u.sub, "picture": "https://idp.test/" + u.sub + ".png"})
}

func (u *idpUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	raw, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	m := jwt.MapClaims{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for k, v := range u.claims {
		m[k] = v
	}
	if u.nonce != "" {
		m["nonce"] = u.nonce
	}
	return m, nil
}

func person(sub, email string, extra ...any) *idpUser {
	c := map[string]any{"email": email, "email_verified": true, "name": "User " + sub}
	for i := 0; i+1 < len(extra); i += 2 {
		c[extra[i].(string)] = extra[i+1]
	}
	return &idpUser{sub: sub, claims: c}
}

// oidcEnv is a steward and a mock provider it trusts, as provider "kc".
type oidcEnv struct {
	s   *st.Server
	idp *mockoidc.MockOIDC
}

func newOIDCEnv(t *testing.T, b dbtest.Backend, change func(p *settings.OAuthProvider)) *oidcEnv {
	t.Helper()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatalf("starting the mock provider: %v", err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	p := settings.DefaultOAuthProvider()
	p.ID, p.Name, p.IssuerURL = "kc", "Keycloak", idp.Issuer()
	p.ClientID, p.ClientSecret = idp.ClientID, idp.ClientSecret
	p.Scopes = []string{"openid", "email", "profile", "groups"}
	p.EnableSignup = true
	if change != nil {
		change(&p)
	}
	s := st.New(t, b, func(c *config.Config, _ *server.Options) {
		c.Seeds.OAuth = settings.OAuth{Providers: []settings.OAuthProvider{p}}
		c.External.WebUIURL = frontend
	})
	e := &oidcEnv{s: s, idp: idp}
	// The front end (WEBUI_URL) would proxy /oauth/ to steward; the test has no front end, so the
	// provider sends the browser straight back to steward.
	e.setProvider(t, func(p *settings.OAuthProvider) { p.RedirectURI = s.URL + "/oauth/kc/callback" })
	return e
}

// setProvider replaces the provider's configuration, as an admin's import would.
func (e *oidcEnv) setProvider(t *testing.T, change func(p *settings.OAuthProvider)) {
	t.Helper()
	ctx := authz.AsOperator(context.Background())
	o, err := e.s.App.Settings.OAuth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	change(&o.Providers[0])
	if err := e.s.App.Settings.Set(ctx, settings.OAuthKey, o); err != nil {
		t.Fatal(err)
	}
}

// browser is an HTTP client with a cookie jar that follows redirects between steward and the
// provider, and stops at the first redirect elsewhere (the front end).
type browser struct {
	c    *http.Client
	base string
}

func (e *oidcEnv) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	for _, u := range []string{e.s.URL, e.idp.Issuer()} {
		p, _ := url.Parse(u)
		own[p.Host] = true
	}
	return &browser{base: e.s.URL, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if !own[req.URL.Host] {
				return http.ErrUseLastResponse
			}
			return nil
		}}}
}

// get requests path of steward and returns the last response (its body closed).
func (b *browser) get(t *testing.T, path string) *http.Response {
	t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	resp.Body.Close()
	return resp
}

// token is the session cookie the browser holds for steward, or "".
func (b *browser) token() string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "token" {
			return c.Value
		}
	}
	return ""
}

// signIn runs the whole flow for the provider's next user and returns the final redirect and
// the session token ("" when refused).
func (e *oidcEnv) signIn(t *testing.T, u *idpUser, redirect string) (*url.URL, string) {
	t.Helper()
	e.idp.QueueUser(u)
	b := e.browser(t)
	path := "/oauth/kc/login"
	if redirect != "" {
		path += "?redirect=" + url.QueryEscape(redirect)
	}
	resp := b.get(t, path)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("flow ended with %d, want a redirect to the front end", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc, b.token()
}

func mustSignIn(t *testing.T, e *oidcEnv, u *idpUser) (string, string) {
	t.Helper()
	loc, token := e.signIn(t, u, "")
	if token == "" || loc.Query().Get("error") != "" {
		t.Fatalf("sign-in of %s refused: %s", u.sub, loc)
	}
	if loc.String() != frontend {
		t.Fatalf("sign-in ended at %s, want %s", loc, frontend)
	}
	me := e.s.MustQuery(t, token, `{ me { id email role } }`)
	return st.Get(me, "me.id").(string), token
}

func refusedWith(t *testing.T, e *oidcEnv, u *idpUser, reason string) {
	t.Helper()
	loc, token := e.signIn(t, u, "")
	if got := loc.Query().Get("error"); got != reason || token != "" {
		t.Fatalf("sign-in ended at %s with token %v, want error=%s and no session", loc, token != "", reason)
	}
}

func role(t *testing.T, e *oidcEnv, token string) string {
	t.Helper()
	return st.Get(e.s.MustQuery(t, token, `{ me { role } }`), "me.role").(string)
}

func TestOIDCSignin(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		t.Run("first sign-in creates the account, later ones find it by subject", func(t *testing.T) {
			e := newOIDCEnv(t, b, nil)
			id, token := mustSignIn(t, e, person("s1", "Ada@Example.com"))
			if got := role(t, e, token); got != "ADMIN" {
				t.Errorf("first account's role = %s, want ADMIN", got)
			}
			me := e.s.MustQuery(t, token, `{ me { email name profileImageUrl } }`)
			if st.Get(me, "me.email") != "ada@example.com" || st.Get(me, "me.name") != "User s1" ||
				st.Get(me, "me.profileImageUrl") != "https://idp.test/s1.png" {
				t.Errorf("account = %v, want the provider's email, name and userinfo picture", me)
			}
			// The email changed at the provider: the subject still finds the same account.
			again, _ := mustSignIn(t, e, person("s1", "ada.new@example.com"))
			if again != id {
				t.Errorf("second sign-in reached account %s, want %s", again, id)
			}
			_, second := mustSignIn(t, e, person("s2", "bob@example.com"))
			if got := role(t, e, second); got != "PENDING" {
				t.Errorf("second account's role = %s, want the default PENDING", got)
			}
			audit := e.s.MustQuery(t, token, `{ auditLogs(first: 50, where: {action: EXTERNAL_SIGNIN}) { edges { node { entityID changes } } } }`)
			edges := st.Get(audit, "auditLogs.edges").([]any)
			if len(edges) != 3 {
				t.Fatalf("EXTERNAL_SIGNIN entries = %d, want 3", len(edges))
			}
			if p := st.Get(edges[0], "node.changes.provider.new"); p != "oidc:kc" {
				t.Errorf("audited provider = %v, want oidc:kc", p)
			}
		})

		t.Run("sign-up closed refuses new accounts", func(t *testing.T) {
			e := newOIDCEnv(t, b, func(p *settings.OAuthProvider) { p.EnableSignup = false })
			e.s.Signup(t, "Admin") // not the first account, so the rule applies
			refusedWith(t, e, person("s1", "new@example.com"), "signup_disabled")
		})

		t.Run("email domains outside the allow-list are refused", func(t *testing.T) {
			e := newOIDCEnv(t, b, func(p *settings.OAuthProvider) { p.AllowedDomains = []string{"corp.example"} })
			refusedWith(t, e, person("s1", "x@example.com"), "domain_not_allowed")
			mustSignIn(t, e, person("s2", "x@corp.example"))
		})

		t.Run("an existing account is linked only by a verified email with merging on", func(t *testing.T) {
			e := newOIDCEnv(t, b, nil)
			admin := e.s.Signup(t, "Admin")
			existing := e.s.Signup(t, "Carol")
			refusedWith(t, e, person("s1", existing.Email), "email_taken")

			e.setProvider(t, func(p *settings.OAuthProvider) { p.MergeAccountsByEmail = true })
			unverified := person("s1", existing.Email, "email_verified", false)
			refusedWith(t, e, unverified, "email_taken")

			id, _ := mustSignIn(t, e, person("s1", existing.Email))
			if id != existing.ID {
				t.Fatalf("verified email linked account %s, want %s", id, existing.ID)
			}
			// A second subject of the same provider never takes the account over.
			refusedWith(t, e, person("s9", existing.Email), "identity_conflict")
			linked := e.s.MustQuery(t, admin.Token, `{ auditLogs(first: 5, where: {action: IDENTITY_LINKED}) { edges { node { entityID } } } }`)
			if got := st.Get(linked, "auditLogs.edges.0.node.entityID"); got != existing.ID {
				t.Errorf("IDENTITY_LINKED entity = %v, want %s", got, existing.ID)
			}
		})

		t.Run("role management fails closed", func(t *testing.T) {
			e := newOIDCEnv(t, b, func(p *settings.OAuthProvider) {
				p.RoleManagement, p.RolesClaim = true, "realm_access.roles"
				p.AllowedRoles, p.AdminRoles = []string{"chat-user"}, []string{"chat-admin"}
			})
			admin := e.s.Signup(t, "Admin")
			refusedWith(t, e, person("s1", "a@example.com"), "roles_missing")
			refusedWith(t, e, person("s1", "a@example.com", "realm_access", map[string]any{"roles": []any{}}), "roles_missing")
			refusedWith(t, e, person("s1", "a@example.com", "realm_access", map[string]any{"roles": []any{"other"}}), "role_not_allowed")
			if n := countUsers(t, e); n != 1 {
				t.Fatalf("refusals created accounts: %d users, want 1", n)
			}
			_, token := mustSignIn(t, e, person("s1", "a@example.com", "realm_access", map[string]any{"roles": []any{"chat-user"}}))
			if got := role(t, e, token); got != "USER" {
				t.Errorf("allowed role gave %s, want USER", got)
			}
			_, token = mustSignIn(t, e, person("s1", "a@example.com", "realm_access", map[string]any{"roles": []any{"chat-user", "chat-admin"}}))
			if got := role(t, e, token); got != "ADMIN" {
				t.Errorf("admin role gave %s, want ADMIN", got)
			}
			// The role is taken away at the provider: the next sign-in is refused, not left admin.
			refusedWith(t, e, person("s1", "a@example.com", "realm_access", map[string]any{"roles": []any{"other"}}), "role_not_allowed")
			refused := e.s.MustQuery(t, admin.Token, `{ auditLogs(first: 50, where: {action: EXTERNAL_SIGNIN_REFUSED}) { edges { node { changes } } } }`)
			if n := len(st.Get(refused, "auditLogs.edges").([]any)); n != 4 {
				t.Errorf("EXTERNAL_SIGNIN_REFUSED entries = %d, want 4", n)
			}
		})

		t.Run("a forged state or nonce is refused", func(t *testing.T) {
			e := newOIDCEnv(t, b, nil)
			// A callback nobody started: no flow cookie.
			br := e.browser(t)
			resp := br.get(t, "/oauth/kc/callback?state=forged&code=x")
			if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=invalid_state") || br.token() != "" {
				t.Errorf("callback without a flow answered %s, want error=invalid_state", loc)
			}
			// A flow was started, but the state that comes back is not its own.
			br = e.browser(t)
			br.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			br.get(t, "/oauth/kc/login")
			resp = br.get(t, "/oauth/kc/callback?state=forged&code=x")
			if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=invalid_state") || br.token() != "" {
				t.Errorf("callback with a forged state answered %s, want error=invalid_state", loc)
			}
			forged := person("s1", "a@example.com")
			forged.nonce = "not-the-flows-nonce"
			refusedWith(t, e, forged, "invalid_token")
			if n := countUsers(t, e); n != 0 {
				t.Errorf("forged flows created %d accounts", n)
			}
			entries, err := e.s.App.DB.Client.AuditLog.Query().Where(auditlog.Action(string(audit.ExternalSigninRefused))).
				All(authz.AsOperator(context.Background()))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || !strings.Contains(entries[0].Description, "invalid_token") {
				t.Errorf("refusal entries = %d, want one for the forged nonce (forged states are only logged)", len(entries))
			}
		})

		t.Run("redirects go only to the allow-list", func(t *testing.T) {
			e := newOIDCEnv(t, b, nil)
			for _, target := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example"} {
				resp := e.browser(t).get(t, "/oauth/kc/login?redirect="+url.QueryEscape(target))
				if resp.StatusCode != http.StatusBadRequest {
					t.Errorf("login with redirect %q answered %d, want 400", target, resp.StatusCode)
				}
			}
			loc, token := e.signIn(t, person("s1", "a@example.com"), "/c/42")
			if token == "" || loc.String() != frontend+"/c/42" {
				t.Errorf("sign-in with a front-end path ended at %s, want %s/c/42", loc, frontend)
			}
			if resp := e.browser(t).get(t, "/oauth/nope/login"); resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown provider answered %d, want 404", resp.StatusCode)
			}
		})
	})
}

func countUsers(t *testing.T, e *oidcEnv) int {
	t.Helper()
	n, err := e.s.App.DB.Client.User.Query().Count(authz.AsOperator(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// memberships returns the user's group names with the source of each membership.
func memberships(t *testing.T, e *oidcEnv, userID string) map[string]string {
	t.Helper()
	ctx := authz.AsOperator(context.Background())
	ms, err := e.s.App.DB.Client.Membership.Query().Where(membership.UserID(userID)).WithGroup().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range ms {
		out[m.Edges.Group.Name] = m.Source
	}
	return out
}

func TestOIDCGroupSync(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		e := newOIDCEnv(t, b, func(p *settings.OAuthProvider) {
			p.GroupManagement, p.GroupCreation = true, true
			p.BlockedGroups = []string{"blocked"}
		})
		groups := func(names ...any) *idpUser { return person("s1", "ada@example.com", "groups", names) }
		// The first account is admin: admins are synced too.
		id, token := mustSignIn(t, e, groups("eng", "ops", "blocked"))
		if got := memberships(t, e, id); len(got) != 2 || got["eng"] != "oidc:kc" || got["ops"] != "oidc:kc" {
			t.Fatalf("after the first sign-in memberships = %v, want eng and ops from oidc:kc", got)
		}
		created := e.s.MustQuery(t, token, `{ groups(first: 10) { edges { node { id name permissions } } } }`)
		for _, edge := range st.Get(created, "groups.edges").([]any) {
			if p, _ := st.Get(edge, "node.permissions").(map[string]any); len(p) != 0 {
				t.Errorf("created group %v has grants %v, want none", st.Get(edge, "node.name"), p)
			}
			if st.Get(edge, "node.name") == "blocked" {
				t.Error("a blocked group was created")
			}
		}
		// An admin adds Ada to a group by hand, to a blocked one, and to ops, which the sync had
		// put her in: that membership becomes the admin's.
		manual := e.s.MustQuery(t, token, `mutation { createGroup(input: {name: "manual"}) { id } }`)
		blocked := e.s.MustQuery(t, token, `mutation { createGroup(input: {name: "blocked"}) { id } }`)
		var opsID string
		for _, edge := range st.Get(created, "groups.edges").([]any) {
			if st.Get(edge, "node.name") == "ops" {
				opsID = st.Get(edge, "node.id").(string)
			}
		}
		for _, g := range []string{st.Get(manual, "createGroup.id").(string), st.Get(blocked, "createGroup.id").(string), opsID} {
			e.s.MustQuery(t, token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { group { id } } }`, "g", g, "u", []any{id})
		}

		// The claim drops ops and names eng twice: the hand-made memberships stay.
		mustSignIn(t, e, groups("eng", "eng"))
		got := memberships(t, e, id)
		want := map[string]string{"eng": "oidc:kc", "ops": "manual", "manual": "manual", "blocked": "manual"}
		if !mapsEqual(got, want) {
			t.Errorf("after the claim dropped ops memberships = %v, want %v", got, want)
		}
		// An empty claim removes every synced membership, and a missing one too.
		mustSignIn(t, e, groups())
		if got := memberships(t, e, id); !mapsEqual(got, map[string]string{"ops": "manual", "manual": "manual", "blocked": "manual"}) {
			t.Errorf("after an empty claim memberships = %v, want only the hand-made ones", got)
		}
		mustSignIn(t, e, groups("eng"))
		mustSignIn(t, e, person("s1", "ada@example.com"))
		if got := memberships(t, e, id); got["eng"] != "" {
			t.Errorf("after a missing claim memberships = %v, want eng removed", got)
		}
		// Without group creation, unknown groups are ignored.
		e.setProvider(t, func(p *settings.OAuthProvider) { p.GroupCreation = false })
		mustSignIn(t, e, groups("eng", "unknown"))
		if got := memberships(t, e, id); got["eng"] != "oidc:kc" || got["unknown"] != "" {
			t.Errorf("without creation memberships = %v, want eng only added", got)
		}
		n, err := e.s.App.DB.Client.Group.Query().Where(group.Name("unknown")).Count(authz.AsOperator(context.Background()))
		if err != nil || n != 0 {
			t.Errorf("group creation off still created %d groups (%v)", n, err)
		}
		audit := e.s.MustQuery(t, token, `{ auditLogs(first: 50, where: {action: GROUPS_SYNCED}) { edges { node { changes } } } }`)
		if n := len(st.Get(audit, "auditLogs.edges").([]any)); n < 4 {
			t.Errorf("GROUPS_SYNCED entries = %d, want one per changing sign-in (at least 4)", n)
		}
		// The API still reports the memberships as before.
		g := e.s.MustQuery(t, token, `query($id: ID!) { user(id: $id) { groups { name } } }`, "id", id)
		var names []string
		for _, x := range st.Get(g, "user.groups").([]any) {
			names = append(names, st.Get(x, "name").(string))
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{"blocked", "eng", "manual", "ops"}) {
			t.Errorf("User.groups = %v, want blocked, eng, manual, ops", names)
		}
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestOIDCBackchannelLogout(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		e := newOIDCEnv(t, b, nil)
		_, token := mustSignIn(t, e, person("s1", "ada@example.com"))
		_, other := mustSignIn(t, e, person("s2", "bob@example.com"))
		post := func(logoutToken string) int {
			resp, err := e.s.HTTP.PostForm(e.s.URL+"/oauth/kc/backchannel-logout", url.Values{"logout_token": {logoutToken}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		claims := func(extra ...any) jwt.MapClaims {
			now := time.Now()
			c := jwt.MapClaims{"iss": e.idp.Issuer(), "aud": e.idp.ClientID, "iat": now.Unix(), "exp": now.Add(2 * time.Minute).Unix(),
				"jti": "logout-1", "sub": "s1", "events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}}
			for i := 0; i+1 < len(extra); i += 2 {
				if extra[i+1] == nil {
					delete(c, extra[i].(string))
					continue
				}
				c[extra[i].(string)] = extra[i+1]
			}
			return c
		}
		sign := func(c jwt.MapClaims) string {
			s, err := e.idp.Keypair.SignJWT(c)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		stranger, err := mockoidc.RandomKeypair(2048)
		if err != nil {
			t.Fatal(err)
		}
		forged, _ := stranger.SignJWT(claims())
		for name, tok := range map[string]string{
			"signed by another key": forged,
			"without the event":     sign(claims("events", nil)),
			"with a nonce":          sign(claims("nonce", "n")),
			"for another client":    sign(claims("aud", "someone-else")),
			"expired":               sign(claims("exp", time.Now().Add(-time.Minute).Unix())),
			"not a JWT":             "nonsense",
		} {
			if got := post(tok); got != http.StatusBadRequest {
				t.Errorf("logout token %s answered %d, want 400", name, got)
			}
		}
		if r := e.s.Query(t, token, `{ me { id } }`); r.Code() != "" {
			t.Fatalf("a refused logout token ended the session: %s", r.Raw)
		}
		if got := post(sign(claims())); got != http.StatusOK {
			t.Fatalf("valid logout token answered %d, want 200", got)
		}
		if r := e.s.Query(t, token, `{ me { id } }`); r.Code() != "UNAUTHENTICATED" {
			t.Errorf("after back-channel logout the session answered %s, want UNAUTHENTICATED", r.Raw)
		}
		if r := e.s.Query(t, other, `{ me { id } }`); r.Code() != "" {
			t.Errorf("another user's session ended too: %s", r.Raw)
		}
		if got := post(sign(claims("sub", "never-signed-in"))); got != http.StatusOK {
			t.Errorf("logout of an unknown subject answered %d, want 200", got)
		}
		resp, err := e.s.HTTP.Get(e.s.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `steward_external_signins_total{method="oidc",outcome="ok"} 2`) {
			t.Error("/metrics does not count the two OpenID Connect sign-ins")
		}
	})
}

func TestSignInMethods(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		e := newOIDCEnv(t, b, func(p *settings.OAuthProvider) { p.ClientSecret = "very-secret-value" })
		r := e.s.Query(t, "", `{ signInMethods { password signupEnabled ldap providers { id name loginUrl signupEnabled } } }`)
		if r.Code() != "" {
			t.Fatalf("signInMethods: %s", r.Raw)
		}
		want := `{"signInMethods":{"password":true,"signupEnabled":true,"ldap":false,"providers":[{"id":"kc","name":"Keycloak","loginUrl":"/oauth/kc/login","signupEnabled":true}]}}`
		got, _ := json.Marshal(r.Data)
		var wantData map[string]any
		_ = json.Unmarshal([]byte(want), &wantData)
		if w, _ := json.Marshal(wantData); string(got) != string(w) {
			t.Errorf("signInMethods = %s, want %s", got, want)
		}
		admin := e.s.Signup(t, "Admin")
		export := e.s.Query(t, admin.Token, `{ exportConfig }`)
		if strings.Contains(export.Raw, "very-secret-value") {
			t.Error("exportConfig shows the client secret")
		}
		if !strings.Contains(export.Raw, `"issuerUrl"`) {
			t.Errorf("exportConfig lacks the oauth section: %s", export.Raw)
		}
	})
}

func TestOAuthAndLDAPConfig(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		e := newOIDCEnv(t, b, nil)
		admin := e.s.Signup(t, "Admin")
		set := `mutation($p: [OAuthProviderInput!]!) { setOAuthProviders(providers: $p) { id clientSecretSet issuerUrl } }`
		provider := map[string]any{"id": "kc", "name": "Keycloak", "issuerUrl": e.idp.Issuer(), "clientId": e.idp.ClientID,
			"scopes": []any{"openid", "email"}, "redirectUri": e.s.URL + "/oauth/kc/callback",
			"usernameClaim": "name", "emailClaim": "email", "pictureClaim": "picture", "rolesClaim": "roles", "groupsClaim": "groups",
			"claimSeparator": ",", "enableSignup": true, "mergeAccountsByEmail": false, "allowedDomains": []any{},
			"roleManagement": false, "allowedRoles": []any{}, "adminRoles": []any{}, "groupManagement": false, "groupCreation": false, "blockedGroups": []any{}}
		// No clientSecret: the stored one is kept, and sign-in still works with it.
		r := e.s.Query(t, admin.Token, set, "p", []any{provider})
		if r.Code() != "" || st.Get(r.Data, "setOAuthProviders.0.clientSecretSet") != true {
			t.Fatalf("setOAuthProviders without a secret answered %s, want the stored secret kept", r.Raw)
		}
		mustSignIn(t, e, person("s1", "ada@example.com"))

		bad := map[string]any{}
		for k, v := range provider {
			bad[k] = v
		}
		bad["roleManagement"] = true
		r = e.s.Query(t, admin.Token, set, "p", []any{bad})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "providers.0.allowedRoles" {
			t.Errorf("role management without roles answered %s, want BAD_USER_INPUT on providers.0.allowedRoles", r.Raw)
		}
		secret := map[string]any{}
		for k, v := range provider {
			secret[k] = v
		}
		secret["clientSecret"] = "rotated-secret-value"
		r = e.s.Query(t, admin.Token, set, "p", []any{secret})
		if r.Code() != "" || strings.Contains(r.Raw, "rotated-secret-value") {
			t.Errorf("setOAuthProviders with a secret answered %s, want it accepted and not shown", r.Raw)
		}
		cfg := e.s.Query(t, admin.Token, `{ config { oauth { providers { id clientSecretSet } } ldap { enabled appPasswordSet } } auditLogs(first: 5, where: {action: CONFIG_UPDATED}) { edges { node { changes } } } }`)
		if cfg.Code() != "" || strings.Contains(cfg.Raw, "rotated-secret-value") || strings.Contains(cfg.Raw, e.idp.ClientSecret) {
			t.Errorf("config or its audit shows a client secret: %s", cfg.Raw)
		}
		// The rotated secret is not the provider's: the code exchange now fails, and the browser is told.
		loc, token := e.signIn(t, person("s1", "ada@example.com"), "")
		if loc.Query().Get("error") != "invalid_token" || token != "" {
			t.Errorf("sign-in with a wrong client secret ended at %s, want error=invalid_token", loc)
		}

		ldapIn := map[string]any{"enabled": true, "host": "ldap.example.org", "port": 636, "useTls": true, "validateCert": true,
			"appDn": "cn=steward,dc=example,dc=org", "appPassword": "ldap-service-secret", "searchBase": "ou=people,dc=example,dc=org",
			"attributeForUsername": "uid", "attributeForMail": "mail", "groupManagement": true, "attributeForGroups": "memberOf",
			"groupCreation": false, "blockedGroups": []any{}, "enableSignup": true}
		r = e.s.Query(t, admin.Token, `mutation($in: LDAPConfigInput!) { setLDAPConfig(input: $in) { enabled appPasswordSet port } }`, "in", ldapIn)
		if r.Code() != "" || st.Get(r.Data, "setLDAPConfig.appPasswordSet") != true || strings.Contains(r.Raw, "ldap-service-secret") {
			t.Errorf("setLDAPConfig answered %s", r.Raw)
		}
		ldapIn["port"] = 0
		if r := e.s.Query(t, admin.Token, `mutation($in: LDAPConfigInput!) { setLDAPConfig(input: $in) { enabled } }`, "in", ldapIn); r.Code() != "BAD_USER_INPUT" {
			t.Errorf("setLDAPConfig with port 0 answered %s, want BAD_USER_INPUT", r.Raw)
		}
		if m := e.s.MustQuery(t, "", `{ signInMethods { ldap } }`); st.Get(m, "signInMethods.ldap") != true {
			t.Error("signInMethods.ldap is false after LDAP was turned on")
		}
	})
}

func TestOIDCRoutesAreRateLimited(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		idp, err := mockoidc.Run()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = idp.Shutdown() })
		p := settings.DefaultOAuthProvider()
		p.ID, p.IssuerURL, p.ClientID = "kc", idp.Issuer(), idp.ClientID
		limits := st.LooseRateLimits()
		limits.RequestsPerIP.Rate = 2
		s := st.New(t, b, st.WithRateLimits(limits), func(c *config.Config, _ *server.Options) {
			c.Seeds.OAuth = settings.OAuth{Providers: []settings.OAuthProvider{p}}
		})
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		var codes []int
		for range 3 {
			resp, err := client.Get(s.URL + "/oauth/kc/login")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			codes = append(codes, resp.StatusCode)
		}
		if !slices.Equal(codes, []int{http.StatusFound, http.StatusFound, http.StatusTooManyRequests}) {
			t.Errorf("three logins from one address answered %v, want 302, 302, 429", codes)
		}
	})
}
