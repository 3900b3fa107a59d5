package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestParseExpiresIn(t *testing.T) {
	cases := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"-1", 0, false},
		{"0", 0, false},
		{"4w", 28 * 24 * time.Hour, false},
		{"12h", 12 * time.Hour, false},
		{"30m", 30 * time.Minute, false},
		{"1.5h", 90 * time.Minute, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"500ms", 500 * time.Millisecond, false},
		{"1h30m", 90 * time.Minute, false},
		{"", 0, true},
		{"forever", 0, true},
		{"-5h", 0, true},
		{"w", 0, true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseExpiresIn(c.in)
			if (err != nil) != c.wantErr || got != c.want {
				t.Fatalf("ParseExpiresIn(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.wantErr)
			}
		})
	}
}

func TestHasher(t *testing.T) {
	cheap := Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}
	h := Hasher{Params: cheap}
	hash, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash = %q, want PHC argon2id with the configured costs", hash)
	}
	bc, _ := bcrypt.GenerateFromPassword([]byte("correct horse"), bcrypt.MinCost)
	stronger, _ := Hasher{Params: Argon2Params{MemoryKiB: 128, Iterations: 1, Parallelism: 1}}.Hash("correct horse")
	cases := []struct {
		name, hash, password string
		wantRehash, wantErr  bool
	}{
		{"argon2id match", hash, "correct horse", false, false},
		{"argon2id mismatch", hash, "wrong", false, true},
		{"bcrypt match needs rehash", string(bc), "correct horse", true, false},
		{"bcrypt mismatch", string(bc), "wrong", false, true},
		{"other costs need rehash", stronger, "correct horse", true, false},
		{"unknown format", "plain", "plain", false, true},
		{"truncated", "$argon2id$v=19$m=64", "x", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rehash, err := h.Verify(c.hash, c.password)
			if (err != nil) != c.wantErr || rehash != c.wantRehash {
				t.Fatalf("Verify = %v, %v; want rehash %v, error %v", rehash, err, c.wantRehash, c.wantErr)
			}
		})
	}
	if a, b := mustHash(t, h), mustHash(t, h); a == b {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
}

func mustHash(t *testing.T, h Hasher) string {
	t.Helper()
	s, err := h.Hash("same")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tok, err := NewTokens([]byte(strings.Repeat("k", 32)), clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewTokens([]byte("short"), nil); err == nil {
		t.Fatal("a short secret was accepted")
	}
	s, exp, err := tok.Issue("user-1", "session-1", time.Hour)
	if err != nil || !exp.Equal(now.Add(time.Hour)) {
		t.Fatalf("Issue = %v, %v", exp, err)
	}
	c, err := tok.Parse(s)
	if err != nil || c.UserID != "user-1" || c.ID != "session-1" {
		t.Fatalf("Parse = %+v, %v", c, err)
	}
	forever, exp, _ := tok.Issue("user-1", "session-2", 0)
	if !exp.IsZero() {
		t.Fatalf("non-expiring token has expiry %v", exp)
	}
	now = now.Add(24 * 365 * time.Hour)
	if _, err := tok.Parse(s); err != ErrInvalidToken {
		t.Fatalf("expired token: err = %v, want ErrInvalidToken", err)
	}
	if _, err := tok.Parse(forever); err != nil {
		t.Fatalf("non-expiring token refused: %v", err)
	}
	// Tokens that verified are remembered, and each use checks their times again: above, the
	// expiry; here the issue time, once the clock is before it.
	now = now.Add(-2 * 24 * 365 * time.Hour)
	if _, err := tok.Parse(forever); err != ErrInvalidToken {
		t.Fatalf("remembered token used before it was issued: err = %v, want ErrInvalidToken", err)
	}
	now = now.Add(2 * 24 * 365 * time.Hour)
	if tampered := forever[:len(forever)-4] + "AAAA"; tampered != forever {
		if _, err := tok.Parse(tampered); err != ErrInvalidToken {
			t.Fatalf("a remembered token with another signature: err = %v, want ErrInvalidToken", err)
		}
	}
	// The memory is bounded: past maxVerifiedTokens it starts over, and tokens still verify.
	for i := range maxVerifiedTokens + 10 {
		s, _, _ := tok.Issue("user-1", fmt.Sprint("session-", i), time.Hour)
		if _, err := tok.Parse(s); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
	if n := len(tok.verified); n > maxVerifiedTokens {
		t.Fatalf("%d tokens remembered; the bound is %d", n, maxVerifiedTokens)
	}
}

func TestAPIKeyFormat(t *testing.T) {
	secret, hash, display, err := NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if !LooksLikeAPIKey(secret) || len(secret) != 3+48 {
		t.Fatalf("secret %q: want sk- and 48 hex characters", secret)
	}
	if hash != HashAPIKey(secret) || strings.Contains(hash, secret[3:]) {
		t.Fatal("hash does not match or contains the secret")
	}
	if strings.Contains(display, secret[7:len(secret)-4]) {
		t.Fatalf("display form %q shows the secret", display)
	}
}

// TestDecoy: the decoy has the hasher's format and costs (so verifying against it does the same
// work as against a real hash), matches no password, and differs each time.
func TestDecoy(t *testing.T) {
	h := Hasher{Params: Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}}
	hash, decoy := mustHash(t, h), mustDecoy(t, h)
	if strings.Join(strings.Split(hash, "$")[:4], "$") != strings.Join(strings.Split(decoy, "$")[:4], "$") {
		t.Fatalf("decoy %q has other parameters than a hash %q", decoy, hash)
	}
	for _, pw := range []string{"", "same", "steward-timing-equaliser"} {
		if _, err := h.Verify(decoy, pw); !errors.Is(err, ErrPasswordMismatch) {
			t.Fatalf("Verify(decoy, %q) = %v, want a mismatch", pw, err)
		}
	}
	if mustDecoy(t, h) == decoy {
		t.Fatal("two decoys are equal")
	}
}

func mustDecoy(t *testing.T, h Hasher) string {
	t.Helper()
	s, err := h.Decoy()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
