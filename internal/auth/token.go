package auth

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are the JWT claims steward issues: Open WebUI's "id" plus a jti naming the session row.
type Claims struct {
	UserID string `json:"id"`
	jwt.RegisteredClaims
}

// ErrInvalidToken covers every reason a token is refused: bad signature, wrong algorithm, expired,
// malformed. Callers answer all of them the same way.
var ErrInvalidToken = errors.New("invalid or expired token")

// Tokens signs and verifies HS256 JWTs with one secret. The algorithm is pinned: "none" and every
// other algorithm are rejected whatever the token's header says.
type Tokens struct {
	secret []byte
	now    func() time.Time
	// validator checks a remembered token's times again at every use, as a parse would.
	validator *jwt.Validator

	// verified remembers the claims of the tokens whose signature checked out. A client sends
	// the same token with every request, and its signature and JSON cost about 6% of a small
	// query's CPU; a map lookup does not. Keyed by the whole token, so only the exact bytes that
	// verified are taken; bounded, so many tokens only cost a parse each.
	mu       sync.RWMutex
	verified map[string]Claims
}

// maxVerifiedTokens bounds Tokens.verified: when it is full, it starts over.
const maxVerifiedTokens = 4096

// NewTokens returns a codec for secret (at least 32 bytes). now may be nil for time.Now.
func NewTokens(secret []byte, now func() time.Time) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("JWT secret must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{secret: secret, now: now, validator: jwt.NewValidator(timeChecks(now)...), verified: map[string]Claims{}}, nil
}

// timeChecks are the parse's checks of a token's times: expiry, not before, and issued at.
func timeChecks(now func() time.Time) []jwt.ParserOption {
	return []jwt.ParserOption{jwt.WithTimeFunc(now), jwt.WithIssuedAt()}
}

// Issue signs a token for userID with id jti. ttl <= 0 means the token does not expire (Open
// WebUI's JWT_EXPIRES_IN=-1); the returned expiry is then the zero time.
func (t *Tokens) Issue(userID, jti string, ttl time.Duration) (token string, expiresAt time.Time, err error) {
	now := t.now().UTC()
	claims := Claims{UserID: userID, RegisteredClaims: jwt.RegisteredClaims{ID: jti, IssuedAt: jwt.NewNumericDate(now)}}
	if ttl > 0 {
		expiresAt = now.Add(ttl)
		claims.ExpiresAt = jwt.NewNumericDate(expiresAt)
	}
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("signing token: %w", err)
	}
	return token, expiresAt, nil
}

// Parse verifies token and returns its claims, or ErrInvalidToken.
func (t *Tokens) Parse(token string) (*Claims, error) {
	t.mu.RLock()
	claims, ok := t.verified[token]
	t.mu.RUnlock()
	if ok {
		if t.validator.Validate(&claims) != nil {
			return nil, ErrInvalidToken
		}
		return &claims, nil
	}
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.secret, nil },
		append(timeChecks(t.now), jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}))...)
	if err != nil || claims.UserID == "" || claims.ID == "" {
		return nil, ErrInvalidToken
	}
	t.mu.Lock()
	if len(t.verified) >= maxVerifiedTokens {
		clear(t.verified)
	}
	t.verified[token] = claims
	t.mu.Unlock()
	return &claims, nil
}
