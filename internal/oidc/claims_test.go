package oidc

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestClaimList(t *testing.T) {
	var claims map[string]any
	if err := json.Unmarshal([]byte(`{
		"groups": ["eng", "ops", 3, " "],
		"roles": "user, admin",
		"realm_access": {"roles": ["kc-user"]},
		"https://example.com/roles": ["namespaced"],
		"resource_access": {"steward.app": {"roles": ["client-role"]}},
		"empty": []
	}`), &claims); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       []string
	}{
		{"list, non-strings and blanks skipped", "groups", []string{"eng", "ops"}},
		{"separated string", "roles", []string{"user", "admin"}},
		{"dotted path", "realm_access.roles", []string{"kc-user"}},
		{"key with dots", "https://example.com/roles", []string{"namespaced"}},
		{"dotted key inside a path", "resource_access.steward.app.roles", []string{"client-role"}},
		{"missing claim", "nope.roles", nil},
		{"empty list", "empty", nil},
		{"path through a list is missing", "groups.x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := claimList(claims, tt.path, ","); !slices.Equal(got, tt.want) {
				t.Errorf("claimList(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestClaimBool(t *testing.T) {
	claims := map[string]any{"a": true, "b": "true", "c": "yes", "d": false}
	for path, want := range map[string]bool{"a": true, "b": true, "c": false, "d": false, "missing": false} {
		if got := claimBool(claims, path); got != want {
			t.Errorf("claimBool(%q) = %v, want %v", path, got, want)
		}
	}
}
