package server

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

var (
	inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	assetURL     = regexp.MustCompile(`(?:src|href)="(https://[^"]+)"`)
)

// playgroundPage serves GraphiQL at / and returns the Content-Security-Policy that lets exactly
// that page work: its scripts and styles from the CDN hosts it names (each pinned by its
// integrity hash in the page), its one inline script by its SHA-256, GraphQL requests and
// websockets to this server, and no framing. The policy is derived from the rendered page, so a
// gqlgen upgrade that changes the page changes the policy with it.
func playgroundPage(endpoint string) (http.Handler, string) {
	h := playground.Handler("steward", endpoint)
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	return h, playgroundCSP(rec.Body.String())
}

// playgroundCSP builds the policy for the rendered page html.
func playgroundCSP(html string) string {
	var hosts []string
	for _, m := range assetURL.FindAllStringSubmatch(html, -1) {
		if u, err := url.Parse(m[1]); err == nil && !slices.Contains(hosts, "https://"+u.Host) {
			hosts = append(hosts, "https://"+u.Host)
		}
	}
	scripts := slices.Clone(hosts)
	for _, m := range inlineScript.FindAllStringSubmatch(html, -1) {
		sum := sha256.Sum256([]byte(m[1]))
		scripts = append(scripts, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	cdn := strings.Join(hosts, " ")
	return strings.Join([]string{
		"default-src 'none'",
		"script-src " + strings.Join(scripts, " "),
		// GraphiQL's editor sets inline styles on its elements.
		"style-src 'unsafe-inline' " + cdn,
		"img-src 'self' data: " + cdn,
		"font-src 'self' data: " + cdn,
		"connect-src 'self' ws: wss:",
		"worker-src 'self' blob:",
		"frame-ancestors 'none'",
		"base-uri 'none'",
		"form-action 'none'",
	}, "; ")
}
