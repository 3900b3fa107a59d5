package settings_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/settings"
)

type discardAudit struct{}

func (discardAudit) Record(context.Context, audit.Entry) error { return nil }

// FuzzImport feeds configuration documents to Import on a throwaway SQLite database. A document
// is applied or refused with a categorised error (never an internal one), and what was applied
// exports to a document whose import changes nothing.
func FuzzImport(f *testing.F) {
	d := dbtest.NewDB(f, dbtest.SQLite)
	svc, err := settings.NewService(settings.ServiceConfig{Store: settings.NewStore(d.Client), Client: d.Client, Audit: discardAudit{}})
	if err != nil {
		f.Fatal(err)
	}
	ctx := auth.WithViewer(context.Background(), &auth.Viewer{UserID: "admin", Role: auth.RoleAdmin})
	export, err := svc.Export(ctx, true)
	if err != nil {
		f.Fatal(err)
	}
	// One seed per section rather than the whole export: the fuzzer minimises every input that finds
	// new coverage, trying a number of candidates that grows with the square of its length, and
	// from a 1 KB document that took the whole minute -fuzzminimizetime allows, during which no
	// other input ran.
	var seeds []string
	for name, section := range export["sections"].(map[string]any) {
		doc, _ := json.Marshal(map[string]any{"version": settings.ExportVersion, "sections": map[string]any{name: section}})
		seeds = append(seeds, string(doc))
	}
	for _, s := range append(seeds, `{"version": 1, "sections": {}}`, `{"version": 2}`, `{"version": "1", "sections": []}`,
		`{"version": 1, "sections": {"banners": [{"id": "b1", "type": "info", "content": "hi\nthere", "dismissible": true}]}}`,
		`{"version": 1, "sections": {"auth": {"jwtExpiresIn": "1e300w"}}}`,
		`{"version": 1, "sections": {"promptSuggestions": [{"title": ["a", "b"], "content": "c"}]}}`,
		`{"version": 1, "sections": {"toolServers": [{"url": "http://127.0.0.1:1", "key": "k"}]}}`,
		`{"version": 1, "sections": {"rateLimits": {"signinPerIp": {"rate": -1, "periodSeconds": 0}}}}`,
		`{"version": 1, "sections": {"models": {"defaultModels": ["a", "a"]}, "nope": {}}}`) {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, doc string, dryRun bool) {
		var m map[string]any
		dec := json.NewDecoder(bytesReader(doc))
		dec.UseNumber() // as the GraphQL transport decodes variables
		if dec.Decode(&m) != nil || m == nil {
			return
		}
		err := withinDeadline(t, doc, func() error { _, err := svc.Import(ctx, m, dryRun); return err })
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Code != errs.CodeBadUserInput {
				t.Fatalf("Import(%s) = %v, want BAD_USER_INPUT", doc, err)
			}
			return
		}
		again, err := svc.Export(ctx, true)
		if err != nil {
			t.Fatalf("Export after importing %s: %v", doc, err)
		}
		raw, _ := json.Marshal(again)
		var round map[string]any
		dec = json.NewDecoder(bytesReader(string(raw)))
		dec.UseNumber()
		if err := dec.Decode(&round); err != nil {
			t.Fatal(err)
		}
		res, err := svc.Import(ctx, round, true)
		if err != nil {
			t.Fatalf("re-importing the export after %s: %v", doc, err)
		}
		if len(res.Changes) != 0 {
			t.Fatalf("re-importing the export after %s changes %v", doc, res.Changes)
		}
	})
}

func bytesReader(s string) *strings.Reader { return strings.NewReader(s) }

// withinDeadline runs fn and fails the test when it has not returned within a generous 10 seconds: a
// fuzz input that hangs would otherwise stall the fuzzer silently.
func withinDeadline(t *testing.T, doc string, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("Import(%s) has not returned after 10 seconds", doc)
		return nil
	}
}
