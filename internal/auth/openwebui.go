package auth

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// openWebUIClaims are the claims of a token Open WebUI issued: the user's id and, when
// JWT_EXPIRES_IN was set, an expiry. Newer versions add a jti, which names nothing here.
type openWebUIClaims struct {
	UserID string `json:"id"`
	jwt.RegisteredClaims
}

// ParseOpenWebUIToken verifies a token Open WebUI signed with secret (its WEBUI_SECRET_KEY) and
// returns the user id it names, or ErrInvalidToken. As in Open WebUI, HS256 is the only algorithm
// and the expiry is optional; a token that has one must not have passed it.
func ParseOpenWebUIToken(secret []byte, token string, now time.Time) (string, error) {
	if len(secret) == 0 {
		return "", ErrInvalidToken
	}
	var claims openWebUIClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil || claims.UserID == "" {
		return "", ErrInvalidToken
	}
	return claims.UserID, nil
}
