package settings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Seeds are the sections' start-up values, from the environment. They are stored on the first
// start only: after that the database wins, as in Open WebUI's PersistentConfig.
type Seeds struct {
	Connections       Connections
	ToolServers       ToolServers
	CodeExecution     CodeExecution
	Models            Models
	PromptSuggestions PromptSuggestions
	Banners           Banners
	RateLimits        RateLimits
	OAuth             OAuth
	LDAP              LDAP
	UI                UI
}

// DefaultSeeds are every section's defaults.
func DefaultSeeds() Seeds {
	return Seeds{
		Connections: DefaultConnections(), ToolServers: DefaultToolServers(), CodeExecution: DefaultCodeExecution(),
		Models: DefaultModelsConfig(), PromptSuggestions: DefaultPromptSuggestions(), Banners: DefaultBanners(),
		RateLimits: DefaultRateLimits(), OAuth: DefaultOAuth(), LDAP: DefaultLDAP(), UI: DefaultUI(),
	}
}

// SeedsFromEnv reads Open WebUI's variables for these sections (ENABLE_DIRECT_CONNECTIONS,
// TOOL_SERVER_CONNECTIONS, CODE_EXECUTION_*, CODE_INTERPRETER_*, DEFAULT_MODELS, WEBUI_BANNERS, ...)
// and steward's STEWARD_RATE_LIMIT* ones, reporting every bad value.
func SeedsFromEnv(getenv func(string) string) (Seeds, error) {
	s := DefaultSeeds()
	var problems []error
	get := func(k string) (string, bool) {
		v := strings.TrimSpace(getenv(k))
		return v, v != ""
	}
	boolVar := func(k string, dst *bool) {
		if v, ok := get(k); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s=%q is not a boolean", k, v))
				return
			}
			*dst = b
		}
	}
	strVar := func(k string, dst *string) {
		if v, ok := get(k); ok {
			*dst = v
		}
	}
	upperVar := func(k string, dst *string) {
		if v, ok := get(k); ok {
			*dst = strings.ToUpper(v)
		}
	}
	intVar := func(k string, dst *int) {
		if v, ok := get(k); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s=%q is not a number", k, v))
				return
			}
			*dst = n
		}
	}
	listVar := func(k string, dst *[]string) {
		if v, ok := get(k); ok {
			*dst = []string{}
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					*dst = append(*dst, p)
				}
			}
		}
	}
	jsonVar := func(k string, dst any) {
		if v, ok := get(k); ok {
			if err := json.Unmarshal([]byte(v), dst); err != nil {
				problems = append(problems, fmt.Errorf("%s is not valid JSON for this setting: %s", k, jsonProblem(err)))
			}
		}
	}

	boolVar("ENABLE_DIRECT_CONNECTIONS", &s.Connections.EnableDirectConnections)
	boolVar("ENABLE_BASE_MODELS_CACHE", &s.Connections.EnableBaseModelsCache)
	s.Connections.OpenAI = openAIFromEnv(get)
	jsonVar("TOOL_SERVER_CONNECTIONS", &s.ToolServers)
	for i := range s.ToolServers {
		t := &s.ToolServers[i]
		if t.ID == "" {
			t.ID = uuid.NewString()
		}
		t.Type = ToolServerType(strings.ToUpper(string(t.Type)))
		t.AuthType = ToolServerAuthType(strings.ToUpper(string(t.AuthType)))
		if t.AuthType == "" {
			t.AuthType = ToolAuthNone
		}
	}

	c := &s.CodeExecution
	boolVar("ENABLE_CODE_EXECUTION", &c.EnableCodeExecution)
	upperVar("CODE_EXECUTION_ENGINE", (*string)(&c.CodeExecutionEngine))
	jupyterVars := func(prefix string, j *Jupyter) {
		strVar(prefix+"_JUPYTER_URL", &j.URL)
		upperVar(prefix+"_JUPYTER_AUTH", (*string)(&j.Auth))
		strVar(prefix+"_JUPYTER_AUTH_TOKEN", &j.Token)
		strVar(prefix+"_JUPYTER_AUTH_PASSWORD", &j.Password)
		intVar(prefix+"_JUPYTER_TIMEOUT", &j.Timeout)
		if j.Auth == "" {
			j.Auth = JupyterAuthNone
		}
	}
	jupyterVars("CODE_EXECUTION", &c.CodeExecutionJupyter)
	boolVar("ENABLE_CODE_INTERPRETER", &c.EnableCodeInterpreter)
	upperVar("CODE_INTERPRETER_ENGINE", (*string)(&c.CodeInterpreterEngine))
	strVar("CODE_INTERPRETER_PROMPT_TEMPLATE", &c.CodeInterpreterPromptTemplate)
	jupyterVars("CODE_INTERPRETER", &c.CodeInterpreterJupyter)

	listVar("DEFAULT_MODELS", &s.Models.DefaultModels)
	listVar("DEFAULT_PINNED_MODELS", &s.Models.DefaultPinnedModels)
	listVar("MODEL_ORDER_LIST", &s.Models.ModelOrderList)
	jsonVar("DEFAULT_PROMPT_SUGGESTIONS", &s.PromptSuggestions)
	jsonVar("WEBUI_BANNERS", &s.Banners)
	for i := range s.Banners {
		// Open WebUI writes banner types in lower case.
		s.Banners[i].Type = BannerType(strings.ToUpper(string(s.Banners[i].Type)))
	}

	boolVar("STEWARD_RATE_LIMITS", &s.RateLimits.Enabled)
	for _, r := range s.RateLimits.rules() {
		k := "STEWARD_RATE_LIMIT_" + envName(r.field)
		if v, ok := get(k); ok {
			rule, err := ParseRateRule(v)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s: %w", k, err))
				continue
			}
			*r.rule = rule
		}
	}

	oauth, err := oauthFromEnv(get, boolVar, listVar)
	if err != nil {
		problems = append(problems, fmt.Errorf("OAuth settings: %w", err))
	}
	s.OAuth = oauth
	ldap, err := ldapFromEnv(get, boolVar, intVar, listVar)
	if err != nil {
		problems = append(problems, fmt.Errorf("LDAP settings: %w", err))
	}
	s.LDAP = ldap
	strVar("WEBUI_NAME", &s.UI.Name)
	strVar("DEFAULT_LOCALE", &s.UI.DefaultLocale)

	for _, v := range []struct {
		name string
		v    validator
	}{{"tool servers", s.ToolServers.normalized()}, {"code execution", s.CodeExecution}, {"models", s.Models.normalized()},
		{"prompt suggestions", s.PromptSuggestions.normalized()}, {"banners", s.Banners.normalized()}, {"rate limits", s.RateLimits},
		{"interface (WEBUI_NAME, DEFAULT_LOCALE)", s.UI.normalized()}} {
		if err := v.v.Validate(); err != nil {
			problems = append(problems, fmt.Errorf("%s settings: %w", v.name, err))
		}
	}
	return s, errors.Join(problems...)
}

// envName turns "signinPerEmail" into "SIGNIN_PER_EMAIL".
func envName(field string) string {
	var b strings.Builder
	for i, r := range field {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// SeedAll stores every seed whose section was never stored.
func (s *Store) SeedAll(ctx context.Context, a Auth, seeds Seeds) error {
	for key, v := range map[string]any{
		AuthKey: a, ConnectionsKey: seeds.Connections, ToolServersKey: seeds.ToolServers.normalized(),
		CodeExecutionKey: seeds.CodeExecution, ModelsKey: seeds.Models.normalized(),
		PromptSuggestionsKey: seeds.PromptSuggestions.normalized(), BannersKey: seeds.Banners.normalized(),
		RateLimitsKey: seeds.RateLimits, OAuthKey: seeds.OAuth.normalized(),
		LDAPKey: seeds.LDAP, UIKey: seeds.UI.normalized(),
	} {
		if err := s.Seed(ctx, key, v); err != nil {
			return err
		}
	}
	return nil
}

// openAIFromEnv reads Open WebUI's upstream variables: OPENAI_API_BASE_URLS and OPENAI_API_KEYS
// (';'-separated, paired by position), or the single OPENAI_API_BASE_URL and OPENAI_API_KEY; a
// key alone means OpenAI's own API. ENABLE_OPENAI_API=false seeds them disabled.
func openAIFromEnv(get func(string) (string, bool)) []OpenAIConnection {
	split := func(v string) []string {
		parts := strings.Split(v, ";")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	var urls, keys []string
	if v, ok := get("OPENAI_API_BASE_URLS"); ok {
		urls = split(v)
	} else if v, ok := get("OPENAI_API_BASE_URL"); ok {
		urls = []string{v}
	}
	if v, ok := get("OPENAI_API_KEYS"); ok {
		keys = split(v)
	} else if v, ok := get("OPENAI_API_KEY"); ok {
		keys = []string{v}
	}
	if len(urls) == 0 && len(keys) > 0 {
		urls = []string{"https://api.openai.com/v1"}
	}
	enabled := true
	if v, ok := get("ENABLE_OPENAI_API"); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			enabled = b
		}
	}
	var out []OpenAIConnection
	for i, u := range urls {
		if u == "" {
			continue
		}
		c := OpenAIConnection{ID: fmt.Sprintf("openai-%d", i), URL: u, Enabled: enabled}
		if i < len(keys) {
			c.Key = keys[i]
		}
		out = append(out, c)
	}
	return out
}
