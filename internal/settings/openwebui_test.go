package settings

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
)

// owuiNested is an Open WebUI config.json export, as its config table's data column holds it.
const owuiNested = `{
  "version": 0,
  "ui": {"enable_signup": false, "default_user_role": "user", "default_models": "gpt-4o, llama3",
         "default_pinned_models": "", "model_order_list": ["llama3", "gpt-4o"],
         "prompt_suggestions": [{"title": ["Help me study", "vocabulary"], "content": "Help me study."}],
         "banners": [{"id": "b1", "type": "info", "title": "", "content": "Maintenance tonight", "dismissible": true, "timestamp": 1733000000}],
         "enable_community_sharing": true, "default_locale": "de-DE"},
  "auth": {"jwt_expiry": "-1", "api_key": {"enable": true, "endpoint_restrictions": false}, "admin": {"show": false}},
  "user": {"permissions": {"chat": {"delete": false}, "workspace": {"models": true}}},
  "direct": {"enable": true},
  "models": {"base_models_cache": true},
  "openai": {"enable": true, "api_base_urls": ["https://api.openai.com/v1", "http://127.0.0.1:4000/v1"],
             "api_keys": ["sk-upstream", ""], "api_configs": {"1": {"enable": false, "model_ids": ["local"]}}},
  "tool_server": {"connections": [{"url": "https://tools.example.com", "path": "openapi.json", "auth_type": "bearer", "key": "tool-secret", "config": {"enable": true}, "info": {"name": "Tools"}}]},
  "code_execution": {"enable": true, "engine": "jupyter", "jupyter": {"url": "http://127.0.0.1:8888", "auth": "token", "auth_token": "jt", "timeout": 30}},
  "code_interpreter": {"enable": false, "engine": "pyodide", "prompt_template": ""},
  "ldap": {"enable": true, "server": {"host": "ldap.example.com", "port": 636, "use_tls": true, "users_dn": "ou=people,dc=example,dc=com", "attribute_for_mail": "mail", "attribute_for_username": "uid", "app_dn": "cn=reader", "app_password": "pw"}},
  "oauth": {"enable_signup": true, "roles_claim": "roles", "allowed_roles": "user,admin",
            "oidc": {"client_id": "cid", "client_secret": "cs", "provider_url": "https://sso.example.com/.well-known/openid-configuration", "provider_name": "Company", "scopes": "openid email profile groups"},
            "google": {"client_id": "gid", "client_secret": "gs"}, "github": {"client_id": "ghid"}},
  "rag": {"top_k": 3},
  "audio": {"tts": {"engine": ""}}
}`

// owuiFlat is the same configuration as the newer per-key config table holds it.
var owuiFlat = map[string]any{
	"ui.enable_signup": false, "ui.default_user_role": "user", "ui.default_models": "gpt-4o, llama3",
	"ui.default_pinned_models": "", "ui.model_order_list": []any{"llama3", "gpt-4o"},
	"auth.jwt_expiry": "-1", "auth.enable_api_keys": true, "auth.admin.show": false,
	"user.permissions": map[string]any{"chat": map[string]any{"delete": false}},
	"rag.top_k":        float64(3),
}

func TestFromOpenWebUI(t *testing.T) {
	var nested map[string]any
	if err := json.Unmarshal([]byte(owuiNested), &nested); err != nil {
		t.Fatal(err)
	}
	got := FromOpenWebUI(nested)
	secs := got.Document["sections"].(map[string]any)

	for _, c := range []struct {
		name string
		got  any
		want any
	}{
		{"auth", secs[AuthKey], map[string]any{"enableSignup": false, "defaultUserRole": "USER",
			"jwtExpiresIn": "-1", "enableApiKeys": true, "showAdminDetails": false}},
		{"ui", secs[UIKey], map[string]any{"defaultLocale": "de-DE"}},
		{"models", secs[ModelsKey], map[string]any{"defaultModels": []string{"gpt-4o", "llama3"},
			"defaultPinnedModels": []string{}, "modelOrderList": []string{"llama3", "gpt-4o"}}},
		{"second connection disabled by its config", secs[ConnectionsKey].(map[string]any)["openai"].([]any)[1],
			map[string]any{"id": "openai-1", "url": "http://127.0.0.1:4000/v1", "enabled": false, "modelIds": []string{"local"}}},
		{"default permissions", got.DefaultPermissions, map[string]any{"chat": map[string]any{"delete": false}, "workspace": map[string]any{"models": true}}},
		{"ignored keys", got.Ignored, []string{"audio.tts.engine", "auth.api_key.endpoint_restrictions", "oauth.github.client_id", "rag.top_k", "ui.enable_community_sharing"}},
		{"OpenID Connect providers", providerSummary(secs[OAuthKey]), []string{
			"oidc Company https://sso.example.com/.well-known/openid-configuration cid [openid email profile groups] signup=true",
			"google Google https://accounts.google.com gid [openid email profile] signup=true"}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}

	defaults := map[string]any{AuthKey: DefaultAuth(), ConnectionsKey: DefaultConnections(), ToolServersKey: DefaultToolServers(),
		CodeExecutionKey: DefaultCodeExecution(), ModelsKey: DefaultModelsConfig(), PromptSuggestionsKey: DefaultPromptSuggestions(),
		BannersKey: DefaultBanners(), LDAPKey: DefaultLDAP(), OAuthKey: DefaultOAuth(), UIKey: DefaultUI()}
	// Every section the mapping produces decodes strictly and passes the section's own checks,
	// so importConfig accepts it.
	for key, v := range secs {
		sec, ok := sectionByKey(key)
		if !ok {
			t.Fatalf("unknown section %s", key)
		}
		raw, _ := json.Marshal(v)
		decoded, err := sec.decode(raw, defaults[key])
		if err != nil {
			t.Errorf("section %s does not decode: %v", key, err)
			continue
		}
		if err := decoded.(validator).Validate(); err != nil {
			t.Errorf("section %s does not validate: %v", key, err)
		}
	}

	t.Run("the per-key table reads like the nested document", func(t *testing.T) {
		flat := FromOpenWebUI(owuiFlat)
		fsecs := flat.Document["sections"].(map[string]any)
		if !reflect.DeepEqual(fsecs[AuthKey], secs[AuthKey]) || !reflect.DeepEqual(fsecs[ModelsKey], secs[ModelsKey]) {
			t.Errorf("flat auth/models = %v / %v, want %v / %v", fsecs[AuthKey], fsecs[ModelsKey], secs[AuthKey], secs[ModelsKey])
		}
		if !reflect.DeepEqual(flat.Ignored, []string{"rag.top_k"}) {
			t.Errorf("flat ignored = %v", flat.Ignored)
		}
	})

	t.Run("an empty document maps to nothing", func(t *testing.T) {
		e := FromOpenWebUI(map[string]any{})
		if n := len(e.Document["sections"].(map[string]any)); n != 0 || e.DefaultPermissions != nil || len(e.Ignored) != 0 {
			t.Errorf("empty document gave %d sections, %v, %v", n, e.DefaultPermissions, e.Ignored)
		}
	})
}

// providerSummary renders the mapped OAuth providers one per line.
func providerSummary(sec any) []string {
	var out []string
	for _, p := range sec.(map[string]any)["providers"].([]any) {
		m := p.(map[string]any)
		out = append(out, fmt.Sprintf("%s %s %s %s %v signup=%v", m["id"], m["name"], m["issuerUrl"], m["clientId"], m["scopes"], m["enableSignup"]))
	}
	return out
}

func TestOverlay(t *testing.T) {
	stored := map[string]any{"enableSignup": true, "passwordMinLength": float64(12),
		"providers": []any{map[string]any{"id": "corp", "name": "Corp"}, map[string]any{"id": "google", "name": "Old"}}}
	mapped := map[string]any{"enableSignup": false, "providers": []any{map[string]any{"id": "google", "name": "Google"}}}
	got := OverlayOpenWebUI(stored, mapped)
	want := map[string]any{"enableSignup": false, "passwordMinLength": float64(12),
		"providers": []any{map[string]any{"id": "google", "name": "Google"}, map[string]any{"id": "corp", "name": "Corp"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OverlayOpenWebUI = %v, want %v", got, want)
	}
	if l := OverlayOpenWebUI([]any{"a"}, []any{"b"}); !reflect.DeepEqual(l, []any{"b"}) {
		t.Errorf("a list section = %v, want the mapped list", l)
	}
}
