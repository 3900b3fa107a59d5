package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
	"github.com/steward-dev/steward/web"
)

const immutable = "public, max-age=31536000, immutable"

var assetRef = regexp.MustCompile(`(?:src|href)="([^"]+)"`)

// firstAsset returns the first /assets/ file a page references.
func firstAsset(t *testing.T, page, ext string) string {
	t.Helper()
	for _, m := range assetRef.FindAllStringSubmatch(page, -1) {
		if strings.HasPrefix(m[1], "/assets/") && strings.HasSuffix(m[1], ext) {
			return m[1]
		}
	}
	t.Fatalf("the page references no /assets/*%s file:\n%s", ext, page)
	return ""
}

func TestConsoleAndPlaygroundServing(t *testing.T) {
	s := st.New(t, dbtest.SQLite)
	_, playground := send(t, s, http.MethodGet, "/", "", "", nil)
	_, console := send(t, s, http.MethodGet, "/admin/", "", "", nil)
	script, style := firstAsset(t, console, ".js"), firstAsset(t, playground, ".css")

	cases := []struct {
		name, path           string
		status               int
		contentType, caching string
		body                 string // a fragment the body must contain
	}{
		{"the playground", "/", 200, "text/html", "no-cache", `id="graphiql"`},
		{"the console", "/admin/", 200, "text/html", "no-cache", `id="root"`},
		{"a console route answers the console", "/admin/users/some-id", 200, "text/html", "no-cache", `id="root"`},
		{"a console route that looks like a file", "/admin/audit.json", 200, "text/html", "no-cache", `id="root"`},
		{"a hashed script is cached for good", script, 200, "text/javascript", immutable, ""},
		{"a hashed style is cached for good", style, 200, "text/css", immutable, ""},
		{"a missing asset is not cached", "/assets/missing-0000.js", 404, "text/plain", "no-cache", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := send(t, s, http.MethodGet, c.path, "", "", nil)
			if resp.StatusCode != c.status {
				t.Fatalf("GET %s = %d, want %d", c.path, resp.StatusCode, c.status)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, c.contentType) {
				t.Errorf("Content-Type = %q, want %s", got, c.contentType)
			}
			if got := resp.Header.Get("Cache-Control"); got != c.caching {
				t.Errorf("Cache-Control = %q, want %q", got, c.caching)
			}
			if !strings.Contains(body, c.body) {
				t.Errorf("body lacks %q", c.body)
			}
			if c.status == 200 {
				csp := resp.Header.Get("Content-Security-Policy")
				for _, want := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self';", "frame-ancestors 'none'"} {
					if !strings.Contains(csp, want) {
						t.Errorf("CSP %q lacks %q", csp, want)
					}
				}
			}
		})
	}

	t.Run("/admin redirects to /admin/", func(t *testing.T) {
		client := *s.HTTP
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := client.Get(s.URL + "/admin")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/admin/" {
			t.Fatalf("GET /admin = %d to %q, want 301 to /admin/", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("scripts are gzipped for clients that accept it", func(t *testing.T) {
		_, plain := send(t, s, http.MethodGet, script, "", "", map[string]string{"Accept-Encoding": "identity"})
		resp, body := send(t, s, http.MethodGet, script, "", "", map[string]string{"Accept-Encoding": "br, gzip"})
		if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("Content-Encoding = %q, want gzip", got)
		}
		if got := resp.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Vary = %q, want Accept-Encoding", got)
		}
		zr, err := gzip.NewReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if string(unzipped) != plain || len(plain) == 0 {
			t.Fatalf("the gzipped script (%d bytes unzipped) differs from the plain one (%d bytes)", len(unzipped), len(plain))
		}
		if len(body) >= len(plain) {
			t.Errorf("gzipped %d bytes, plain %d: not smaller", len(body), len(plain))
		}
		if resp, _ := send(t, s, http.MethodGet, script, "", "", map[string]string{"Accept-Encoding": "gzip;q=0"}); resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("gzip;q=0 got Content-Encoding %q", resp.Header.Get("Content-Encoding"))
		}
	})

	t.Run("every asset a page references is served", func(t *testing.T) {
		for _, page := range []string{playground, console} {
			for _, m := range assetRef.FindAllStringSubmatch(page, -1) {
				if resp, _ := send(t, s, http.MethodGet, m[1], "", "", nil); resp.StatusCode != 200 {
					t.Errorf("GET %s = %d, want 200", m[1], resp.StatusCode)
				}
			}
		}
	})
}

// TestWebAssetsLoadNothingFromElsewhere keeps the playground and the console working offline and
// under their CSP: no file names a CDN, and no page has an inline script.
func TestWebAssetsLoadNothingFromElsewhere(t *testing.T) {
	dist, err := web.Dist()
	if err != nil {
		t.Fatal(err)
	}
	cdns := []string{"cdn.jsdelivr.net", "unpkg.com", "esm.sh", "cdnjs.cloudflare.com", "fonts.googleapis.com", "fonts.gstatic.com"}
	inlineScript := regexp.MustCompile(`<script(?:\s+type="module")?\s*>`)
	files := 0
	err = fs.WalkDir(dist, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, err := fs.ReadFile(dist, name)
		if err != nil {
			return err
		}
		for _, host := range cdns {
			if strings.Contains(string(b), host) {
				t.Errorf("%s names %s", name, host)
			}
		}
		if strings.HasSuffix(name, ".html") {
			if inlineScript.Match(b) {
				t.Errorf("%s has an inline script, which the CSP refuses", name)
			}
			for _, m := range assetRef.FindAllSubmatch(b, -1) {
				if !strings.HasPrefix(string(m[1]), "/assets/") {
					t.Errorf("%s references %s, outside /assets/", name, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Fatalf("the embedded build has %d files; want the two pages and their assets", files)
	}
}
