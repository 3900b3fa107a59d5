package settings

import (
	"maps"
	"testing"
)

func TestUnmaskHeaders(t *testing.T) {
	prev := &ToolServer{Headers: map[string]string{"X-Api-Token": "secret", "X-Team": "a"}}
	tests := []struct {
		name    string
		headers map[string]string
		prev    *ToolServer
		want    map[string]string
	}{
		{name: "none", headers: nil, prev: prev, want: nil},
		{name: "masked keeps the stored value", headers: map[string]string{"X-Api-Token": SecretMask}, prev: prev,
			want: map[string]string{"X-Api-Token": "secret"}},
		{name: "names match case-insensitively", headers: map[string]string{"x-api-token": SecretMask}, prev: prev,
			want: map[string]string{"x-api-token": "secret"}},
		{name: "a new value replaces", headers: map[string]string{"X-Api-Token": "new", "X-Team": SecretMask}, prev: prev,
			want: map[string]string{"X-Api-Token": "new", "X-Team": "a"}},
		{name: "masked without a stored value is dropped", headers: map[string]string{"X-Other": SecretMask, "X-Team": "b"}, prev: prev,
			want: map[string]string{"X-Team": "b"}},
		{name: "masked for a new server is dropped", headers: map[string]string{"X-Api-Token": SecretMask}, prev: nil,
			want: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unmaskHeaders(tt.headers, tt.prev); !maps.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("unmaskHeaders = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMaskedToolServersHideSecrets(t *testing.T) {
	ts := ToolServers{{ID: "a", Key: "k", Headers: map[string]string{"X-Api-Token": "secret"}}}
	got := ts.masked()
	if got[0].Key != "" || got[0].Headers["X-Api-Token"] != SecretMask {
		t.Errorf("masked = %+v, want no key and a masked header", got[0])
	}
	if ts[0].Headers["X-Api-Token"] != "secret" {
		t.Errorf("masked changed the original: %+v", ts[0])
	}
	back := got.keepSecrets(ts)
	if back[0].Key != "k" || back[0].Headers["X-Api-Token"] != "secret" {
		t.Errorf("keepSecrets(masked) = %+v, want the stored key and header", back[0])
	}
}
