package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const (
	toolKey       = "tool-server-key-Z9x8"
	jupyterToken  = "jupyter-token-Q7w6"
	jupyterPasswd = "jupyter-password-K5j4"
	toolHeader    = "tool-header-token-M3n2"
)

// setSecrets stores one secret of each kind.
func setSecrets(t *testing.T, s *st.Server, token string) {
	t.Helper()
	s.MustQuery(t, token, `mutation($in: [ToolServerInput!]!) { setToolServers(servers: $in) { id keySet } }`, "in", []any{
		map[string]any{"id": "tools", "url": "https://tools.example.com", "type": "OPENAPI", "key": toolKey,
			"headers": map[string]any{"X-Team": "a", "X-Api-Token": toolHeader}},
	})
	s.MustQuery(t, token, `mutation($in: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $in) { enableCodeExecution } }`, "in", map[string]any{
		"codeExecutionEngine":    "JUPYTER",
		"codeExecutionJupyter":   map[string]any{"url": "https://jupyter.example.com", "auth": "TOKEN", "token": jupyterToken},
		"codeInterpreterJupyter": map[string]any{"auth": "PASSWORD", "password": jupyterPasswd},
	})
}

func noSecrets(t *testing.T, what, raw string) {
	t.Helper()
	for _, secret := range []string{toolKey, jupyterToken, jupyterPasswd, toolHeader} {
		if strings.Contains(raw, secret) {
			t.Fatalf("%s reveals a secret: %s", what, raw)
		}
	}
}

func TestConfigSecretsNeverReturned(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		setSecrets(t, s, admin.Token)

		r := s.Query(t, admin.Token, configQuery)
		noSecrets(t, "config", r.Raw)
		checks := map[string]any{
			"config.toolServers.0.keySet":                             true,
			"config.codeExecution.codeExecutionJupyter.tokenSet":      true,
			"config.codeExecution.codeExecutionJupyter.passwordSet":   false,
			"config.codeExecution.codeInterpreterJupyter.passwordSet": true,
			"config.codeExecution.codeInterpreterJupyter.auth":        "PASSWORD",
			"config.toolServers.0.headers.X-Team":                     "********",
			"config.toolServers.0.headers.X-Api-Token":                "********",
			"config.codeExecution.codeExecutionJupyter.url":           "https://jupyter.example.com",
			"config.codeExecution.codeInterpreterJupyter.timeout":     float64(60),
			"config.codeExecution.codeInterpreterJupyter.tokenSet":    false,
			"config.codeExecution.codeExecutionEngine":                "JUPYTER",
			"config.codeExecution.codeInterpreterEngine":              "PYODIDE",
			"config.toolServers.0.authType":                           "BEARER",
			"config.toolServers.0.path":                               "openapi.json",
			"config.toolServers.0.id":                                 "tools",
			"config.codeExecution.codeExecutionJupyter.auth":          "TOKEN",
			"config.codeExecution.enableCodeInterpreter":              true,
			"config.codeExecution.codeInterpreterPromptTemplate":      "",
			"config.toolServers.0.type":                               "OPENAPI",
			"config.toolServers.0.url":                                "https://tools.example.com",
			"config.codeExecution.codeExecutionJupyter.timeout":       float64(60),
			"config.codeExecution.enableCodeExecution":                true,
			"config.codeExecution.codeInterpreterJupyter.url":         "",
		}
		for path, want := range checks {
			if got := st.Get(r.Data, path); got != want {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}

		// Saving the headers as config shows them keeps their stored values, and a new value
		// replaces one.
		r = s.Query(t, admin.Token, `mutation($h: JSON) { setToolServers(servers: [{id: "tools", url: "https://tools.example.com", type: OPENAPI, headers: $h}]) { headers } }`,
			"h", map[string]any{"X-Team": "b", "X-Api-Token": "********"})
		noSecrets(t, "setToolServers", r.Raw)
		full := toString(st.Get(s.MustQuery(t, admin.Token, `{ exportConfig(includeSecrets: true) }`), "exportConfig"))
		if !strings.Contains(full, toolHeader) || !strings.Contains(full, `"X-Team":"b"`) {
			t.Fatalf("headers after saving them masked: %s", full)
		}

		// Saving the list again without keys (as a client that never saw them would) keeps them.
		r = s.Query(t, admin.Token, `mutation { setToolServers(servers: [{id: "tools", url: "https://tools.example.com", type: OPENAPI, authType: BEARER}]) { keySet } }`)
		noSecrets(t, "setToolServers", r.Raw)
		if st.Get(r.Data, "setToolServers.0.keySet") != true {
			t.Fatalf("key lost when saving without one: %s", r.Raw)
		}
		r = s.Query(t, admin.Token, `mutation { updateCodeExecutionConfig(input: {codeExecutionJupyter: {timeout: 30}}) { codeExecutionJupyter { tokenSet timeout } } }`)
		if st.Get(r.Data, "updateCodeExecutionConfig.codeExecutionJupyter.tokenSet") != true {
			t.Fatalf("token lost when updating another field: %s", r.Raw)
		}
		// An empty string removes a secret.
		r = s.Query(t, admin.Token, `mutation { setToolServers(servers: [{id: "tools", url: "https://tools.example.com", type: OPENAPI, authType: NONE, key: ""}]) { keySet } }`)
		if st.Get(r.Data, "setToolServers.0.keySet") != false {
			t.Fatalf("key not removed: %s", r.Raw)
		}

		// The audit log records that secrets changed, never their values.
		logs, err := s.App.DB.Client.AuditLog.Query().All(sysCtx())
		if err != nil {
			t.Fatal(err)
		}
		noSecrets(t, "audit log", toString(logs))
		if !strings.Contains(toString(logs), "[redacted]") {
			t.Fatalf("audit log does not record the secret change: %s", toString(logs))
		}
		noSecrets(t, "masked export", s.Query(t, admin.Token, `{ exportConfig }`).Raw)
	})
}

func TestConfigExportImport(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		src := st.New(t, b)
		admin := src.Signup(t, "Ada")
		setSecrets(t, src, admin.Token)
		src.MustQuery(t, admin.Token, `mutation { setBanners(banners: [{id: "b1", type: INFO, content: "Hello", timestamp: "2030-01-01T00:00:00Z"}]) { id } }`)
		src.MustQuery(t, admin.Token, `mutation { updateModelsConfig(input: {defaultModels: ["m1"]}) { defaultModels } }`)
		src.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {jwtExpiresIn: "2d"}) { jwtExpiresIn } }`)

		full := st.Get(src.MustQuery(t, admin.Token, `{ exportConfig(includeSecrets: true) }`), "exportConfig")
		if !strings.Contains(toString(full), toolKey) || st.Get(full, "version") != float64(1) {
			t.Fatalf("export with secrets: %v", full)
		}
		masked := st.Get(src.MustQuery(t, admin.Token, `mutation { exportConfig }`), "exportConfig")
		noSecrets(t, "mutation exportConfig", toString(masked))

		dst := st.New(t, b)
		dstAdmin := dst.Signup(t, "Root")
		before := dst.MustQuery(t, dstAdmin.Token, configQuery)
		importQ := `mutation($c: JSON!, $dry: Boolean) { importConfig(config: $c, dryRun: $dry) { dryRun changes { section field old new } } }`

		t.Run("dry run changes nothing", func(t *testing.T) {
			r := dst.Query(t, dstAdmin.Token, importQ, "c", full, "dry", true)
			if len(r.Errors) > 0 || st.Get(r.Data, "importConfig.dryRun") != true {
				t.Fatalf("dry run: %s", r.Raw)
			}
			noSecrets(t, "dry run", r.Raw)
			fields := map[string]bool{}
			for _, c := range st.Get(r.Data, "importConfig.changes").([]any) {
				fields[toString(st.Get(c, "section"))+"."+toString(st.Get(c, "field"))] = true
			}
			for _, want := range []string{`"banners"."0.content"`, `"models"."defaultModels.0"`, `"toolServers"."0.key"`, `"auth"."jwtExpiresIn"`} {
				if !fields[want] {
					t.Errorf("dry run does not list %s: %v", want, fields)
				}
			}
			if after := dst.MustQuery(t, dstAdmin.Token, configQuery); toString(after) != toString(before) {
				t.Fatal("dry run changed the configuration")
			}
			if n := configAuditCount(t, dst, "banners"); n != 0 {
				t.Fatalf("dry run wrote %d audit entries", n)
			}
		})
		t.Run("invalid section rejects everything", func(t *testing.T) {
			bad := cloneJSON(t, full)
			bad["sections"].(map[string]any)["models"] = map[string]any{"defaultModels": []any{"x", "x"}}
			wantInvalid(t, dst.Query(t, dstAdmin.Token, importQ, "c", bad), "sections.models.defaultModels.1")
			bad = cloneJSON(t, full)
			bad["sections"].(map[string]any)["nope"] = map[string]any{}
			wantInvalid(t, dst.Query(t, dstAdmin.Token, importQ, "c", bad), "sections.nope")
			bad = cloneJSON(t, full)
			bad["sections"].(map[string]any)["auth"].(map[string]any)["surprise"] = true
			wantInvalid(t, dst.Query(t, dstAdmin.Token, importQ, "c", bad), "sections.auth")
			bad = cloneJSON(t, full)
			bad["version"] = 2
			wantInvalid(t, dst.Query(t, dstAdmin.Token, importQ, "c", bad), "version")
			if after := dst.MustQuery(t, dstAdmin.Token, configQuery); toString(after) != toString(before) {
				t.Fatal("a rejected import changed the configuration")
			}
		})
		t.Run("round trip", func(t *testing.T) {
			dst.MustQuery(t, dstAdmin.Token, importQ, "c", full)
			want := src.MustQuery(t, admin.Token, configQuery)
			got := dst.MustQuery(t, dstAdmin.Token, configQuery)
			if toString(got) != toString(want) {
				t.Fatalf("after import:\n got %v\nwant %v", got, want)
			}
			if n := configAuditCount(t, dst, "toolServers"); n != 1 {
				t.Fatalf("audit entries for toolServers = %d, want 1", n)
			}
			// Importing the masked export keeps the secrets that were imported.
			r := dst.Query(t, dstAdmin.Token, importQ, "c", masked)
			if len(r.Errors) > 0 || len(st.Get(r.Data, "importConfig.changes").([]any)) != 0 {
				t.Fatalf("masked re-import should change nothing: %s", r.Raw)
			}
			if st.Get(dst.MustQuery(t, dstAdmin.Token, configQuery), "config.toolServers.0.keySet") != true {
				t.Fatal("masked import dropped the key")
			}
			if got := toString(dst.MustQuery(t, dstAdmin.Token, `{ exportConfig(includeSecrets: true) }`)); !strings.Contains(got, toolHeader) {
				t.Fatalf("masked import dropped a header value: %s", got)
			}
		})
	})
}

func cloneJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(toString(v)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConfigEnvSeedThenDatabaseWins starts with an environment value, changes it through the API
// and restarts on the same database with the environment unchanged: the database value stays.
func TestConfigEnvSeedThenDatabaseWins(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		env := map[string]string{"ENABLE_DIRECT_CONNECTIONS": "true", "DEFAULT_MODELS": "seed-model", "ENABLE_SIGNUP": "true"}
		first := st.New(t, b, st.WithEnv(env))
		admin := first.Signup(t, "Ada")
		d := first.MustQuery(t, admin.Token, configQuery)
		if st.Get(d, "config.connections.enableDirectConnections") != true || st.Get(d, "config.models.defaultModels.0") != "seed-model" {
			t.Fatalf("environment not seeded: %v", d)
		}
		first.MustQuery(t, admin.Token, `mutation { updateConnectionsConfig(input: {enableDirectConnections: false}) { enableDirectConnections } }`)
		first.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {enableSignup: false}) { enableSignup } }`)

		second := st.New(t, b, st.WithEnv(env), st.WithDatabaseURL(first.Config.DatabaseURL))
		d = second.MustQuery(t, admin.Token, configQuery)
		if got := st.Get(d, "config.connections.enableDirectConnections"); got != false {
			t.Fatalf("after restart enableDirectConnections = %v, want the database's false", got)
		}
		if got := st.Get(d, "config.auth.enableSignup"); got != false {
			t.Fatalf("after restart enableSignup = %v, want the database's false", got)
		}
		if got := st.Get(d, "config.models.defaultModels.0"); got != "seed-model" {
			t.Fatalf("untouched seeded value = %v", got)
		}
	})
}

// TestConfigCarriesPermissionsAndGroups: exportConfig holds the default permissions and the
// groups with their grants and denials; importConfig on another server reproduces them (groups
// matched by name, members left alone), reports them in a dry run, refuses a bad group whole, and
// a second import changes nothing.
func TestConfigCarriesPermissionsAndGroups(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		src := st.New(t, b)
		admin := src.Signup(t, "Ada")
		src.MustQuery(t, admin.Token, `mutation { updateDefaultPermissions(permissions: {chat: {delete: false}, features: {web_search: false}}) }`)
		src.MustQuery(t, admin.Token, `mutation { createGroup(input: {name: "Engineering", description: "builders",
			permissions: {features: {web_search: true}}, deniedPermissions: ["chat.delete"]}) { id } }`)
		src.MustQuery(t, admin.Token, `mutation { createGroup(input: {name: "Support"}) { id } }`)
		doc := st.Get(src.MustQuery(t, admin.Token, `{ exportConfig }`), "exportConfig")
		if st.Get(doc, "sections.defaultPermissions.chat.delete") != false || st.Get(doc, "sections.groups.0.name") != "Engineering" ||
			st.Get(doc, "sections.groups.0.deniedPermissions.0") != "chat.delete" {
			t.Fatalf("export lacks the permissions or groups: %s", toString(doc))
		}

		dst := st.New(t, b)
		root := dst.Signup(t, "Root")
		// A group of the same name with other grants, and members, is updated in place.
		support := st.Get(dst.MustQuery(t, root.Token, `mutation { createGroup(input: {name: "Support", permissions: {chat: {delete: true}}}) { id } }`), "createGroup.id")
		member := dst.Signup(t, "Bob")
		dst.MustQuery(t, root.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`, "g", support, "u", []any{member.ID})
		groupsQ := `{ groups(orderBy: {field: NAME}) { edges { node { id name description permissions deniedPermissions } } } defaultPermissions }`
		importQ := `mutation($c: JSON!, $dry: Boolean) { importConfig(config: $c, dryRun: $dry) { dryRun changes { section field old new } } }`
		before := toString(dst.MustQuery(t, root.Token, groupsQ))

		r := dst.Query(t, root.Token, importQ, "c", doc, "dry", true)
		if len(r.Errors) > 0 {
			t.Fatalf("dry run: %s", r.Raw)
		}
		fields := map[string]bool{}
		for _, c := range st.Get(r.Data, "importConfig.changes").([]any) {
			fields[toString(st.Get(c, "section"))+" "+toString(st.Get(c, "field"))] = true
		}
		for _, want := range []string{`"defaultPermissions" "chat.delete"`, `"groups" "Engineering.deniedPermissions.0"`, `"groups" "Support.permissions.chat.delete"`} {
			if !fields[want] {
				t.Errorf("dry run does not list %s: %v", want, fields)
			}
		}
		if after := toString(dst.MustQuery(t, root.Token, groupsQ)); after != before {
			t.Fatal("dry run changed groups or permissions")
		}

		bad := cloneJSON(t, doc)
		bad["sections"].(map[string]any)["groups"].([]any)[1].(map[string]any)["permissions"] = map[string]any{"no_such": map[string]any{"key": true}}
		wantInvalid(t, dst.Query(t, root.Token, importQ, "c", bad), "sections.groups.1.permissions.no_such")
		bad = cloneJSON(t, doc)
		bad["sections"].(map[string]any)["defaultPermissions"] = map[string]any{"chat": map[string]any{"delete": "yes"}}
		wantInvalid(t, dst.Query(t, root.Token, importQ, "c", bad), "sections.defaultPermissions.chat.delete")
		if after := toString(dst.MustQuery(t, root.Token, groupsQ)); after != before {
			t.Fatal("a refused import changed groups or permissions")
		}

		dst.MustQuery(t, root.Token, importQ, "c", doc)
		d := dst.MustQuery(t, root.Token, groupsQ)
		if st.Get(d, "defaultPermissions.chat.delete") != false || st.Get(d, "defaultPermissions.features.web_search") != false {
			t.Fatalf("default permissions not imported: %v", d["defaultPermissions"])
		}
		eng, sup := st.Get(d, "groups.edges.0.node"), st.Get(d, "groups.edges.1.node")
		if st.Get(eng, "name") != "Engineering" || st.Get(eng, "description") != "builders" ||
			st.Get(eng, "permissions.features.web_search") != true || st.Get(eng, "deniedPermissions.0") != "chat.delete" {
			t.Fatalf("Engineering not imported: %v", eng)
		}
		if st.Get(sup, "id") != support || toString(st.Get(sup, "permissions")) != "{}" {
			t.Fatalf("Support not updated in place: %v", sup)
		}
		dst.SetRole(t, member.ID, "USER")
		if got := st.Get(dst.MustQuery(t, member.Token, `{ hasPermission(key: "chat.delete") }`), "hasPermission"); got != false {
			t.Fatalf("Support's member keeps chat.delete after the import: %v", got)
		}
		r = dst.Query(t, root.Token, importQ, "c", doc)
		if len(r.Errors) > 0 || len(st.Get(r.Data, "importConfig.changes").([]any)) != 0 {
			t.Fatalf("a second import should change nothing: %s", r.Raw)
		}
	})
}

// openWebUIConfigJSON is what Open WebUI's admin panel exports (Settings > Database > Export
// config): its own keys, some that steward has no place for.
const openWebUIConfigJSON = `{
  "version": 0,
  "ui": {"enable_signup": false, "default_user_role": "user", "default_models": "gpt-4o, llama3",
         "model_order_list": ["llama3", "gpt-4o"], "default_locale": "de-DE",
         "prompt_suggestions": [{"title": ["Help me study", "vocabulary"], "content": "Help me study."}],
         "banners": [{"id": "b1", "type": "info", "title": "", "content": "Maintenance tonight", "dismissible": true, "timestamp": 1733000000}],
         "enable_community_sharing": true},
  "auth": {"jwt_expiry": "12h", "api_key": {"enable": true}},
  "user": {"permissions": {"chat": {"delete": false}, "workspace": {"no_such_workspace_key": true}}},
  "rag": {"top_k": 3}
}`

// TestImportConfigAcceptsOpenWebUIConfigJSON: importConfig takes Open WebUI's config.json export,
// maps what steward knows over the stored configuration, makes its user permissions the default
// permissions and lists what it ignored; a dry run changes nothing.
func TestImportConfigAcceptsOpenWebUIConfigJSON(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		admin := s.Signup(t, "Ada")
		s.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {passwordMinLength: 14}) { passwordMinLength } }`)
		var doc map[string]any
		if err := json.Unmarshal([]byte(openWebUIConfigJSON), &doc); err != nil {
			t.Fatal(err)
		}
		importQ := `mutation($c: JSON!, $dry: Boolean) { importConfig(config: $c, dryRun: $dry) { dryRun changes { section field } ignored } }`
		before := toString(s.MustQuery(t, admin.Token, configQuery))

		dry := s.MustQuery(t, admin.Token, importQ, "c", doc, "dry", true)
		ignored := toString(st.Get(dry, "importConfig.ignored"))
		for _, want := range []string{"ui.enable_community_sharing", "rag.top_k", "user.permissions.workspace.no_such_workspace_key"} {
			if !strings.Contains(ignored, want) {
				t.Errorf("ignored lacks %s: %s", want, ignored)
			}
		}
		if len(st.Get(dry, "importConfig.changes").([]any)) == 0 {
			t.Fatalf("the dry run lists no changes: %v", dry)
		}
		if after := toString(s.MustQuery(t, admin.Token, configQuery)); after != before {
			t.Fatal("the dry run changed the configuration")
		}

		s.MustQuery(t, admin.Token, importQ, "c", doc)
		d := s.MustQuery(t, admin.Token, `{ config { auth { enableSignup defaultUserRole jwtExpiresIn enableApiKeys passwordMinLength }
			models { defaultModels modelOrderList } promptSuggestions { content } banners { content } ui { defaultLocale } }
			defaultPermissions }`)
		for path, want := range map[string]any{
			"config.auth.enableSignup": false, "config.auth.defaultUserRole": "USER", "config.auth.jwtExpiresIn": "12h",
			"config.auth.enableApiKeys": true, "config.auth.passwordMinLength": float64(14), // not Open WebUI's: kept
			"config.models.defaultModels.1": "llama3", "config.models.modelOrderList.0": "llama3",
			"config.promptSuggestions.0.content": "Help me study.", "config.banners.0.content": "Maintenance tonight",
			"config.ui.defaultLocale": "de-DE", "defaultPermissions.chat.delete": false,
		} {
			if got := st.Get(d, path); got != want {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}
		r := s.MustQuery(t, admin.Token, importQ, "c", doc)
		if n := len(st.Get(r, "importConfig.changes").([]any)); n != 0 {
			t.Errorf("importing the same config.json again changed %d fields: %v", n, r)
		}
		wantInvalid(t, s.Query(t, admin.Token, importQ, "c", map[string]any{"version": 1}), "sections")
	})
}
