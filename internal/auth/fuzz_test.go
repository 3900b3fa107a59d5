package auth

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseExpiresIn feeds JWT_EXPIRES_IN values: a value is refused or gives a positive
// duration, and only "-1" and "0" mean "never expires". Nothing overflows into a negative one.
func FuzzParseExpiresIn(f *testing.F) {
	for _, s := range []string{"-1", "0", "4w", "12h", "30m", "1.5d", "500ms", "1h30m", "", "w", "-5m", "1e300w", "NaN s", "Infh", "9223372036854775807ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseExpiresIn(s)
		if err != nil {
			return
		}
		never := strings.TrimSpace(s) == "-1" || strings.TrimSpace(s) == "0"
		if d < 0 || (d == 0) != never {
			t.Fatalf("ParseExpiresIn(%q) = %v, nil", s, d)
		}
	})
}

// FuzzTokenParse feeds bearer credentials to the JWT verifier: nothing but a token signed with
// the server's secret is accepted, whatever its header, padding or claims say.
func FuzzTokenParse(f *testing.F) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tokens, err := NewTokens([]byte(strings.Repeat("k", 32)), func() time.Time { return now })
	if err != nil {
		f.Fatal(err)
	}
	valid, _, err := tokens.Issue("user-1", "session-1", time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	other, _ := NewTokens([]byte(strings.Repeat("x", 32)), func() time.Time { return now })
	forged, _, _ := other.Issue("admin", "session-2", time.Hour)
	for _, s := range []string{valid, forged, "", "sk-0123", "a.b.c", valid + "=", strings.ToUpper(valid),
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpZCI6ImFkbWluIiwianRpIjoieCJ9.",
		"eyJhbGciOiJIUzI1NiJ9.e30.", strings.Repeat("a.", 1000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		claims, err := tokens.Parse(s)
		if err != nil {
			if err != ErrInvalidToken {
				t.Fatalf("Parse(%q) error %v, want ErrInvalidToken", s, err)
			}
			return
		}
		if claims.UserID != "user-1" || claims.ID != "session-1" {
			t.Fatalf("Parse(%q) accepted claims the server never signed: %+v", s, claims)
		}
		if LooksLikeAPIKey(s) {
			t.Fatalf("%q is both a valid token and an API key", s)
		}
	})
}

// FuzzAPIKey checks the API key helpers on any credential: the hash is a stable 64-digit hex
// string, distinct keys hash apart, and only the sk- prefix makes a credential an API key.
func FuzzAPIKey(f *testing.F) {
	secret, _, _, err := NewAPIKey()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{secret, "", "sk-", "SK-abc", "sk-" + strings.Repeat("0", 48), "Bearer sk-1"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ha := HashAPIKey(a)
		if len(ha) != 64 || strings.Trim(ha, "0123456789abcdef") != "" || ha != HashAPIKey(a) {
			t.Fatalf("HashAPIKey(%q) = %q", a, ha)
		}
		if a != b && ha == HashAPIKey(b) {
			t.Fatalf("HashAPIKey(%q) == HashAPIKey(%q)", a, b)
		}
		if LooksLikeAPIKey(a) != strings.HasPrefix(a, APIKeyPrefix) {
			t.Fatalf("LooksLikeAPIKey(%q) = %v", a, LooksLikeAPIKey(a))
		}
	})
}
