package server_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/graph"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// The authorization matrix: every root operation of the API, called by every kind of viewer,
// with the answer each must get. It is the one test of who may do what; the other tests test
// what operations do. It runs twice on each database: through the schema as served, and with
// the schema's gates (@hasRole, @hasPermission) switched off, which proves that the domain's own
// capability checks hold whoever calls it. Each row also names the gate its field must carry, so
// removing a directive from the schema fails here too.

// viewer kinds.
const (
	anon     = "anonymous"
	pending  = "pending"
	owner    = "user"       // alice, the owner of the rows the operations name
	other    = "other user" // bob
	admin    = "admin"
	keyMeter = "API key with billing.usage.write"
	keyPlain = "API key without it" // alice's own key
)

var viewerKinds = []string{anon, pending, owner, other, admin, keyMeter, keyPlain}

// outcome is what a viewer gets: allowed (ok: no UNAUTHENTICATED or FORBIDDEN; the call may still
// fail on its input, as the matrix names rows that do not exist to change nothing), a refusal code,
// or, for private fields, whether the value is visible.
type outcome string

const (
	ok      outcome = "ok"
	unauth  outcome = "UNAUTHENTICATED"
	forbid  outcome = "FORBIDDEN"
	missing outcome = "NOT_FOUND"
	shown   outcome = "shown" // the field at row.path is not null
	hidden  outcome = "hidden"
)

// Expectation sets for the usual gates.
var (
	adminOnly = expect(unauth, forbid, forbid, forbid, ok, forbid, forbid)
	verified  = expect(unauth, forbid, ok, ok, ok, ok, ok)
	anyone    = expect(ok, ok, ok, ok, ok, ok, ok)
	metering  = expect(unauth, forbid, forbid, forbid, ok, ok, forbid)
	// aliceOnly: alice's own data (her key acts as her), and admins.
	aliceOnly = expect(unauth, forbid, ok, forbid, ok, forbid, ok)
)

func expect(o ...outcome) map[string]outcome {
	m := map[string]outcome{}
	for i, k := range viewerKinds {
		m[k] = o[i]
	}
	return m
}

// with returns e with some viewers' outcomes replaced.
func with(e map[string]outcome, kv ...any) map[string]outcome {
	out := map[string]outcome{}
	for k, v := range e {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1].(outcome)
	}
	return out
}

type matrixRow struct {
	// op is the root field, type.field ("Query.users").
	op string
	// gate is the directive the field carries ("hasRole(ADMIN)", "hasPermission(...)") or "".
	gate  string
	query string
	vars  func(f *matrixFixture) map[string]any
	want  map[string]outcome
	// path, for shown/hidden outcomes, is the data path of the private value.
	path string
}

// endsSessions tells the rows whose callers sign in afresh first, as the call ends their session.
func (r matrixRow) endsSessions() bool { return strings.HasPrefix(r.op, "Mutation.signout") }

type matrixFixture struct {
	s                        *st.Server
	tokens                   map[string]string
	accounts                 map[string]st.Account // the viewers that sign in with a password
	alice                    st.Account
	aliceSession, activePlan string
}

func noVars(*matrixFixture) map[string]any { return nil }

func matrixRows() []matrixRow {
	none := "00000000-0000-0000-0000-000000000000"
	aliceID := func(f *matrixFixture) map[string]any { return map[string]any{"id": f.alice.ID} }
	noID := func(*matrixFixture) map[string]any { return map[string]any{"id": none} }
	when := map[string]any{"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}
	return []matrixRow{
		// Identity and credentials.
		{"Query.me", "", `{ me { id } }`, noVars, anyone, ""},
		{"Query.signInMethods", "", `{ signInMethods { password } }`, noVars, anyone, ""},
		{"Query.appConfig", "", `{ appConfig { name signInMethods { password } } }`, noVars, anyone, ""},
		{"Query.appConfig", "", `{ appConfig { adminContact { email } } }`, noVars,
			expect(hidden, shown, shown, shown, shown, shown, shown), "appConfig.adminContact"},
		{"Query.appConfig", "", `{ appConfig { chat { defaultModels banners { id } promptSuggestions { content } } } }`, noVars,
			expect(hidden, hidden, shown, shown, shown, shown, shown), "appConfig.chat"},
		{"Query.myPermissions", "hasRole(USER)", `{ myPermissions }`, noVars, verified, ""},
		{"Query.hasPermission", "hasRole(USER)", `{ hasPermission(key: "chat.delete") }`, noVars, verified, ""},
		{"Query.apiKeys", "hasRole(USER)", `query($id: ID) { apiKeys(userId: $id) { id } }`, aliceID, with(aliceOnly, pending, forbid), ""},
		{"Query.sessions", "hasRole(USER)", `query($id: ID) { sessions(userId: $id) { id } }`, aliceID, with(aliceOnly, pending, forbid), ""},
		{"Query.defaultPermissions", "hasRole(ADMIN)", `{ defaultPermissions }`, noVars, adminOnly, ""},
		{"Query.explainPermission", "hasRole(ADMIN)", `query($id: ID!) { explainPermission(userId: $id, key: "chat.delete") { granted } }`, aliceID, adminOnly, ""},
		{"Mutation.ldapSignin", "", `mutation { ldapSignin(input: {username: "nobody", password: "wrong password"}) { token } }`, noVars, expect(forbid, forbid, forbid, forbid, forbid, forbid, forbid), ""},
		{"Mutation.setOAuthProviders", "hasRole(ADMIN)", `mutation { setOAuthProviders(providers: []) { id } }`, noVars, adminOnly, ""},
		{"Mutation.setLDAPConfig", "hasRole(ADMIN)", `mutation { setLDAPConfig(input: {enabled: false, host: "", port: 389, useTls: false, validateCert: true, appDn: "", searchBase: "", attributeForUsername: "uid", attributeForMail: "mail", groupManagement: false, attributeForGroups: "memberOf", groupCreation: false, blockedGroups: [], enableSignup: true}) { enabled } }`, noVars, adminOnly, ""},
		{"Mutation.signup", "", `mutation { signup(input: {name: "", email: "x", password: "x"}) { token } }`, noVars, anyone, ""},
		{"Mutation.signin", "", `mutation { signin(input: {email: "nobody@example.com", password: "wrong password"}) { token } }`, noVars,
			expect(unauth, unauth, unauth, unauth, unauth, unauth, unauth), ""}, // everyone gets the wrong-password answer
		{"Mutation.updatePassword", "hasRole(USER)", `mutation { updatePassword(input: {password: "not it", newPassword: "another long one"}) }`, noVars, with(verified, keyMeter, ok), ""},
		{"Mutation.updateProfile", "hasRole(USER)", `mutation { updateProfile(input: {statusMessage: "here"}) { id } }`, noVars, verified, ""},
		{"Mutation.createAPIKey", "hasPermission(features.api_keys)", `mutation { createAPIKey(input: {name: "matrix"}) { key } }`, noVars,
			expect(unauth, forbid, ok, forbid, ok, ok, ok), ""},
		{"Mutation.revokeAPIKey", "hasRole(USER)", `mutation($id: ID!) { revokeAPIKey(id: $id) }`, noID, with(verified, pending, forbid), ""},
		{"Mutation.revokeSession", "hasRole(USER)", `mutation($id: ID!) { revokeSession(id: $id) }`, noID, verified, ""},
		{"Mutation.updateDefaultPermissions", "hasRole(ADMIN)", `mutation { updateDefaultPermissions(permissions: {}) }`, noVars, adminOnly, ""},
		{"Mutation.updateUserSettings", "hasRole(USER)", `mutation { updateUserSettings(settings: {matrix: true}) }`, noVars, verified, ""},
		{"Mutation.updateUserInfo", "hasRole(USER)", `mutation { updateUserInfo(info: {matrix: true}) }`, noVars, verified, ""},

		// Users and their private fields.
		{"Query.users", "hasRole(ADMIN)", `{ users(first: 5) { totalCount } }`, noVars, adminOnly, ""},
		{"Query.user", "hasRole(ADMIN)", `query($id: ID!) { user(id: $id) { id } }`, aliceID, adminOnly, ""},
		{"Query.userByEmail", "hasRole(ADMIN)", `query($e: String!) { userByEmail(email: $e) { id } }`,
			func(f *matrixFixture) map[string]any { return map[string]any{"e": f.alice.Email} }, adminOnly, ""},
		{"Mutation.createUser", "hasRole(ADMIN)", `mutation { createUser(input: {name: "", email: "bad", password: "x"}) { id } }`, noVars, adminOnly, ""},
		{"Mutation.updateUser", "hasRole(ADMIN)", `mutation($id: ID!) { updateUser(id: $id, input: {role: ADMIN}) { id } }`, noID, adminOnly, ""},
		{"Mutation.deleteUser", "hasRole(ADMIN)", `mutation($id: ID!) { deleteUser(id: $id) }`, noID, adminOnly, ""},
		{"Mutation.deleteUsers", "hasRole(ADMIN)", `mutation($id: ID!) { deleteUsers(ids: [$id]) { deleted } }`, noID, adminOnly, ""},
		{"Mutation.setUsersRole", "hasRole(ADMIN)", `mutation($id: ID!) { setUsersRole(ids: [$id], role: USER) { changed } }`, noID, adminOnly, ""},
		{"Mutation.unlockUser", "hasRole(ADMIN)", `mutation($id: ID!) { unlockUser(id: $id) { id } }`, noID, adminOnly, ""},
		{"Mutation.suspendUser", "hasRole(ADMIN)", `mutation($id: ID!) { suspendUser(id: $id) { id } }`, noID, adminOnly, ""},
		{"Mutation.reinstateUser", "hasRole(ADMIN)", `mutation($id: ID!) { reinstateUser(id: $id) { id } }`, noID, adminOnly, ""},
		{"User.email", "", `query($id: ID!) { node(id: $id) { ... on User { email } } }`, aliceID,
			expect(unauth, forbid, shown, hidden, shown, hidden, shown), "node.email"},
		{"User.settings", "", `query($id: ID!) { node(id: $id) { ... on User { settings } } }`, aliceID,
			expect(unauth, forbid, shown, hidden, shown, hidden, shown), "node.settings"},
		{"User.usage", "", `query($id: ID!) { node(id: $id) { ... on User { usage { userId } } } }`, aliceID,
			expect(unauth, forbid, shown, hidden, shown, hidden, shown), "node.usage"},
		{"User.groups", "", `query($id: ID!) { node(id: $id) { ... on User { groups { id } } } }`, aliceID,
			expect(unauth, forbid, shown, hidden, shown, hidden, shown), "node.groups"},
		{"User.failedSignins", "", `query($id: ID!) { node(id: $id) { ... on User { failedSignins } } }`, aliceID,
			expect(unauth, forbid, hidden, hidden, shown, hidden, hidden), "node.failedSignins"},
		{"Query.node", "", `query($id: ID!) { node(id: $id) { id } }`, func(f *matrixFixture) map[string]any { return map[string]any{"id": f.aliceSession} },
			expect(unauth, forbid, ok, missing, ok, missing, ok), ""},
		{"Query.nodes", "", `query($id: ID!) { nodes(ids: [$id]) { id } }`, aliceID, verified, ""},

		// Groups.
		{"Query.groups", "hasRole(ADMIN)", `{ groups(first: 5) { totalCount } }`, noVars, adminOnly, ""},
		{"Query.group", "hasRole(ADMIN)", `query($id: ID!) { group(id: $id) { id } }`, noID, adminOnly, ""},
		{"Query.myGroups", "hasRole(USER)", `{ myGroups { id } }`, noVars, verified, ""},
		{"Mutation.createGroup", "hasRole(ADMIN)", `mutation { createGroup(input: {name: ""}) { id } }`, noVars, adminOnly, ""},
		{"Mutation.updateGroup", "hasRole(ADMIN)", `mutation($id: ID!) { updateGroup(id: $id, input: {name: "x"}) { id } }`, noID, adminOnly, ""},
		{"Mutation.deleteGroup", "hasRole(ADMIN)", `mutation($id: ID!) { deleteGroup(id: $id) }`, noID, adminOnly, ""},
		{"Mutation.addGroupMembers", "hasRole(ADMIN)", `mutation($id: ID!) { addGroupMembers(groupId: $id, userIds: []) { changed } }`, noID, adminOnly, ""},
		{"Mutation.removeGroupMembers", "hasRole(ADMIN)", `mutation($id: ID!) { removeGroupMembers(groupId: $id, userIds: []) { changed } }`, noID, adminOnly, ""},

		// Models.
		{"Query.models", "hasRole(USER)", `{ models { id } }`, noVars, verified, ""},
		{"Query.model", "hasRole(USER)", `query($id: ID!) { model(id: $id) { id } }`, noID, verified, ""},
		{"Query.usersWithAccess", "hasRole(USER)", `query($id: ID!) { usersWithAccess(modelId: $id, access: READ) { id } }`, noID, verified, ""},
		{"Mutation.createModel", "hasPermission(workspace.models)", `mutation { createModel(input: {id: "", name: ""}) { id } }`, noVars,
			expect(unauth, forbid, forbid, forbid, ok, forbid, forbid), ""},
		{"Mutation.updateModel", "hasRole(USER)", `mutation($id: ID!) { updateModel(id: $id, input: {name: "x"}) { id } }`, noID, verified, ""},
		{"Mutation.deleteModel", "hasRole(USER)", `mutation($id: ID!) { deleteModel(id: $id) }`, noID, verified, ""},

		// Configuration.
		{"Query.config", "hasRole(ADMIN)", `{ config { auth { enableSignup } } }`, noVars, adminOnly, ""},
		{"Query.banners", "hasRole(USER)", `{ banners { id } }`, noVars, verified, ""},
		{"Query.exportConfig", "hasRole(ADMIN)", `{ exportConfig }`, noVars, adminOnly, ""},
		{"Mutation.exportConfig", "hasRole(ADMIN)", `mutation { exportConfig }`, noVars, adminOnly, ""},
		{"Mutation.importConfig", "hasRole(ADMIN)", `mutation { importConfig(config: {}, dryRun: true) { dryRun } }`, noVars, adminOnly, ""},
		{"Mutation.updateConnectionsConfig", "hasRole(ADMIN)", `mutation { updateConnectionsConfig(input: {}) { enableDirectConnections } }`, noVars, adminOnly, ""},
		{"Mutation.setToolServers", "hasRole(ADMIN)", `mutation { setToolServers(servers: []) { id } }`, noVars, adminOnly, ""},
		{"Mutation.verifyToolServer", "hasRole(ADMIN)", `mutation { verifyToolServer(input: {url: "not a url", type: OPENAPI}) { name } }`, noVars, adminOnly, ""},
		{"Mutation.updateCodeExecutionConfig", "hasRole(ADMIN)", `mutation { updateCodeExecutionConfig(input: {}) { enableCodeExecution } }`, noVars, adminOnly, ""},
		{"Mutation.updateModelsConfig", "hasRole(ADMIN)", `mutation { updateModelsConfig(input: {}) { defaultModels } }`, noVars, adminOnly, ""},
		{"Mutation.setPromptSuggestions", "hasRole(ADMIN)", `mutation { setPromptSuggestions(suggestions: []) { content } }`, noVars, adminOnly, ""},
		{"Mutation.setBanners", "hasRole(ADMIN)", `mutation { setBanners(banners: []) { id } }`, noVars, adminOnly, ""},
		{"Mutation.updateAuthConfig", "hasRole(ADMIN)", `mutation { updateAuthConfig(input: {}) { enableSignup } }`, noVars, adminOnly, ""},
		{"Mutation.updateRateLimitsConfig", "hasRole(ADMIN)", `mutation { updateRateLimitsConfig(input: {}) { enabled } }`, noVars, adminOnly, ""},
		{"Mutation.updateUIConfig", "hasRole(ADMIN)", `mutation { updateUIConfig(input: {}) { name } }`, noVars, adminOnly, ""},

		// Billing.
		{"Query.plans", "", `{ plans(includeInactive: true) { id } }`, noVars, anyone, ""},
		{"Query.plan", "", `query($id: ID!) { plan(id: $id) { id } }`, func(f *matrixFixture) map[string]any { return map[string]any{"id": f.activePlan} }, anyone, ""},
		{"Query.mySubscription", "hasRole(USER)", `{ mySubscription { id } }`, noVars, verified, ""},
		{"Query.myUsage", "hasRole(USER)", `{ myUsage { userId } }`, noVars, verified, ""},
		{"Query.myTransactions", "hasRole(USER)", `{ myTransactions(first: 5) { totalCount } }`, noVars, verified, ""},
		{"Query.subscriptions", "hasRole(ADMIN)", `{ subscriptions(first: 5) { totalCount } }`, noVars, adminOnly, ""},
		{"Query.transactions", "hasRole(ADMIN)", `{ transactions(first: 5) { totalCount } }`, noVars, adminOnly, ""},
		{"Query.checkQuota", "hasRole(USER)", `query($id: ID!) { checkQuota(userId: $id, metric: TOKENS_INPUT, amount: 1) { allowed } }`, aliceID,
			expect(unauth, forbid, ok, forbid, ok, ok, ok), ""},
		{"Mutation.createPlan", "hasRole(ADMIN)", `mutation { createPlan(input: {name: "", price: "1.00", currency: "USD", interval: MONTH}) { id } }`, noVars, adminOnly, ""},
		{"Mutation.updatePlan", "hasRole(ADMIN)", `mutation($id: ID!) { updatePlan(id: $id, input: {name: "x"}) { id } }`, noID, adminOnly, ""},
		{"Mutation.deletePlan", "hasRole(ADMIN)", `mutation($id: ID!) { deletePlan(id: $id) }`, noID, adminOnly, ""},
		{"Mutation.togglePlan", "hasRole(ADMIN)", `mutation($id: ID!) { togglePlan(id: $id) { id } }`, noID, adminOnly, ""},
		{"Mutation.duplicatePlan", "hasRole(ADMIN)", `mutation($id: ID!) { duplicatePlan(id: $id) { id } }`, noID, adminOnly, ""},
		{"Mutation.assignPlan", "hasRole(ADMIN)", `mutation($id: ID!) { assignPlan(userId: $id, planId: $id) { id } }`, noID, adminOnly, ""},
		{"Mutation.cancelSubscription", "hasRole(USER)", `mutation { cancelSubscription { id } }`, noVars, verified, ""},
		{"Mutation.cancelUserSubscription", "hasRole(ADMIN)", `mutation($id: ID!) { cancelUserSubscription(userId: $id) { id } }`, noID, adminOnly, ""},
		{"Query.planChangePreview", "hasRole(USER)", `query($id: ID!) { planChangePreview(planId: $id) { kind } }`, noID, verified, ""},
		{"Mutation.changePlan", "hasRole(USER)", `mutation($id: ID!) { changePlan(planId: $id, returnUrl: "https://example.com/") { confirmationUrl } }`, noID, verified, ""},
		{"Mutation.undoCancelSubscription", "hasRole(USER)", `mutation { undoCancelSubscription { id } }`, noVars, verified, ""},
		{"Mutation.pauseSubscription", "hasRole(ADMIN)", `mutation($id: ID!) { pauseSubscription(userId: $id) { id } }`, noID, adminOnly, ""},
		{"Mutation.resumeSubscription", "hasRole(ADMIN)", `mutation($id: ID!) { resumeSubscription(userId: $id) { id } }`, noID, adminOnly, ""},
		{"Mutation.moveSubscribers", "hasRole(ADMIN)", `mutation($id: ID!) { moveSubscribers(fromPlanId: $id, toPlanId: "x", atPeriodEnd: false, dryRun: true) { subscriptions } }`, noID, adminOnly, ""},
		{"Mutation.refundPayment", "hasRole(ADMIN)", `mutation($id: ID!) { refundPayment(id: $id, reason: "x", subscriptionEffect: KEEP) { id } }`, noID, adminOnly, ""},
		{"Mutation.syncPayment", "hasRole(ADMIN)", `mutation($id: ID!) { syncPayment(id: $id) { id } }`, noID, adminOnly, ""},
		{"Query.myPaymentMethod", "hasRole(USER)", `{ myPaymentMethod { title } }`, noVars, verified, ""},
		{"Query.paymentMethod", "hasRole(ADMIN)", `query($id: ID!) { paymentMethod(userId: $id) { title } }`, noID, adminOnly, ""},
		// Nobody in the fixture has a saved method: whoever may ask is told there is none.
		{"Mutation.removePaymentMethod", "hasRole(USER)", `mutation { removePaymentMethod }`, noVars,
			with(verified, owner, missing, other, missing, admin, missing, keyMeter, missing, keyPlain, missing), ""},
		{"Mutation.removeUserPaymentMethod", "hasRole(ADMIN)", `mutation($id: ID!) { removeUserPaymentMethod(userId: $id) }`, aliceID,
			with(adminOnly, admin, missing), ""},
		{"Mutation.subscribe", "hasRole(USER)", `mutation($id: ID!) { subscribe(planId: $id, returnUrl: "https://example.com/") { confirmationUrl } }`, noID, verified, ""},
		{"Mutation.recordUsage", "hasPermission(billing.usage.write)", `mutation($id: ID!) { recordUsage(input: {userId: $id, metric: REQUESTS, amount: 1}) { replayed } }`, aliceID, metering, ""},
		{"Mutation.reserveQuota", "hasPermission(billing.usage.write)", `mutation($id: ID!) { reserveQuota(userId: $id, metric: REQUESTS, amount: 1) { quota { allowed } } }`, aliceID, metering, ""},
		{"Mutation.settleReservation", "hasPermission(billing.usage.write)", `mutation($id: ID!) { settleReservation(id: $id, actualAmount: 1) { quota { allowed } } }`, noID, metering, ""},
		{"Mutation.releaseReservation", "hasPermission(billing.usage.write)", `mutation($id: ID!) { releaseReservation(id: $id) { id } }`, noID, metering, ""},

		// Analytics and audit.
		{"Query.billingOverview", "hasRole(ADMIN)", `query($from: Time!, $to: Time!) { billingOverview(from: $from, to: $to) { to } }`,
			func(*matrixFixture) map[string]any { return when }, adminOnly, ""},
		{"Query.planAnalytics", "hasRole(ADMIN)", `query($id: ID!, $from: Time!, $to: Time!) { planAnalytics(planId: $id, from: $from, to: $to) { to } }`,
			func(f *matrixFixture) map[string]any {
				return map[string]any{"id": f.activePlan, "from": when["from"], "to": when["to"]}
			}, adminOnly, ""},
		{"Query.auditLogs", "hasRole(ADMIN)", `{ auditLogs(first: 5) { totalCount } }`, noVars, adminOnly, ""},
		{"Query.verifyAuditChain", "hasRole(ADMIN)", `{ verifyAuditChain { intact } }`, noVars, adminOnly, ""},

		// Each caller signs in afresh first: these end sessions.
		{"Mutation.signout", "", `mutation { signout }`, noVars, anyone, ""},
		{"Mutation.signoutEverywhere", "", `mutation { signoutEverywhere }`, noVars, anyone, ""},
	}
}

func newMatrixFixture(t *testing.T, b dbtest.Backend, opts ...st.Option) *matrixFixture {
	t.Helper()
	s := st.New(t, b, append(opts, st.WithEnv(map[string]string{"ENABLE_API_KEYS": "true"}))...)
	a := s.Signup(t, "Ada")
	alice, bob, meter, pend := s.Signup(t, "Alice"), s.Signup(t, "Bob"), s.Signup(t, "Meter"), s.Signup(t, "Pat")
	for _, u := range []st.Account{alice, bob, meter} {
		s.SetRole(t, u.ID, "USER")
	}
	f := &matrixFixture{s: s, alice: alice, accounts: map[string]st.Account{pending: pend, owner: alice, other: bob, admin: a}}
	// alice may create keys; the meter user may too, and meters usage.
	keys := st.Get(s.MustQuery(t, a.Token, `mutation { createGroup(input: {name: "keys", permissions: {features: {api_keys: true}}}) { id } }`), "createGroup.id")
	meters := st.Get(s.MustQuery(t, a.Token, `mutation { createGroup(input: {name: "meters", permissions: {features: {api_keys: true}, billing: {usage: {write: true}}}}) { id } }`), "createGroup.id")
	s.MustQuery(t, a.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`, "g", keys, "u", []string{alice.ID})
	s.MustQuery(t, a.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`, "g", meters, "u", []string{meter.ID})
	key := func(token string) string {
		return st.Get(s.MustQuery(t, token, `mutation { createAPIKey(input: {name: "k"}) { key } }`), "createAPIKey.key").(string)
	}
	aliceToken := s.Signin(t, alice) // a session of her own, so her key and token differ
	f.tokens = map[string]string{anon: "", pending: pend.Token, owner: aliceToken, other: bob.Token, admin: a.Token,
		keyMeter: key(meter.Token), keyPlain: key(aliceToken)}
	sessions := s.MustQuery(t, aliceToken, `{ sessions { id } }`)["sessions"].([]any)
	f.aliceSession = sessions[0].(map[string]any)["id"].(string)
	f.activePlan = st.Get(s.MustQuery(t, a.Token, `mutation { createPlan(input: {name: "Pro", price: "10.00", currency: "USD", interval: MONTH}) { id } }`), "createPlan.id").(string)
	return f
}

func TestAuthorizationMatrix(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		t.Run("as served", func(t *testing.T) { runMatrix(t, newMatrixFixture(t, b), false) })
		t.Run("domain checks without the schema's gates", func(t *testing.T) { runMatrix(t, newMatrixFixture(t, b, st.WithGatesOff()), true) })
	})
}

func runMatrix(t *testing.T, f *matrixFixture, gatesOff bool) {
	for _, row := range matrixRows() {
		for _, kind := range viewerKinds {
			want := row.want[kind]
			token := f.tokens[kind]
			if a, ok := f.accounts[kind]; ok && row.endsSessions() {
				token = f.s.Signin(t, a)
			}
			r := f.s.Do(t, st.Request{Query: row.query, Variables: row.vars(f), Token: token})
			got := observe(r, row.path, want, gatesOff)
			if gatesOff && refused(want) && refused(got) {
				// Without the gate the domain decides, and may answer NOT_FOUND where the gate said
				// FORBIDDEN (a row the caller may not see is as good as absent): still a refusal.
				continue
			}
			if got != want {
				t.Errorf("%s as %s: got %s, want %s (%s)", row.op, kind, got, want, r.Raw)
			}
		}
	}
}

func refused(o outcome) bool { return o == unauth || o == forbid || o == missing }

// observe reduces a response to an outcome comparable with want. NOT_FOUND is a refusal where
// want is one (a row the caller may not see is as good as absent); elsewhere the matrix names rows
// that do not exist on purpose, and NOT_FOUND means the caller got past authorization.
func observe(r *st.Response, path string, want outcome, gatesOff bool) outcome {
	for _, e := range r.Errors {
		switch code, _ := e.Extensions["code"].(string); code {
		case "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED":
			return outcome("invalid query: " + e.Message)
		case string(unauth), string(forbid):
			return outcome(code)
		case string(missing):
			if want == missing || (gatesOff && refused(want)) {
				return missing
			}
		}
	}
	if path == "" {
		return ok
	}
	if st.Get(r.Data, path) == nil {
		return hidden
	}
	return shown
}

// TestAuthorizationMatrixCoversTheSchema: every root field is in the matrix with the gate it
// carries, and every private field of authz's table has a row.
func TestAuthorizationMatrixCoversTheSchema(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	rows := map[string]matrixRow{}
	for _, r := range matrixRows() {
		rows[r.op] = r
	}
	var missingRows []string
	for _, def := range []*ast.Definition{schema.Query, schema.Mutation} {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			name := def.Name + "." + f.Name
			row, ok := rows[name]
			if !ok {
				missingRows = append(missingRows, name)
				continue
			}
			if got := gateOf(f); got != row.gate {
				t.Errorf("%s carries gate %q, the matrix expects %q", name, got, row.gate)
			}
		}
	}
	sort.Strings(missingRows)
	if len(missingRows) > 0 {
		t.Errorf("operations with no row in the authorization matrix: %s", strings.Join(missingRows, ", "))
	}
	for _, private := range []string{"User.email", "User.settings", "User.usage", "User.groups", "User.failedSignins"} {
		if _, ok := rows[private]; !ok {
			t.Errorf("private field %s has no row", private)
		}
	}
	if err := graph.CheckFieldRules(schema); err != nil {
		t.Error(err)
	}
}

// gateOf renders a field's authorization directive as the matrix names it.
func gateOf(f *ast.FieldDefinition) string {
	var gates []string
	for _, d := range f.Directives {
		if d.Name != "hasRole" && d.Name != "hasPermission" {
			continue
		}
		arg := d.Arguments[0].Value.Raw
		gates = append(gates, fmt.Sprintf("%s(%s)", d.Name, arg))
	}
	slices.Sort(gates)
	return strings.Join(gates, " ")
}
