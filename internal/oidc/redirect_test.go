package oidc

import "testing"

func TestRedirectsResolve(t *testing.T) {
	r, err := NewRedirects("https://chat.example.com/app", []string{"https://admin.example.com", "*"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target, want string
		ok           bool
	}{
		{"", "https://chat.example.com/app", true},
		{"/c/123?x=1", "https://chat.example.com/c/123?x=1", true},
		{"https://chat.example.com/settings", "https://chat.example.com/settings", true},
		{"https://admin.example.com/", "https://admin.example.com/", true},
		{"https://evil.example.net/", "", false},
		{"//evil.example.net/", "", false},
		{"/\\evil.example.net", "", false},
		{"https://chat.example.com@evil.example.net/", "", false},
		{"https://user@chat.example.com/", "", false},
		{"javascript:alert(1)", "", false},
		{"evil.example.net", "", false},
		{"/ok\r\nSet-Cookie: x=1", "", false},
	}
	for _, tt := range tests {
		got, err := r.Resolve(tt.target)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q, ok=%v", tt.target, got, err, tt.want, tt.ok)
		}
	}
	local, err := NewRedirects("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := local.Resolve("/auth"); err != nil || got != "/auth" {
		t.Errorf("Resolve on this host = %q, %v; want /auth", got, err)
	}
	if _, err := local.Resolve("https://chat.example.com/"); err == nil {
		t.Error("an absolute URL was allowed without any allowed origin")
	}
}
