package settings_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/settings"
)

func newService(t *testing.T, b dbtest.Backend) *settings.Service {
	t.Helper()
	d := dbtest.NewDB(t, b)
	svc, err := settings.NewService(settings.ServiceConfig{Store: settings.NewStore(d.Client), Client: d.Client, Audit: discardAudit{}})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// asJSON turns a document into what a client sends back: plain JSON values.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// configured is a document that changes every section from its default, secrets included.
const configured = `{"version": 1, "sections": {
  "auth": {"enableSignup": false, "defaultUserRole": "USER", "jwtExpiresIn": "12h", "enableApiKeys": true, "showAdminDetails": false, "passwordMinLength": 12},
  "connections": {"enableDirectConnections": true, "enableBaseModelsCache": true},
  "toolServers": [{"id": "t1", "url": "https://tools.example.com", "path": "/openapi.json", "type": "OPENAPI", "authType": "BEARER", "key": "tool-secret", "headers": {"X-Team": "team-secret"}}],
  "codeExecution": {"enableCodeExecution": true, "codeExecutionEngine": "JUPYTER", "codeExecutionJupyter": {"url": "http://jupyter:8888", "auth": "TOKEN", "token": "jupyter-secret", "timeout": 30},
    "enableCodeInterpreter": false, "codeInterpreterEngine": "PYODIDE", "codeInterpreterPromptTemplate": "", "codeInterpreterJupyter": {"auth": "NONE", "timeout": 60}},
  "models": {"defaultModels": ["gpt-4o"], "defaultPinnedModels": [], "modelOrderList": ["gpt-4o", "llama3"]},
  "promptSuggestions": [{"title": ["Help", "with code"], "content": "Help me with code"}],
  "banners": [{"id": "b1", "type": "WARNING", "title": "Upgrade", "content": "Tonight", "dismissible": true, "timestamp": "2025-01-01T00:00:00Z"}],
  "rateLimits": {"enabled": true, "signinPerEmail": {"rate": 5, "periodSeconds": 60}, "signinPerIp": {"rate": 0, "periodSeconds": 0},
    "signupPerIp": {"rate": 20, "periodSeconds": 3600}, "mutationsPerUser": {"rate": 300, "periodSeconds": 60}, "requestsPerIp": {"rate": 1200, "periodSeconds": 60}}
}}`

// TestMoveConfigurationBetweenServers: an export with secrets, imported on another server (on
// either database), reproduces every section; imported again it changes nothing.
func TestMoveConfigurationBetweenServers(t *testing.T) {
	ctx := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "admin", Role: auth.RoleAdmin})
	var doc map[string]any
	if err := json.Unmarshal([]byte(configured), &doc); err != nil {
		t.Fatal(err)
	}
	from := newService(t, dbtest.SQLite)
	if _, err := from.Import(ctx, doc, false); err != nil {
		t.Fatalf("configuring the source: %v", err)
	}
	export, err := from.Export(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			to := newService(t, b)
			res, err := to.Import(ctx, asJSON(t, export), false)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Changes) == 0 {
				t.Fatal("importing a configured server's export changed nothing")
			}
			got, err := to.Export(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got["sections"], export["sections"]) {
				t.Errorf("sections after the move differ:\n got %v\nwant %v", got["sections"], export["sections"])
			}
			again, err := to.Import(ctx, asJSON(t, export), true)
			if err != nil || len(again.Changes) != 0 {
				t.Errorf("importing the same export again = %v changes, %v; want none", again.Changes, err)
			}
		})
	}
}

// TestMaskedImportKeepsSecrets: an export without secrets restores everything else and keeps the
// secrets stored; a document with one bad section applies nothing.
func TestMaskedImportKeepsSecrets(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			ctx := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "admin", Role: auth.RoleAdmin})
			svc := newService(t, b)
			var doc map[string]any
			if err := json.Unmarshal([]byte(configured), &doc); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Import(ctx, doc, false); err != nil {
				t.Fatal(err)
			}
			withSecrets, err := svc.Export(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			masked, err := svc.Export(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			res, err := svc.Import(ctx, asJSON(t, masked), false)
			if err != nil || len(res.Changes) != 0 {
				t.Fatalf("importing the masked export = %v changes, %v; want none (secrets kept)", res.Changes, err)
			}

			bad := asJSON(t, withSecrets)
			secs := bad["sections"].(map[string]any)
			secs["connections"] = map[string]any{"enableDirectConnections": false, "enableBaseModelsCache": false}
			secs["banners"] = []any{map[string]any{"id": "b1", "type": "LOUD", "content": "x"}}
			_, err = svc.Import(ctx, bad, false)
			if e, ok := errs.As(err); !ok || e.Code != errs.CodeBadUserInput || e.Field != "sections.banners.0.type" {
				t.Fatalf("import with a bad banner = %v, want BAD_USER_INPUT on sections.banners.0.type", err)
			}
			after, err := svc.Export(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(after["sections"], withSecrets["sections"]) {
				t.Errorf("a refused import changed the configuration")
			}
		})
	}
}
