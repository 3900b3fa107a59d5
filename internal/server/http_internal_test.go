package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		name, peer string
		xff        []string
		trusted    []netip.Prefix
		want       string
	}{
		{"no trusted proxies: the header is ignored", "203.0.113.9:5000", []string{"1.2.3.4"}, nil, "203.0.113.9"},
		{"untrusted peer: the header is ignored", "203.0.113.9:5000", []string{"1.2.3.4"}, proxies, "203.0.113.9"},
		{"one proxy: the entry it appended", "10.0.0.2:5000", []string{"198.51.100.1, 203.0.113.7"}, proxies, "203.0.113.7"},
		{"two proxies: skip the inner one", "10.0.0.2:5000", []string{"198.51.100.1, 203.0.113.7, 10.0.0.3"}, proxies, "203.0.113.7"},
		{"entries over several headers", "10.0.0.2:5000", []string{"198.51.100.1", "203.0.113.7"}, proxies, "203.0.113.7"},
		{"garbage to the right stops the walk", "10.0.0.2:5000", []string{"203.0.113.7, not-an-ip"}, proxies, "10.0.0.2"},
		{"only proxies: the leftmost", "10.0.0.2:5000", []string{"10.0.0.5, 10.0.0.4"}, proxies, "10.0.0.5"},
		{"no header behind a proxy: the proxy", "10.0.0.2:5000", nil, proxies, "10.0.0.2"},
		{"IPv6 loopback proxy", "[::1]:5000", []string{"2001:db8::1"}, proxies, "2001:db8::1"},
		{"IPv4-mapped entry", "10.0.0.2:5000", []string{"::ffff:203.0.113.7"}, proxies, "203.0.113.7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/graphql", nil)
			r.RemoteAddr = c.peer
			for _, h := range c.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			if got := clientIP(r, c.trusted); got != c.want {
				t.Errorf("clientIP = %q, want %q", got, c.want)
			}
		})
	}
}

func TestCrossSiteCookie(t *testing.T) {
	allowed := []string{"https://app.example.com"}
	cases := []struct {
		name, method, contentType, origin, fetchSite string
		wantRefused                                  bool
	}{
		{"JSON from this site", "POST", "application/json", "http://steward.local", "same-origin", false},
		{"JSON from an allowed origin", "POST", "application/json", "https://app.example.com", "cross-site", false},
		{"JSON from another origin", "POST", "application/json", "https://evil.example", "cross-site", true},
		{"JSON from a sibling subdomain", "POST", "application/json", "", "same-site", true},
		{"JSON without browser headers (a script)", "POST", "application/json; charset=utf-8", "", "", false},
		{"form post", "POST", "application/x-www-form-urlencoded", "http://steward.local", "same-origin", true},
		{"text/plain", "POST", "text/plain", "", "", true},
		{"multipart", "POST", "multipart/form-data; boundary=x", "", "", true},
		{"no content type", "POST", "", "", "", true},
		{"GET navigation from another site", "GET", "", "", "cross-site", true},
		{"GET from this site", "GET", "", "", "same-origin", false},
		{"websocket from another origin", "GET", "", "https://evil.example", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, "http://steward.local/graphql", nil)
			for k, v := range map[string]string{"Content-Type": c.contentType, "Origin": c.origin, "Sec-Fetch-Site": c.fetchSite} {
				if v != "" {
					r.Header.Set(k, v)
				}
			}
			got := crossSiteCookie(r, allowed)
			if (got != "") != c.wantRefused {
				t.Errorf("crossSiteCookie = %q, want refused %v", got, c.wantRefused)
			}
		})
	}
}

func TestResponseMedia(t *testing.T) {
	cases := []struct{ accept, want string }{
		{"", mediaJSON},
		{"*/*", mediaJSON},
		{"application/graphql-response+json, application/json;q=0.9", mediaGraphQLJSON},
		{"application/json", mediaJSON},
		{"text/html", mediaGraphQLJSON},
	}
	for _, c := range cases {
		if got := responseMedia(c.accept); got != c.want {
			t.Errorf("responseMedia(%q) = %q, want %q", c.accept, got, c.want)
		}
	}
}

// A client that hangs up while its credential is checked is not a server error: the 500 and
// the ERROR line are kept for failures of steward's own.
func TestAuthErrorOfAGoneClientIsNotLoggedAsAnError(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	writeAuthError(ctx, w, logger, fmt.Errorf("loading session: %w", context.Canceled))
	if strings.Contains(logs.String(), "level=ERROR") || w.Body.Len() != 0 {
		t.Fatalf("a cancelled client: logs %q, answer %d %q", logs.String(), w.Code, w.Body)
	}

	logs.Reset()
	w = httptest.NewRecorder()
	writeAuthError(context.Background(), w, logger, errors.New("loading session: disk I/O error"))
	if !strings.Contains(logs.String(), "level=ERROR") || w.Code != http.StatusInternalServerError || strings.Contains(w.Body.String(), "disk") {
		t.Fatalf("a failure of the server's: logs %q, answer %d %q", logs.String(), w.Code, w.Body)
	}
}
