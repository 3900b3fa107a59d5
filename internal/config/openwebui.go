package config

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// OpenWebUITokens is the migration window in which tokens Open WebUI issued keep working for the
// accounts imported from it (`steward import-openwebui`), so that nobody signs in again on the
// day of the move.
type OpenWebUITokens struct {
	// Until ends the window (STEWARD_ACCEPT_OPENWEBUI_TOKENS: an RFC 3339 time, or a date, which
	// means to the end of that day in UTC). Zero: Open WebUI's tokens are refused.
	Until time.Time
	// Secret is the key Open WebUI signed with: OPENWEBUI_SECRET_KEY, or WEBUI_SECRET_KEY when
	// steward shares it. Open WebUI generates 16-character keys, shorter than steward accepts for
	// its own tokens; such a key goes in OPENWEBUI_SECRET_KEY and steward gets a new one.
	Secret string
}

// loadOpenWebUITokens reads the window; webUISecret is WEBUI_SECRET_KEY.
func loadOpenWebUITokens(getenv func(string) string, webUISecret string) (OpenWebUITokens, error) {
	raw := strings.TrimSpace(getenv("STEWARD_ACCEPT_OPENWEBUI_TOKENS"))
	if raw == "" {
		return OpenWebUITokens{}, nil
	}
	until, err := parseWindowEnd(raw)
	if err != nil {
		return OpenWebUITokens{}, fmt.Errorf("STEWARD_ACCEPT_OPENWEBUI_TOKENS: %w", err)
	}
	secret := strings.TrimSpace(getenv("OPENWEBUI_SECRET_KEY"))
	if secret == "" {
		secret = webUISecret
	}
	if secret == "" {
		return OpenWebUITokens{}, errors.New("STEWARD_ACCEPT_OPENWEBUI_TOKENS needs the key Open WebUI signed its tokens with: set WEBUI_SECRET_KEY or OPENWEBUI_SECRET_KEY to Open WebUI's WEBUI_SECRET_KEY")
	}
	return OpenWebUITokens{Until: until, Secret: secret}, nil
}

// parseWindowEnd reads an RFC 3339 time, or a date meaning the end of that day in UTC.
func parseWindowEnd(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (2027-01-31) nor an RFC 3339 time", s)
	}
	return d.AddDate(0, 0, 1).UTC(), nil
}
