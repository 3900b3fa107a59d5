package persisted

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/steward-dev/steward/internal/errs"
)

func TestLoad(t *testing.T) {
	const q = `{ me { id } }`
	cases := []struct {
		name, file, wantErr string
	}{
		{"valid", `{"` + Hash(q) + `": "{ me { id } }"}`, ""},
		{"wrong hash", `{"` + Hash("other") + `": "{ me { id } }"}`, "not stored under the SHA-256"},
		{"not JSON", `[1, 2]`, "persisted operations in"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ops.json")
			if err := os.WriteFile(path, []byte(c.file), 0o600); err != nil {
				t.Fatal(err)
			}
			ops, err := Load(path)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if (c.wantErr == "") != (err == nil) || !strings.Contains(got, c.wantErr) {
				t.Fatalf("Load() error = %q, want %q", got, c.wantErr)
			}
			if err == nil && ops[Hash(q)] != q {
				t.Fatalf("Load() = %v, want the operation under its hash", ops)
			}
		})
	}
}

type admin struct{}

func TestMutateOperationParameters(t *testing.T) {
	const known, other = `{ me { id } }`, `{ me { name } }`
	apq := func(hash string) map[string]any {
		return map[string]any{"persistedQuery": map[string]any{"version": float64(1), "sha256Hash": hash}}
	}
	isAdmin := func(ctx context.Context) bool { return ctx.Value(admin{}) != nil }
	adminCtx := context.WithValue(context.Background(), admin{}, true)
	cases := []struct {
		name      string
		only      bool
		ctx       context.Context
		params    graphql.RawParams
		wantCode  errs.Code
		wantQuery string
	}{
		{"plain text", false, context.Background(), graphql.RawParams{Query: other}, "", other},
		{"known hash", false, context.Background(), graphql.RawParams{Extensions: apq(Hash(known))}, "", known},
		{"unknown hash", false, context.Background(), graphql.RawParams{Extensions: apq(Hash(other))}, errs.CodePersistedQueryNotFound, ""},
		{"hash of other text", false, context.Background(), graphql.RawParams{Query: other, Extensions: apq(Hash(known))}, errs.CodeBadUserInput, other},
		{"bad version", false, context.Background(), graphql.RawParams{Query: other, Extensions: map[string]any{"persistedQuery": map[string]any{"version": float64(2)}}}, errs.CodeBadUserInput, other},
		{"only: known text", true, context.Background(), graphql.RawParams{Query: known}, "", known},
		{"only: other text", true, context.Background(), graphql.RawParams{Query: other}, errs.CodePersistedQueryRequired, other},
		{"only: registering", true, context.Background(), graphql.RawParams{Query: other, Extensions: apq(Hash(other))}, errs.CodePersistedQueryRequired, other},
		{"only: admin text", true, adminCtx, graphql.RawParams{Query: other}, "", other},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := New(Config{Operations: map[string]string{Hash(known): known}, Only: c.only, MayRegister: isAdmin})
			if err != nil {
				t.Fatal(err)
			}
			p := c.params
			ge := s.MutateOperationParameters(c.ctx, &p)
			var got errs.Code
			if ge != nil {
				got = errs.CodeOf(ge)
			}
			if got != c.wantCode || p.Query != c.wantQuery {
				t.Fatalf("code %q, query %q; want %q, %q (error %v)", got, p.Query, c.wantCode, c.wantQuery, ge)
			}
		})
	}
}
