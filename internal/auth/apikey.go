package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// APIKeyPrefix starts every API key, as in Open WebUI.
const APIKeyPrefix = "sk-"

// apiKeyRandomBytes gives 192 bits of entropy: 48 hex characters after the prefix.
const apiKeyRandomBytes = 24

// NewAPIKey returns a fresh secret key, the hash to store and a short display form. The secret is
// shown to its owner once; only the hash is kept.
func NewAPIKey() (secret, hash, display string, err error) {
	b := make([]byte, apiKeyRandomBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", "", fmt.Errorf("reading random key: %w", err)
	}
	secret = APIKeyPrefix + hex.EncodeToString(b)
	return secret, HashAPIKey(secret), secret[:7] + "..." + secret[len(secret)-4:], nil
}

// LooksLikeAPIKey reports whether a bearer credential is an API key rather than a JWT.
func LooksLikeAPIKey(s string) bool { return strings.HasPrefix(s, APIKeyPrefix) }

// HashAPIKey is the stored form of an API key. A fast hash is right here: the key is 192 random
// bits, so there is nothing to brute-force, and lookups by hash stay a single index probe.
func HashAPIKey(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
