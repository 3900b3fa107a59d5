package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/internal/settings"
)

// send makes one raw request to the test server and returns the response and its body.
func send(t *testing.T, s *st.Server, method, path, contentType, body string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestCORS(t *testing.T) {
	cases := []struct {
		name, allow, origin   string
		wantOrigin, wantCreds string
	}{
		{"wildcard never with credentials", "*", "https://evil.example", "*", ""},
		{"listed origin with credentials", "https://app.example.com, https://admin.example.com", "https://admin.example.com", "https://admin.example.com", "true"},
		{"unlisted origin", "https://app.example.com", "https://evil.example", "", ""},
		{"listed origin beside the wildcard", "*,https://app.example.com", "https://app.example.com", "https://app.example.com", "true"},
		{"nothing allowed", "", "https://app.example.com", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"CORS_ALLOW_ORIGIN": c.allow}))
			for _, method := range []string{http.MethodOptions, http.MethodPost} {
				resp, _ := send(t, s, method, "/graphql", "application/json", `{"query":"{ me { id } }"}`,
					map[string]string{"Origin": c.origin, "Access-Control-Request-Method": "POST"})
				if got := resp.Header.Get("Access-Control-Allow-Origin"); got != c.wantOrigin {
					t.Errorf("%s: Access-Control-Allow-Origin = %q, want %q", method, got, c.wantOrigin)
				}
				if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != c.wantCreds {
					t.Errorf("%s: Access-Control-Allow-Credentials = %q, want %q", method, got, c.wantCreds)
				}
			}
		})
	}
}

func TestCookieRequestsFromOtherSitesAreRefused(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b, st.WithEnv(map[string]string{"CORS_ALLOW_ORIGIN": "*,https://app.example.com"}))
		ada := s.Signup(t, "Ada")
		cookie := "token=" + ada.Token
		signout := `{"query":"mutation { signout }"}`
		cases := []struct {
			name, contentType string
			header            map[string]string
			wantStatus        int
			wantCode          string
		}{
			{"text/plain with the cookie", "text/plain", map[string]string{"Cookie": cookie}, 403, "FORBIDDEN"},
			{"form with the cookie", "application/x-www-form-urlencoded", map[string]string{"Cookie": cookie}, 403, "FORBIDDEN"},
			{"multipart with the cookie", "multipart/form-data; boundary=x", map[string]string{"Cookie": cookie}, 403, "FORBIDDEN"},
			{"no type with the cookie", "", map[string]string{"Cookie": cookie}, 403, "FORBIDDEN"},
			{"JSON from an origin only the wildcard allows", "application/json", map[string]string{"Cookie": cookie, "Origin": "https://evil.example"}, 403, "FORBIDDEN"},
			{"JSON from another site without Origin", "application/json", map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "cross-site"}, 403, "FORBIDDEN"},
			{"text/plain without a cookie", "text/plain", nil, 415, "BAD_USER_INPUT"},
		}
		for _, c := range cases {
			resp, body := send(t, s, http.MethodPost, "/graphql", c.contentType, signout, c.header)
			if resp.StatusCode != c.wantStatus || !strings.Contains(body, `"code":"`+c.wantCode+`"`) {
				t.Errorf("%s: %d %s, want %d with %s", c.name, resp.StatusCode, body, c.wantStatus, c.wantCode)
			}
		}
		// The cookie still works from this site and from a listed origin, and was not signed out above.
		for _, origin := range []string{"", s.URL, "https://app.example.com"} {
			h := map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}
			if origin != "" {
				h["Origin"] = origin
			}
			resp, body := send(t, s, http.MethodPost, "/graphql", "application/json", `{"query":"{ me { name } }"}`, h)
			if resp.StatusCode != 200 || !strings.Contains(body, `"name":"Ada"`) {
				t.Errorf("cookie request from %q = %d %s, want Ada", origin, resp.StatusCode, body)
			}
		}
	})
}

func TestMutationOverGETIs405(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b)
		ada := s.Signup(t, "Ada")
		q := url.Values{"query": {"mutation { signout }"}}
		resp, body := send(t, s, http.MethodGet, "/graphql?"+q.Encode(), "", "", map[string]string{"Authorization": "Bearer " + ada.Token})
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Fatalf("GET mutation = %d, Allow %q; want 405, POST", resp.StatusCode, resp.Header.Get("Allow"))
		}
		if !strings.Contains(body, `"code":"BAD_USER_INPUT"`) || strings.Contains(body, `"data"`) {
			t.Fatalf("body = %s, want a coded error and no data", body)
		}
		s.MustQuery(t, ada.Token, meQuery) // the token was not signed out
		resp, _ = send(t, s, http.MethodPut, "/graphql", "application/json", `{"query":"{ me { id } }"}`, nil)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
			t.Fatalf("PUT = %d, Allow %q; want 405 with Allow", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
}

func TestForwardedForRotationDoesNotEscapeSigninLimit(t *testing.T) {
	s := st.New(t, dbtest.SQLite,
		st.WithEnv(map[string]string{"STEWARD_TRUSTED_PROXIES": "127.0.0.1"}),
		st.WithRateLimits(limits(func(r *settings.RateLimits) { r.SigninPerIP = settings.RateRule{Rate: 5, PeriodSeconds: 60} })))
	// Each attempt names another unknown account, so only the per-address limit can refuse it.
	n := 0
	limitedAddress := func(xff string) bool {
		n++
		signin, _ := json.Marshal(map[string]any{"query": fmt.Sprintf(`mutation { signin(input: {email: "nobody%d@example.com", password: "wrong"}) { token } }`, n)})
		_, body := send(t, s, http.MethodPost, "/graphql", "application/json", string(signin), map[string]string{"X-Forwarded-For": xff})
		switch {
		case strings.Contains(body, "RATE_LIMITED") && strings.Contains(body, "from this address"):
			return true
		case strings.Contains(body, "UNAUTHENTICATED"):
			return false
		}
		t.Fatalf("sign-in answered %s, want UNAUTHENTICATED or RATE_LIMITED for the address", body)
		return false
	}
	// The trusted proxy (this test, at 127.0.0.1) appends the address it saw, 203.0.113.7; the
	// client writes a new address to its left each time.
	for i := range 8 {
		limited := limitedAddress(fmt.Sprintf("198.51.100.%d, 203.0.113.7", i))
		if limited != (i >= 5) {
			t.Fatalf("attempt %d: limited = %v, want %v (5 attempts per address)", i+1, limited, i >= 5)
		}
	}
	// Another client behind the same proxy has its own budget.
	if limitedAddress("203.0.113.8") {
		t.Fatal("another client behind the proxy was limited too")
	}
}

func TestClientAddressWithoutTrustedProxies(t *testing.T) {
	s := st.New(t, dbtest.SQLite,
		st.WithRateLimits(limits(func(r *settings.RateLimits) { r.SigninPerIP = settings.RateRule{Rate: 2, PeriodSeconds: 60} })))
	var last string
	for i := range 3 {
		signin, _ := json.Marshal(map[string]any{"query": fmt.Sprintf(`mutation { signin(input: {email: "nobody%d@example.com", password: "wrong"}) { token } }`, i)})
		_, last = send(t, s, http.MethodPost, "/graphql", "application/json", string(signin), map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i)})
	}
	if !strings.Contains(last, "from this address") {
		t.Fatalf("third sign-in with a forged X-Forwarded-For = %s, want RATE_LIMITED: with no trusted proxy the header is ignored", last)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	for _, path := range []string{"/graphql", "/", "/healthz"} {
		method, ct, body := http.MethodGet, "", ""
		if path == "/graphql" {
			method, ct, body = http.MethodPost, "application/json", `{"query":"{ me { id } }"}`
		}
		resp, _ := send(t, s, method, path, ct, body, nil)
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q lacks frame-ancestors 'none'", path, csp)
		}
		if !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q, want default-src 'none'", path, csp)
		}
		// The embedded pages (console_test.go checks their policy) load scripts from /assets/ only.
		if path == "/" && !strings.Contains(csp, "script-src 'self';") {
			t.Errorf("%s: CSP %q, want script-src 'self' alone", path, csp)
		}
	}
}

func TestGraphQLOverHTTPStatuses(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	const secret = "do-not-echo-me"
	cases := []struct {
		name, accept, body string
		wantStatus         int
		wantData           bool
		wantCode           string
	}{
		{"JSON: validation failure is 200", "application/json", `{"query":"{ nothing }"}`, 200, false, "GRAPHQL_VALIDATION_FAILED"},
		{"JSON: parse failure is 200", "application/json", `{"query":"{ me { "}`, 200, false, "GRAPHQL_PARSE_FAILED"},
		{"JSON: variable coercion failure is 200", "application/json", `{"query":"query($n: Int) { users(first: $n) { totalCount } }","variables":{"n":"x"}}`, 200, false, "BAD_USER_INPUT"},
		{"graphql-response+json: validation failure is 400 without data", "application/graphql-response+json", `{"query":"{ nothing }"}`, 400, false, "GRAPHQL_VALIDATION_FAILED"},
		{"malformed body is 400 and not echoed", "application/json", `{"query": "` + secret, 400, false, "BAD_USER_INPUT"},
		{"no query is 400", "application/json", `{"variables":{}}`, 400, false, "BAD_USER_INPUT"},
		{"execution keeps data", "application/graphql-response+json", `{"query":"{ me { id } }"}`, 200, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := send(t, s, http.MethodPost, "/graphql", "application/json", c.body, map[string]string{"Accept": c.accept})
			var got map[string]json.RawMessage
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %q is not JSON: %v", body, err)
			}
			_, hasData := got["data"]
			if resp.StatusCode != c.wantStatus || hasData != c.wantData {
				t.Errorf("status %d, data key %v; want %d, %v: %s", resp.StatusCode, hasData, c.wantStatus, c.wantData, body)
			}
			if c.wantCode != "" && !strings.Contains(body, `"code":"`+c.wantCode+`"`) {
				t.Errorf("body %s lacks code %s", body, c.wantCode)
			}
			if strings.Contains(body, secret) {
				t.Errorf("body echoes the request: %s", body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, c.accept) {
				t.Errorf("Content-Type %q, want %s", ct, c.accept)
			}
		})
	}
}
