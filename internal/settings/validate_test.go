package settings

import (
	"fmt"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/errs"
)

// check fails unless err is nil (field empty) or BAD_USER_INPUT on field with a message.
func check(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	e, ok := errs.As(err)
	if !ok || e.Code != errs.CodeBadUserInput || e.Field != field || e.Message == "" {
		t.Fatalf("Validate() = %v, want BAD_USER_INPUT on %q", err, field)
	}
}

// refused fails unless err is a BAD_USER_INPUT about the whole list (no single field at fault).
func refused(t *testing.T, err error) {
	t.Helper()
	if e, ok := errs.As(err); !ok || e.Code != errs.CodeBadUserInput || e.Message == "" {
		t.Fatalf("Validate() = %v, want BAD_USER_INPUT", err)
	}
}

// Every default must itself be valid: a fresh server serves and exports its defaults.
func TestDefaultsAreValid(t *testing.T) {
	for _, v := range []validator{DefaultAuth(), DefaultConnections(), DefaultToolServers(), DefaultCodeExecution(),
		DefaultModelsConfig(), DefaultPromptSuggestions(), DefaultBanners(), DefaultRateLimits()} {
		if err := v.Validate(); err != nil {
			t.Errorf("%T default: %v", v, err)
		}
	}
}

func TestAuthValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Auth)
		field string
	}{
		{"defaults", func(*Auth) {}, ""},
		{"every role may be the default", func(a *Auth) { a.DefaultUserRole = "ADMIN" }, ""},
		{"lower-case role", func(a *Auth) { a.DefaultUserRole = "user" }, "defaultUserRole"},
		{"unknown role", func(a *Auth) { a.DefaultUserRole = "GUEST" }, "defaultUserRole"},
		{"tokens that never expire", func(a *Auth) { a.JWTExpiresIn = "-1" }, ""},
		{"hours", func(a *Auth) { a.JWTExpiresIn = "12h" }, ""},
		{"not a duration", func(a *Auth) { a.JWTExpiresIn = "soon" }, "jwtExpiresIn"},
		{"minimum length 8", func(a *Auth) { a.PasswordMinLength = 8 }, ""},
		{"minimum length 7", func(a *Auth) { a.PasswordMinLength = 7 }, "passwordMinLength"},
		{"minimum length 128", func(a *Auth) { a.PasswordMinLength = 128 }, ""},
		{"minimum length 129", func(a *Auth) { a.PasswordMinLength = 129 }, "passwordMinLength"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := DefaultAuth()
			tt.edit(&a)
			check(t, a.Validate(), tt.field)
		})
	}
}

func TestToolServersValidate(t *testing.T) {
	ok := func() ToolServer {
		return ToolServer{ID: "t1", URL: "https://tools.example.com", Type: ToolServerOpenAPI, AuthType: ToolAuthNone}
	}
	tests := []struct {
		name  string
		edit  func(*ToolServer)
		field string
	}{
		{"valid", func(*ToolServer) {}, ""},
		{"MCP with a bearer key", func(s *ToolServer) { s.Type, s.AuthType, s.Key = ToolServerMCP, ToolAuthBearer, "k" }, ""},
		{"plain http on a port", func(s *ToolServer) { s.URL = "http://127.0.0.1:8000" }, ""},
		{"no id", func(s *ToolServer) { s.ID = "" }, "0.id"},
		{"id of 129 bytes", func(s *ToolServer) { s.ID = strings.Repeat("i", 129) }, "0.id"},
		{"relative URL", func(s *ToolServer) { s.URL = "/tools" }, "0.url"},
		{"ftp URL", func(s *ToolServer) { s.URL = "ftp://tools.example.com" }, "0.url"},
		{"credentials in the URL", func(s *ToolServer) { s.URL = "https://user:pw@tools.example.com" }, "0.url"},
		{"URL over 2048 bytes", func(s *ToolServer) { s.URL = "https://x.example/" + strings.Repeat("p", 2048) }, "0.url"},
		{"path with a space", func(s *ToolServer) { s.Path = "/open api.json" }, "0.path"},
		{"unknown type", func(s *ToolServer) { s.Type = "GRPC" }, "0.type"},
		{"bearer without a key", func(s *ToolServer) { s.AuthType = ToolAuthBearer }, "0.key"},
		{"unknown auth", func(s *ToolServer) { s.AuthType = "BASIC" }, "0.authType"},
		{"key over 4096 bytes", func(s *ToolServer) { s.Key = strings.Repeat("k", 4097) }, "0.key"},
		{"header name with a space", func(s *ToolServer) { s.Headers = map[string]string{"X Team": "a"} }, "0.headers"},
		{"header value with a newline", func(s *ToolServer) { s.Headers = map[string]string{"X-Team": "a\r\nX-Evil: 1"} }, "0.headers"},
		{"Host override", func(s *ToolServer) { s.Headers = map[string]string{"host": "internal"} }, "0.headers"},
		{"51 headers", func(s *ToolServer) {
			s.Headers = map[string]string{}
			for i := range 51 {
				s.Headers[fmt.Sprintf("X-H%d", i)] = "v"
			}
		}, "0.headers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok()
			tt.edit(&s)
			check(t, ToolServers{s}.Validate(), tt.field)
		})
	}
	t.Run("ids are unique", func(t *testing.T) {
		check(t, ToolServers{ok(), ok()}.Validate(), "1.id")
	})
	t.Run("at most 100", func(t *testing.T) {
		many := make(ToolServers, 101)
		for i := range many {
			many[i] = ok()
			many[i].ID = fmt.Sprint(i)
		}
		check(t, many[:100].Validate(), "")
		refused(t, many.Validate())
	})
}

func TestCodeExecutionValidate(t *testing.T) {
	jupyter := func(c *CodeExecution) {
		c.CodeExecutionEngine = EngineJupyter
		c.CodeExecutionJupyter = Jupyter{URL: "http://jupyter:8888", Auth: JupyterAuthToken, Token: "t", Timeout: 60}
	}
	tests := []struct {
		name  string
		edit  func(*CodeExecution)
		field string
	}{
		{"defaults", func(*CodeExecution) {}, ""},
		{"jupyter with a token", jupyter, ""},
		{"unknown engine", func(c *CodeExecution) { c.CodeExecutionEngine = "DOCKER" }, "codeExecutionEngine"},
		{"unknown interpreter engine", func(c *CodeExecution) { c.CodeInterpreterEngine = "" }, "codeInterpreterEngine"},
		{"jupyter without a URL", func(c *CodeExecution) { jupyter(c); c.CodeExecutionJupyter.URL = "" }, "codeExecutionJupyter.url"},
		{"token auth without a token", func(c *CodeExecution) { jupyter(c); c.CodeExecutionJupyter.Token = "" }, "codeExecutionJupyter.token"},
		{"password auth without a password", func(c *CodeExecution) {
			jupyter(c)
			c.CodeExecutionJupyter.Auth = JupyterAuthPassword
		}, "codeExecutionJupyter.password"},
		{"an unused, half-filled jupyter form is fine under pyodide", func(c *CodeExecution) {
			c.CodeInterpreterJupyter.Auth = JupyterAuthToken
		}, ""},
		{"but a malformed URL is refused even unused", func(c *CodeExecution) { c.CodeInterpreterJupyter.URL = "jupyter:8888" }, "codeInterpreterJupyter.url"},
		{"timeout 0", func(c *CodeExecution) { c.CodeExecutionJupyter.Timeout = 0 }, "codeExecutionJupyter.timeout"},
		{"timeout 3600", func(c *CodeExecution) { c.CodeExecutionJupyter.Timeout = 3600 }, ""},
		{"timeout 3601", func(c *CodeExecution) { c.CodeExecutionJupyter.Timeout = 3601 }, "codeExecutionJupyter.timeout"},
		{"unknown jupyter auth", func(c *CodeExecution) { c.CodeExecutionJupyter.Auth = "KERBEROS" }, "codeExecutionJupyter.auth"},
		{"prompt template too long", func(c *CodeExecution) { c.CodeInterpreterPromptTemplate = strings.Repeat("p", 100001) }, "codeInterpreterPromptTemplate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultCodeExecution()
			tt.edit(&c)
			check(t, c.Validate(), tt.field)
		})
	}
}

func TestModelsValidate(t *testing.T) {
	tests := []struct {
		name  string
		m     Models
		field string
	}{
		{"empty", Models{}, ""},
		{"distinct ids", Models{DefaultModels: []string{"gpt-4o", "llama3:8b"}, ModelOrderList: []string{"gpt-4o"}}, ""},
		{"the same id in two lists", Models{DefaultModels: []string{"a"}, DefaultPinnedModels: []string{"a"}}, ""},
		{"an id twice in one list", Models{DefaultPinnedModels: []string{"a", "b", "a"}}, "defaultPinnedModels.2"},
		{"blank id", Models{ModelOrderList: []string{" "}}, "modelOrderList.0"},
		{"surrounding spaces", Models{DefaultModels: []string{" a"}}, "defaultModels.0"},
		{"id over 256 bytes", Models{DefaultModels: []string{strings.Repeat("m", 257)}}, "defaultModels.0"},
		{"1001 ids", Models{DefaultModels: make([]string, maxModelIDs+1)}, "defaultModels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.m.Validate(), tt.field) })
	}
}

func TestPromptSuggestionsValidate(t *testing.T) {
	tests := []struct {
		name  string
		ps    PromptSuggestions
		field string
	}{
		{"one line", PromptSuggestions{{Title: []string{"Help"}, Content: "Help me"}}, ""},
		{"two lines", PromptSuggestions{{Title: []string{"Help", "with code"}, Content: "Help me"}}, ""},
		{"no title", PromptSuggestions{{Content: "x"}}, "0.title"},
		{"three lines", PromptSuggestions{{Title: []string{"a", "b", "c"}, Content: "x"}}, "0.title"},
		{"blank second line", PromptSuggestions{{Title: []string{"a", " "}, Content: "x"}}, "0.title.1"},
		{"blank content", PromptSuggestions{{Title: []string{"a"}, Content: "\n"}}, "0.content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.ps.Validate(), tt.field) })
	}
	t.Run("at most 100", func(t *testing.T) {
		many := make(PromptSuggestions, 101)
		for i := range many {
			many[i] = PromptSuggestion{Title: []string{"t"}, Content: "c"}
		}
		check(t, many[:100].Validate(), "")
		refused(t, many.Validate())
	})
}

func TestBannersValidate(t *testing.T) {
	ok := func() Banner { return Banner{ID: "b1", Type: BannerInfo, Content: "Maintenance at 22:00"} }
	tests := []struct {
		name  string
		edit  func(*Banner)
		field string
	}{
		{"valid", func(*Banner) {}, ""},
		{"no id", func(b *Banner) { b.ID = "" }, "0.id"},
		{"lower-case type", func(b *Banner) { b.Type = "info" }, "0.type"},
		{"unknown type", func(b *Banner) { b.Type = "DANGER" }, "0.type"},
		{"title of 200 characters", func(b *Banner) { b.Title = strings.Repeat("т", 200) }, ""},
		{"title of 201 characters", func(b *Banner) { b.Title = strings.Repeat("т", 201) }, "0.title"},
		{"blank content", func(b *Banner) { b.Content = "  " }, "0.content"},
		{"content of 10001 characters", func(b *Banner) { b.Content = strings.Repeat("c", 10001) }, "0.content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ok()
			tt.edit(&b)
			check(t, Banners{b}.Validate(), tt.field)
		})
	}
	t.Run("ids are unique", func(t *testing.T) { check(t, Banners{ok(), ok()}.Validate(), "1.id") })
	t.Run("at most 50", func(t *testing.T) {
		many := make(Banners, 51)
		for i := range many {
			many[i] = ok()
			many[i].ID = fmt.Sprint(i)
		}
		check(t, many[:50].Validate(), "")
		refused(t, many.Validate())
	})
}

func TestRateLimitsValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*RateLimits)
		field string
	}{
		{"defaults", func(*RateLimits) {}, ""},
		{"a rule turned off needs no period", func(r *RateLimits) { r.SigninPerIP = RateRule{} }, ""},
		{"negative rate", func(r *RateLimits) { r.SignupPerIP.Rate = -1 }, "signupPerIp.rate"},
		{"rate above a million", func(r *RateLimits) { r.RequestsPerIP.Rate = 1_000_001 }, "requestsPerIp.rate"},
		{"zero period", func(r *RateLimits) { r.MutationsPerUser.PeriodSeconds = 0 }, "mutationsPerUser.periodSeconds"},
		{"a week", func(r *RateLimits) { r.SigninPerEmail.PeriodSeconds = 7 * 24 * 3600 }, ""},
		{"more than a week", func(r *RateLimits) { r.SigninPerEmail.PeriodSeconds = 7*24*3600 + 1 }, "signinPerEmail.periodSeconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := DefaultRateLimits()
			tt.edit(&r)
			check(t, r.Validate(), tt.field)
		})
	}
}
