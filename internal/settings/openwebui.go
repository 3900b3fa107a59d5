package settings

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// OpenWebUIConfig is what steward keeps of an Open WebUI configuration document.
type OpenWebUIConfig struct {
	// Document is an Import document ({"version": 1, "sections": {...}}) holding only the
	// sections and fields the Open WebUI document set; a field it did not set is absent, so an
	// import of a section gives it steward's default (the console import overlays the stored
	// section first).
	Document map[string]any
	// DefaultPermissions is Open WebUI's user.permissions tree as it was, or nil when absent;
	// the caller keeps the keys steward knows (internal/access) and reports the rest.
	DefaultPermissions map[string]any
	// Ignored lists, sorted, the dotted keys of the document that steward has no place for.
	Ignored []string
}

// FromOpenWebUI maps an Open WebUI configuration onto steward's sections. doc is either the
// nested document of Open WebUI's config.json export (and of its config table's data column)
// or the flat one of its newer per-key config table ({"ui.enable_signup": true, ...}); both
// are read alike. It is a pure function: nothing is validated here beyond shapes, so Import
// reports a value steward refuses with the section and field at fault.
func FromOpenWebUI(doc map[string]any) OpenWebUIConfig {
	flat := map[string]any{}
	flattenOpenWebUI("", doc, flat)
	m := &owuiMapper{flat: flat, used: map[string]bool{"version": true}}
	sections := map[string]any{}
	for _, s := range []struct {
		key string
		fn  func() any
	}{
		{AuthKey, m.auth}, {ConnectionsKey, m.connections}, {ToolServersKey, m.toolServers},
		{CodeExecutionKey, m.codeExecution}, {ModelsKey, m.models}, {PromptSuggestionsKey, m.promptSuggestions},
		{BannersKey, m.banners}, {LDAPKey, m.ldap}, {OAuthKey, m.oauth}, {UIKey, m.ui},
	} {
		if v := s.fn(); v != nil {
			sections[s.key] = v
		}
	}
	out := OpenWebUIConfig{Document: map[string]any{"version": ExportVersion, "sections": sections}}
	if p, ok := m.take("user.permissions"); ok {
		if tree, ok := p.(map[string]any); ok {
			out.DefaultPermissions = tree
		}
	}
	for k := range flat {
		if !m.used[k] {
			out.Ignored = append(out.Ignored, k)
		}
	}
	sort.Strings(out.Ignored)
	return out
}

// owuiLeaves are the keys whose values are objects kept whole rather than walked into.
var owuiLeaves = map[string]bool{
	"user.permissions": true, "openai.api_configs": true, "ollama.api_configs": true,
	"tool_server.connections": true, "terminal_server.connections": true,
	"image_generation.comfyui.nodes": true, "images.edit.comfyui.nodes": true,
	"models.default_metadata": true, "models.default_params": true,
}

// The newer per-key table stores some OpenID Connect keys without their "oidc." level.
var owuiAliases = map[string]string{
	"oauth.client_id": "oauth.oidc.client_id", "oauth.client_secret": "oauth.oidc.client_secret",
	"oauth.provider_url": "oauth.oidc.provider_url", "oauth.provider_name": "oauth.oidc.provider_name",
	"oauth.scopes": "oauth.oidc.scopes", "oauth.username_claim": "oauth.oidc.username_claim",
	"oauth.email_claim": "oauth.oidc.email_claim", "oauth.picture_claim": "oauth.oidc.avatar_claim",
	"oauth.group_claim": "oauth.oidc.group_claim", "oauth.redirect_uri": "oauth.oidc.redirect_uri",
	"auth.enable_api_keys": "auth.api_key.enable",
}

func flattenOpenWebUI(prefix string, v map[string]any, out map[string]any) {
	for k, val := range v {
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		if alias, ok := owuiAliases[path]; ok {
			path = alias
		}
		if sub, ok := val.(map[string]any); ok && !owuiLeaves[path] && len(sub) > 0 {
			flattenOpenWebUI(path, sub, out)
			continue
		}
		out[path] = val
	}
}

type owuiMapper struct {
	flat map[string]any
	used map[string]bool
}

func (m *owuiMapper) take(key string) (any, bool) {
	v, ok := m.flat[key]
	if ok {
		m.used[key] = true
	}
	return v, ok
}

// set copies key into sec[field] through conv when the document has it.
func (m *owuiMapper) set(sec map[string]any, field, key string, conv func(any) any) {
	if v, ok := m.take(key); ok {
		if conv != nil {
			v = conv(v)
		}
		sec[field] = v
	}
}

func orNil(sec map[string]any) any {
	if len(sec) == 0 {
		return nil
	}
	return sec
}

func (m *owuiMapper) auth() any {
	sec := map[string]any{}
	m.set(sec, "enableSignup", "ui.enable_signup", owuiBool)
	m.set(sec, "defaultUserRole", "ui.default_user_role", upper)
	m.set(sec, "defaultGroupId", "ui.default_group_id", owuiString)
	m.set(sec, "jwtExpiresIn", "auth.jwt_expiry", owuiString)
	m.set(sec, "enableApiKeys", "auth.api_key.enable", owuiBool)
	m.set(sec, "showAdminDetails", "auth.admin.show", owuiBool)
	return orNil(sec)
}

// ui is the front end's default language; its name is WEBUI_NAME, an environment variable that
// Open WebUI never stores.
func (m *owuiMapper) ui() any {
	sec := map[string]any{}
	m.set(sec, "defaultLocale", "ui.default_locale", owuiString)
	return orNil(sec)
}

func (m *owuiMapper) connections() any {
	sec := map[string]any{}
	m.set(sec, "enableDirectConnections", "direct.enable", owuiBool)
	m.set(sec, "enableBaseModelsCache", "models.base_models_cache", owuiBool)
	urls, hasURLs := m.take("openai.api_base_urls")
	keys, _ := m.take("openai.api_keys")
	configs, _ := m.take("openai.api_configs")
	enabled := true
	if v, ok := m.take("openai.enable"); ok {
		enabled = owuiBool(v).(bool)
	}
	if hasURLs {
		keyList := owuiList(keys)
		cfgs, _ := configs.(map[string]any)
		conns := []any{}
		for i, u := range owuiList(urls) {
			c := map[string]any{"id": fmt.Sprintf("openai-%d", i), "url": owuiString(u), "enabled": enabled}
			if i < len(keyList) {
				if k := owuiString(keyList[i]).(string); k != "" {
					c["key"] = k
				}
			}
			// api_configs is keyed by the connection's index (older versions: by its URL).
			cfg, _ := cfgs[fmt.Sprint(i)].(map[string]any)
			if cfg == nil {
				cfg, _ = cfgs[fmt.Sprint(owuiString(u))].(map[string]any)
			}
			if cfg != nil {
				if e, ok := cfg["enable"]; ok {
					c["enabled"] = enabled && owuiBool(e).(bool)
				}
				if ids := owuiStrings(cfg["model_ids"]); len(ids) > 0 {
					c["modelIds"] = ids
				}
			}
			conns = append(conns, c)
		}
		sec["openai"] = conns
	}
	return orNil(sec)
}

// toolAuthTypes maps Open WebUI's auth_type values onto steward's.
var toolAuthTypes = map[string]string{
	"": "NONE", "none": "NONE", "bearer": "BEARER", "session": "SESSION",
	"system_oauth": "SYSTEM_OAUTH", "oauth_2.1": "OAUTH21",
}

func (m *owuiMapper) toolServers() any {
	v, ok := m.take("tool_server.connections")
	if !ok {
		return nil
	}
	out := []any{}
	for i, raw := range owuiList(v) {
		c, _ := raw.(map[string]any)
		if c == nil {
			continue
		}
		info, _ := c["info"].(map[string]any)
		id := fmt.Sprintf("tool-%d", i)
		if info != nil && owuiString(info["id"]).(string) != "" {
			id = owuiString(info["id"]).(string)
		}
		typ := upper(c["type"]).(string)
		if typ == "" {
			typ = "OPENAPI"
		}
		authType, known := toolAuthTypes[strings.ToLower(owuiString(c["auth_type"]).(string))]
		if !known {
			authType = upper(c["auth_type"]).(string)
		}
		s := map[string]any{"id": id, "url": owuiString(c["url"]), "path": owuiString(c["path"]), "type": typ, "authType": authType}
		if k := owuiString(c["key"]).(string); k != "" {
			s["key"] = k
		}
		if cfg, ok := c["config"].(map[string]any); ok {
			s["config"] = cfg
		}
		if info != nil {
			s["info"] = info
		}
		if h, ok := c["headers"].(map[string]any); ok && len(h) > 0 {
			hs := map[string]any{}
			for k, v := range h {
				hs[k] = owuiString(v)
			}
			s["headers"] = hs
		}
		out = append(out, s)
	}
	return out
}

func (m *owuiMapper) jupyter(prefix string) map[string]any {
	j := map[string]any{}
	m.set(j, "url", prefix+".url", owuiString)
	m.set(j, "auth", prefix+".auth", func(v any) any {
		if s := upper(v).(string); s != "" {
			return s
		}
		return "NONE"
	})
	m.set(j, "token", prefix+".auth_token", owuiString)
	m.set(j, "password", prefix+".auth_password", owuiString)
	m.set(j, "timeout", prefix+".timeout", owuiInt)
	if len(j) == 0 {
		return nil
	}
	return j
}

func (m *owuiMapper) codeExecution() any {
	sec := map[string]any{}
	m.set(sec, "enableCodeExecution", "code_execution.enable", owuiBool)
	m.set(sec, "codeExecutionEngine", "code_execution.engine", upper)
	if j := m.jupyter("code_execution.jupyter"); j != nil {
		sec["codeExecutionJupyter"] = j
	}
	m.set(sec, "enableCodeInterpreter", "code_interpreter.enable", owuiBool)
	m.set(sec, "codeInterpreterEngine", "code_interpreter.engine", upper)
	m.set(sec, "codeInterpreterPromptTemplate", "code_interpreter.prompt_template", owuiString)
	if j := m.jupyter("code_interpreter.jupyter"); j != nil {
		sec["codeInterpreterJupyter"] = j
	}
	return orNil(sec)
}

func (m *owuiMapper) models() any {
	sec := map[string]any{}
	m.set(sec, "defaultModels", "ui.default_models", owuiCommaList)
	m.set(sec, "defaultPinnedModels", "ui.default_pinned_models", owuiCommaList)
	m.set(sec, "modelOrderList", "ui.model_order_list", owuiCommaList)
	return orNil(sec)
}

func (m *owuiMapper) promptSuggestions() any {
	v, ok := m.take("ui.prompt_suggestions")
	if !ok {
		return nil
	}
	out := []any{}
	for _, raw := range owuiList(v) {
		p, _ := raw.(map[string]any)
		if p == nil {
			continue
		}
		out = append(out, map[string]any{"title": owuiStrings(p["title"]), "content": owuiString(p["content"])})
	}
	return out
}

func (m *owuiMapper) banners() any {
	v, ok := m.take("ui.banners")
	if !ok {
		return nil
	}
	out := []any{}
	for _, raw := range owuiList(v) {
		b, _ := raw.(map[string]any)
		if b == nil {
			continue
		}
		ts := time.Unix(owuiInt(b["timestamp"]).(int64), 0).UTC()
		out = append(out, map[string]any{
			"id": owuiString(b["id"]), "type": upper(b["type"]), "title": owuiString(b["title"]),
			"content": owuiString(b["content"]), "dismissible": owuiBool(b["dismissible"]),
			"timestamp": ts.Format(time.RFC3339),
		})
	}
	return out
}

func (m *owuiMapper) ldap() any {
	sec := map[string]any{}
	m.set(sec, "enabled", "ldap.enable", owuiBool)
	m.set(sec, "host", "ldap.server.host", owuiString)
	m.set(sec, "port", "ldap.server.port", owuiInt)
	m.set(sec, "useTls", "ldap.server.use_tls", owuiBool)
	m.set(sec, "caCertFile", "ldap.server.ca_cert_file", owuiString)
	m.set(sec, "validateCert", "ldap.server.validate_cert", owuiBool)
	m.set(sec, "appDn", "ldap.server.app_dn", owuiString)
	m.set(sec, "appPassword", "ldap.server.app_password", owuiString)
	m.set(sec, "searchBase", "ldap.server.users_dn", owuiString)
	m.set(sec, "searchFilters", "ldap.server.search_filter", owuiString)
	m.set(sec, "searchFilters", "ldap.server.search_filters", owuiString)
	m.set(sec, "attributeForUsername", "ldap.server.attribute_for_username", owuiString)
	m.set(sec, "attributeForMail", "ldap.server.attribute_for_mail", owuiString)
	m.set(sec, "attributeForGroups", "ldap.server.attribute_for_groups", owuiString)
	m.set(sec, "groupManagement", "ldap.group.enable_management", owuiBool)
	m.set(sec, "groupCreation", "ldap.group.enable_creation", owuiBool)
	return orNil(sec)
}

// oauth maps the OpenID Connect providers Open WebUI configures: its generic one (id "oidc",
// which is also the provider of a bare oauth_sub), Google and Microsoft. GitHub and Feishu speak
// plain OAuth 2, which steward does not, so their keys stay in the ignored list. The shared
// claim, role and group settings apply to each provider, as in Open WebUI.
func (m *owuiMapper) oauth() any {
	type source struct {
		id, name, issuer, prefix, scopeKey string
	}
	var found []source
	if m.has("oauth.oidc.client_id") && m.has("oauth.oidc.provider_url") {
		name := "SSO"
		if v, ok := m.flat["oauth.oidc.provider_name"]; ok && owuiString(v).(string) != "" {
			name = owuiString(v).(string)
		}
		m.used["oauth.oidc.provider_name"] = true
		found = append(found, source{"oidc", name, owuiString(m.flat["oauth.oidc.provider_url"]).(string), "oauth.oidc", "oauth.oidc.scopes"})
		m.used["oauth.oidc.provider_url"] = true
	}
	if m.has("oauth.google.client_id") {
		found = append(found, source{"google", "Google", "https://accounts.google.com", "oauth.google", "oauth.google.scope"})
	}
	if m.has("oauth.microsoft.client_id") && m.has("oauth.microsoft.tenant_id") {
		tenant, _ := m.take("oauth.microsoft.tenant_id")
		found = append(found, source{"microsoft", "Microsoft", "https://login.microsoftonline.com/" + owuiString(tenant).(string) + "/v2.0",
			"oauth.microsoft", "oauth.microsoft.scope"})
	}
	if len(found) == 0 {
		return nil
	}
	shared := map[string]any{}
	m.set(shared, "enableSignup", "oauth.enable_signup", owuiBool)
	m.set(shared, "mergeAccountsByEmail", "oauth.merge_accounts_by_email", owuiBool)
	m.set(shared, "usernameClaim", "oauth.oidc.username_claim", owuiString)
	m.set(shared, "emailClaim", "oauth.oidc.email_claim", owuiString)
	m.set(shared, "pictureClaim", "oauth.oidc.avatar_claim", owuiString)
	m.set(shared, "rolesClaim", "oauth.roles_claim", owuiString)
	m.set(shared, "groupsClaim", "oauth.oidc.group_claim", owuiString)
	m.set(shared, "roleManagement", "oauth.enable_role_mapping", owuiBool)
	m.set(shared, "allowedRoles", "oauth.allowed_roles", owuiCommaList)
	m.set(shared, "adminRoles", "oauth.admin_roles", owuiCommaList)
	m.set(shared, "groupManagement", "oauth.enable_group_mapping", owuiBool)
	m.set(shared, "groupManagement", "oauth.enable_group_management", owuiBool)
	m.set(shared, "groupCreation", "oauth.enable_group_creation", owuiBool)
	m.set(shared, "blockedGroups", "oauth.blocked_groups", owuiCommaList)
	m.set(shared, "allowedDomains", "oauth.allowed_domains", owuiCommaList)
	// Each provider starts from steward's provider defaults: the section decodes strictly, and
	// a field Open WebUI left unset must not come out empty.
	var base map[string]any
	raw, _ := json.Marshal(DefaultOAuthProvider())
	_ = json.Unmarshal(raw, &base)
	providers := []any{}
	for _, src := range found {
		p := map[string]any{}
		for k, v := range base {
			p[k] = v
		}
		for k, v := range shared {
			p[k] = v
		}
		p["id"], p["name"], p["issuerUrl"] = src.id, src.name, src.issuer
		m.set(p, "clientId", src.prefix+".client_id", owuiString)
		m.set(p, "clientSecret", src.prefix+".client_secret", owuiString)
		m.set(p, "redirectUri", src.prefix+".redirect_uri", owuiString)
		p["scopes"] = []string{"openid", "email", "profile"}
		if v, ok := m.take(src.scopeKey); ok {
			if scopes := strings.Fields(strings.ReplaceAll(owuiString(v).(string), ",", " ")); len(scopes) > 0 {
				p["scopes"] = scopes
			}
		}
		providers = append(providers, p)
	}
	return map[string]any{"providers": providers}
}

func (m *owuiMapper) has(key string) bool {
	v, ok := m.flat[key]
	return ok && owuiString(v).(string) != ""
}

// The conversions below are lenient about how Open WebUI stored a value (its environment
// parsing leaves "true", "8080" and "a,b" strings in older documents).

func owuiBool(v any) any {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		s := strings.ToLower(strings.TrimSpace(x))
		return s == "true" || s == "1" || s == "yes"
	case float64:
		return x != 0
	case int64:
		return x != 0
	}
	return false
}

func owuiString(v any) any {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprint(int64(x))
		}
	}
	return fmt.Sprint(v)
}

func upper(v any) any { return strings.ToUpper(strings.TrimSpace(owuiString(v).(string))) }

func owuiInt(v any) any {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case int64:
		return x
	case int:
		return int64(x)
	case string:
		var n int64
		_, _ = fmt.Sscan(strings.TrimSpace(x), &n)
		return n
	}
	return int64(0)
}

func owuiList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}

func owuiStrings(v any) []string {
	out := []string{}
	for _, x := range owuiList(v) {
		if s := owuiString(x).(string); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// owuiCommaList reads a list, or Open WebUI's comma-separated string form of one.
func owuiCommaList(v any) any {
	if s, ok := v.(string); ok {
		out := []string{}
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	return owuiStrings(v)
}

// OverlayOpenWebUI puts the fields of a section mapped from Open WebUI over its stored value, so
// that fields Open WebUI does not have keep steward's; a list section is replaced, and of the
// OpenID Connect providers only those Open WebUI configures (by id): steward's others stay.
func OverlayOpenWebUI(stored, mapped any) any {
	s, ok1 := stored.(map[string]any)
	m, ok2 := mapped.(map[string]any)
	if !ok1 || !ok2 {
		return mapped
	}
	out := make(map[string]any, len(s)+len(m))
	for k, v := range s {
		out[k] = v
	}
	for k, v := range m {
		out[k] = v
	}
	if old, ok := s["providers"].([]any); ok {
		if next, ok := m["providers"].([]any); ok {
			out["providers"] = mergeByID(old, next)
		}
	}
	return out
}

// mergeByID returns next followed by the entries of old whose id next does not have.
func mergeByID(old, next []any) []any {
	ids := map[any]bool{}
	for _, n := range next {
		if e, ok := n.(map[string]any); ok {
			ids[e["id"]] = true
		}
	}
	out := append([]any{}, next...)
	for _, o := range old {
		if e, ok := o.(map[string]any); ok && !ids[e["id"]] {
			out = append(out, o)
		}
	}
	return out
}
