package server

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// marshalResponse writes what json.Marshal writes, for every field of a response and for data
// holding the characters json.Marshal escapes.
func TestMarshalResponseMatchesJSON(t *testing.T) {
	yes := true
	data := func(s string) json.RawMessage {
		b, err := json.Marshal(map[string]any{"user": map[string]any{"name": s, "n": 1}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for name, resp := range map[string]*graphql.Response{
		"data only":                      {Data: data("Ada")},
		"html and separators in strings": {Data: json.RawMessage(`{"a":"<script>&amp;</script>","b":"x\u2028y\u2029z","c":"é ✓ 😀 <"}`)},
		"null data":                      {Data: json.RawMessage("null")},
		"no data":                        {},
		"errors and data":                {Data: data("<b>"), Errors: gqlerror.List{{Message: "a < b & c", Path: ast.Path{ast.PathName("user"), ast.PathIndex(2)}, Extensions: map[string]any{"code": "FORBIDDEN"}}}},
		"every field":                    {Data: data("x"), Label: "l<", Path: ast.Path{ast.PathName("p")}, HasNext: &yes, Extensions: map[string]any{"cost": 3, "html": "<>"}},
	} {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(resp)
			if err != nil {
				t.Fatal(err)
			}
			got, err := marshalResponse(resp)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func FuzzAppendHTMLEscaped(f *testing.F) {
	for _, s := range []string{"", "<>&", "a\u2028b\u2029c", "\xe2\x80", "é✓😀", `"quoted"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, err := json.Marshal(s) // a JSON string, as Data holds them; html escapes off below
		if err != nil {
			return
		}
		var plain bytes.Buffer
		enc := json.NewEncoder(&plain)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		unescaped := bytes.TrimSuffix(plain.Bytes(), []byte("\n"))
		if got := appendHTMLEscaped(nil, unescaped); !bytes.Equal(got, raw) {
			t.Fatalf("%q: got %s, want %s", s, got, raw)
		}
	})
}
