package server_test

import (
	"github.com/steward-dev/steward/ent/auditlog"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const configQuery = `{ config {
  auth { enableSignup defaultUserRole defaultGroupId jwtExpiresIn enableApiKeys showAdminDetails passwordMinLength }
  connections { enableDirectConnections enableBaseModelsCache }
  toolServers { id url path type authType keySet headers config info }
  codeExecution { enableCodeExecution codeExecutionEngine enableCodeInterpreter codeInterpreterEngine codeInterpreterPromptTemplate
    codeExecutionJupyter { url auth tokenSet passwordSet timeout } codeInterpreterJupyter { url auth tokenSet passwordSet timeout } }
  models { defaultModels defaultPinnedModels modelOrderList }
  promptSuggestions { title content }
  banners { id type title content dismissible timestamp }
  rateLimits { enabled signinPerEmail { rate periodSeconds } requestsPerIp { rate periodSeconds } }
} }`

// wantInvalid checks a BAD_USER_INPUT error naming field.
func wantInvalid(t *testing.T, r *st.Response, field string) {
	t.Helper()
	wantCode(t, r, "BAD_USER_INPUT")
	if got := r.Errors[0].Extensions["field"]; got != field {
		t.Fatalf("field = %v, want %s; response: %s", got, field, r.Raw)
	}
}

// configAuditCount counts CONFIG_UPDATED entries of a section.
func configAuditCount(t *testing.T, s *st.Server, section string) int {
	t.Helper()
	n, err := s.App.DB.Client.AuditLog.Query().
		Where(auditlog.Action("CONFIG_UPDATED"), auditlog.EntityID(section)).Count(sysCtx())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConfigSectionsRoundTrip(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		d := s.MustQuery(t, admin.Token, configQuery)
		defaults := []struct{ path, want string }{
			{"config.auth.defaultUserRole", "PENDING"},
			{"config.codeExecution.codeExecutionEngine", "PYODIDE"},
			{"config.codeExecution.codeExecutionJupyter.auth", "NONE"},
			{"config.rateLimits.signinPerEmail.periodSeconds", "180"},
		}
		for _, c := range defaults {
			if got := st.Get(d, c.path); strings.Trim(strings.TrimSpace(toString(got)), `"`) != c.want {
				t.Errorf("default %s = %v, want %s", c.path, got, c.want)
			}
		}

		cases := []struct {
			name, query string
			vars        map[string]any
			read        string // path in configQuery's answer after the update
			want        any
			section     string
		}{
			{"connections", `mutation($in: ConnectionsConfigInput!) { updateConnectionsConfig(input: $in) { enableDirectConnections } }`,
				map[string]any{"enableDirectConnections": true}, "config.connections.enableDirectConnections", true, "connections"},
			{"models", `mutation($in: ModelsConfigInput!) { updateModelsConfig(input: $in) { defaultModels } }`,
				map[string]any{"defaultModels": []any{"gpt-4o", "llama3"}, "modelOrderList": []any{"llama3"}}, "config.models.defaultModels.1", "llama3", "models"},
			{"code execution", `mutation($in: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $in) { codeExecutionEngine } }`,
				map[string]any{"codeExecutionEngine": "JUPYTER", "codeExecutionJupyter": map[string]any{"url": "http://jupyter:8888", "auth": "TOKEN", "token": "jupyter-secret-token-1"}},
				"config.codeExecution.codeExecutionJupyter.tokenSet", true, "codeExecution"},
			{"suggestions", `mutation($in: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $in) { title } }`,
				map[string]any{"x": []any{map[string]any{"title": []any{"Help me", "write code"}, "content": "Write a function"}}}, "config.promptSuggestions.0.title.1", "write code", "promptSuggestions"},
			{"banners", `mutation($in: [BannerInput!]!) { setBanners(banners: $in) { id } }`,
				map[string]any{"x": []any{map[string]any{"id": "maintenance", "type": "WARNING", "title": "Maintenance", "content": "Down at 22:00", "timestamp": "2030-01-02T03:04:05Z"}}}, "config.banners.0.type", "WARNING", "banners"},
			{"auth", `mutation($in: AuthConfigInput!) { updateAuthConfig(input: $in) { jwtExpiresIn } }`,
				map[string]any{"jwtExpiresIn": "12h", "defaultUserRole": "USER"}, "config.auth.defaultUserRole", "USER", "auth"},
			{"rate limits", `mutation($in: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $in) { enabled } }`,
				map[string]any{"requestsPerIp": map[string]any{"rate": 5000}}, "config.rateLimits.requestsPerIp.rate", float64(5000), "rateLimits"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := any(c.vars)
				if x, ok := c.vars["x"]; ok {
					in = x
				}
				s.MustQuery(t, admin.Token, c.query, "in", in)
				got := st.Get(s.MustQuery(t, admin.Token, configQuery), c.read)
				if got != c.want {
					t.Fatalf("%s = %v, want %v", c.read, got, c.want)
				}
				if n := configAuditCount(t, s, c.section); n != 1 {
					t.Fatalf("audit entries for %s = %d, want 1", c.section, n)
				}
				// The same update again changes nothing and records nothing.
				s.MustQuery(t, admin.Token, c.query, "in", in)
				if n := configAuditCount(t, s, c.section); n != 1 {
					t.Fatalf("audit entries after a no-op = %d, want 1", n)
				}
			})
		}
		t.Run("banners readable by users only", func(t *testing.T) {
			bob := s.Signup(t, "Bob")
			s.SetRole(t, bob.ID, "PENDING")
			wantCode(t, s.Query(t, bob.Token, `{ banners { id } }`), "FORBIDDEN")
			wantCode(t, s.Query(t, "", `{ banners { id } }`), "UNAUTHENTICATED")
			s.SetRole(t, bob.ID, "USER")
			if got := st.Get(s.MustQuery(t, bob.Token, `{ banners { content } }`), "banners.0.content"); got != "Down at 22:00" {
				t.Fatalf("user's banner = %v", got)
			}
			wantCode(t, s.Query(t, bob.Token, `{ config { connections { enableDirectConnections } } }`), "FORBIDDEN")
			wantCode(t, s.Query(t, bob.Token, `mutation { setBanners(banners: []) { id } }`), "FORBIDDEN")
			wantCode(t, s.Query(t, bob.Token, `{ exportConfig }`), "FORBIDDEN")
		})
	})
}

func TestConfigValidation(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	admin := s.Signup(t, "Ada")
	cases := []struct {
		name, query string
		in          any
		field       string
	}{
		{"bad jwt expiry", `mutation($in: AuthConfigInput!) { updateAuthConfig(input: $in) { jwtExpiresIn } }`, map[string]any{"jwtExpiresIn": "soon"}, "jwtExpiresIn"},
		{"short passwords", `mutation($in: AuthConfigInput!) { updateAuthConfig(input: $in) { jwtExpiresIn } }`, map[string]any{"passwordMinLength": 3}, "passwordMinLength"},
		{"unknown default group", `mutation($in: AuthConfigInput!) { updateAuthConfig(input: $in) { jwtExpiresIn } }`, map[string]any{"defaultGroupId": "no-such-group"}, "defaultGroupId"},
		{"jupyter without url", `mutation($in: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $in) { codeExecutionEngine } }`,
			map[string]any{"codeInterpreterEngine": "JUPYTER"}, "codeInterpreterJupyter.url"},
		{"jupyter timeout", `mutation($in: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $in) { codeExecutionEngine } }`,
			map[string]any{"codeExecutionJupyter": map[string]any{"timeout": 0}}, "codeExecutionJupyter.timeout"},
		{"duplicate model", `mutation($in: ModelsConfigInput!) { updateModelsConfig(input: $in) { defaultModels } }`, map[string]any{"defaultModels": []any{"a", "a"}}, "defaultModels.1"},
		{"blank model", `mutation($in: ModelsConfigInput!) { updateModelsConfig(input: $in) { defaultModels } }`, map[string]any{"modelOrderList": []any{" "}}, "modelOrderList.0"},
		{"suggestion without content", `mutation($in: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $in) { content } }`,
			[]any{map[string]any{"title": []any{"x"}, "content": ""}}, "suggestions.0.content"},
		{"suggestion with three lines", `mutation($in: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $in) { content } }`,
			[]any{map[string]any{"title": []any{"a", "b", "c"}, "content": "x"}}, "suggestions.0.title"},
		{"banner without content", `mutation($in: [BannerInput!]!) { setBanners(banners: $in) { id } }`, []any{map[string]any{"type": "INFO", "content": " "}}, "banners.0.content"},
		{"duplicate banner id", `mutation($in: [BannerInput!]!) { setBanners(banners: $in) { id } }`,
			[]any{map[string]any{"id": "a", "type": "INFO", "content": "x"}, map[string]any{"id": "a", "type": "INFO", "content": "y"}}, "banners.1.id"},
		{"tool server url", `mutation($in: [ToolServerInput!]!) { setToolServers(servers: $in) { id } }`, []any{map[string]any{"url": "ftp://x", "type": "OPENAPI"}}, "servers.0.url"},
		{"tool server credentials in url", `mutation($in: [ToolServerInput!]!) { setToolServers(servers: $in) { id } }`, []any{map[string]any{"url": "https://u:p@x.example", "type": "OPENAPI"}}, "servers.0.url"},
		{"bearer without key", `mutation($in: [ToolServerInput!]!) { setToolServers(servers: $in) { id } }`, []any{map[string]any{"url": "https://x.example", "type": "MCP", "authType": "BEARER"}}, "servers.0.key"},
		{"bad header", `mutation($in: [ToolServerInput!]!) { setToolServers(servers: $in) { id } }`, []any{map[string]any{"url": "https://x.example", "type": "MCP", "headers": map[string]any{"X-A": "a\nb"}}}, "servers.0.headers"},
		{"negative rate", `mutation($in: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $in) { enabled } }`, map[string]any{"signupPerIp": map[string]any{"rate": -1}}, "signupPerIp.rate"},
		{"zero period", `mutation($in: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $in) { enabled } }`, map[string]any{"signinPerEmail": map[string]any{"periodSeconds": 0}}, "signinPerEmail.periodSeconds"},
	}
	before := s.MustQuery(t, admin.Token, configQuery)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantInvalid(t, s.Query(t, admin.Token, c.query, "in", c.in), c.field)
		})
	}
	// Enum values outside the schema never reach the service: in the document they are a
	// validation error, in variables bad input.
	wantCode(t, s.Query(t, admin.Token, `mutation { updateAuthConfig(input: {defaultUserRole: OWNER}) { jwtExpiresIn } }`), "GRAPHQL_VALIDATION_FAILED")
	wantCode(t, s.Query(t, admin.Token, `mutation($in: AuthConfigInput!) { updateAuthConfig(input: $in) { jwtExpiresIn } }`, "in", map[string]any{"defaultUserRole": "OWNER"}), "BAD_USER_INPUT")
	if after := s.MustQuery(t, admin.Token, configQuery); toString(after) != toString(before) {
		t.Fatalf("a rejected update changed the configuration:\nbefore %v\nafter  %v", before, after)
	}
}

// TestAuthConfigAppliesAtOnce disables sign-up through the API: the next sign-up is refused.
func TestAuthConfigAppliesAtOnce(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		s.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {enableSignup: false}) { enableSignup } }`)
		r := s.Query(t, "", `mutation { signup(input: {name: "Bob", email: "bob@example.com", password: "long enough pw"}) { token } }`)
		wantCode(t, r, "FORBIDDEN")
		s.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {enableSignup: true, defaultUserRole: USER}) { enableSignup } }`)
		d := s.MustQuery(t, "", `mutation { signup(input: {name: "Bob", email: "bob@example.com", password: "long enough pw"}) { user { role } } }`)
		if got := st.Get(d, "signup.user.role"); got != "USER" {
			t.Fatalf("role after changing the default = %v, want USER", got)
		}
	})
}
