package oidc

import (
	"strings"
)

// claimAt reads a dotted path ("realm_access.roles") from claims. A key that itself contains
// dots (Auth0's namespaced "https://example.com/roles") is found too: at each level the longest
// key matching a prefix of the remaining path wins.
func claimAt(claims map[string]any, path string) (any, bool) {
	if path == "" {
		return nil, false
	}
	var cur any = claims
	rest := path
	for rest != "" {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok := m[rest]; ok {
			return v, true
		}
		found := false
		for i := len(rest) - 1; i > 0; i-- {
			if rest[i] != '.' {
				continue
			}
			if v, ok := m[rest[:i]]; ok {
				cur, rest, found = v, rest[i+1:], true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return cur, true
}

// claimString reads a string claim; anything else is "".
func claimString(claims map[string]any, path string) string {
	v, _ := claimAt(claims, path)
	s, _ := v.(string)
	return s
}

// claimList reads a claim that is a list of strings or one string of values separated by sep.
// Non-string list items are skipped; a missing claim is nil.
func claimList(claims map[string]any, path, sep string) []string {
	v, ok := claimAt(claims, path)
	if !ok {
		return nil
	}
	var out []string
	switch t := v.(type) {
	case []any:
		for _, item := range t {
			if s, ok := item.(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		}
	case string:
		for _, s := range strings.Split(t, sep) {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// claimBool reads a boolean claim; some providers send "true" as a string.
func claimBool(claims map[string]any, path string) bool {
	v, _ := claimAt(claims, path)
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return strings.EqualFold(t, "true")
	}
	return false
}
