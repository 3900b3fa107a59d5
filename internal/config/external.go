package config

import "strings"

// External is the start-up configuration of sign-in through external identities; the OpenID
// Connect providers themselves are the persisted "oauth" section (internal/settings).
type External struct {
	// WebUIURL is the front end's URL (WEBUI_URL): where a browser sign-in ends, the origin its
	// redirects may go to besides CORS_ALLOW_ORIGIN, and the default callback origin. Empty means
	// "/" on this host.
	WebUIURL string
	// TrustedEmailHeader, TrustedNameHeader and TrustedGroupsHeader name the headers an
	// authenticating proxy sets (WEBUI_AUTH_TRUSTED_EMAIL_HEADER, ..._NAME_HEADER,
	// ..._GROUPS_HEADER); they are believed only from STEWARD_TRUSTED_PROXIES.
	TrustedEmailHeader, TrustedNameHeader, TrustedGroupsHeader string
}

// loadExternal reads External from the environment.
func loadExternal(getenv func(string) string) External {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	return External{
		WebUIURL:            strings.TrimSuffix(get("WEBUI_URL"), "/"),
		TrustedEmailHeader:  get("WEBUI_AUTH_TRUSTED_EMAIL_HEADER"),
		TrustedNameHeader:   get("WEBUI_AUTH_TRUSTED_NAME_HEADER"),
		TrustedGroupsHeader: get("WEBUI_AUTH_TRUSTED_GROUPS_HEADER"),
	}
}
