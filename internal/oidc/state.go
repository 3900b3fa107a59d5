package oidc

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// flowState is what the login step remembers for the callback, in a signed, httpOnly cookie that
// lives for one sign-in: the state the provider must echo, the nonce the ID token must carry, the
// PKCE verifier and where to go afterwards. Keeping it in the browser rather than on the server
// makes the flow work across replicas with no shared store.
type flowState struct {
	Provider string `json:"prv"`
	State    string `json:"st"`
	Nonce    string `json:"nn"`
	Verifier string `json:"pv"`
	Return   string `json:"rt"`
	jwt.RegisteredClaims
}

// stateAudience keeps a flow cookie from ever being taken for a session token or the reverse;
// the key is derived for this use alone as well.
const stateAudience = "steward:oauth-flow"

// stateSigner signs and checks flow states with a key derived from the server's secret.
type stateSigner struct {
	key []byte
	now func() time.Time
}

func newStateSigner(secret []byte, now func() time.Time) stateSigner {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("steward oauth flow state v1"))
	return stateSigner{key: mac.Sum(nil), now: now}
}

func (s stateSigner) sign(st flowState, ttl time.Duration) (string, error) {
	now := s.now()
	st.RegisteredClaims = jwt.RegisteredClaims{Audience: jwt.ClaimStrings{stateAudience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl))}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, &st).SignedString(s.key)
}

var errBadState = errors.New("the sign-in state is missing, expired or forged")

func (s stateSigner) parse(raw string) (flowState, error) {
	var st flowState
	_, err := jwt.ParseWithClaims(raw, &st, func(*jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithAudience(stateAudience),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now))
	if err != nil {
		return flowState{}, errBadState
	}
	return st, nil
}
