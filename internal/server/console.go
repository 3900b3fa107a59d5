package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// webCSP is the policy of the embedded pages (the playground at /, the console under /admin/)
// and their assets: everything from this origin and nothing else. Scripts are only files from
// /assets/ (no inline script, no eval); GraphiQL's editor injects <style> elements, hence the
// inline styles; its stylesheet carries its fonts as data: URLs; its workers are files from /assets/; GraphQL and graphql-ws go to /graphql on
// this origin ('self' covers ws:/wss: to the same host).
const webCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// isWebPath reports whether a request path belongs to the embedded pages, which get webCSP
// instead of the API's policy.
func isWebPath(p string) bool {
	return p == "/" || p == "/admin" || strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/assets/")
}

// webAssets serves the built console and playground (package web's dist/).
type webAssets struct {
	files      fs.FS
	playground []byte
	console    []byte

	// gzipped holds each compressible asset compressed once, on its first request.
	gzipped sync.Map // name -> []byte
}

// newWebAssets reads the two pages once, so a build missing one fails at start-up rather than
// on the first visit.
func newWebAssets(files fs.FS) (*webAssets, error) {
	playground, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return nil, fmt.Errorf("web assets: the playground page: %w", err)
	}
	console, err := fs.ReadFile(files, "admin/index.html")
	if err != nil {
		return nil, fmt.Errorf("web assets: the console page: %w", err)
	}
	return &webAssets{files: files, playground: playground, console: console}, nil
}

// mount registers the pages and assets. The console is a single-page application with its own
// routes under /admin/, so every /admin/ path that is not a built file answers its index.html.
func (a *webAssets) mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { servePage(w, r, a.playground) })
	mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /admin/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		name := path.Join("admin", r.PathValue("rest"))
		if name != "admin/index.html" && a.isFile(name) {
			a.serveFile(w, r, name, "no-cache")
			return
		}
		servePage(w, r, a.console)
	})
	mux.HandleFunc("GET /assets/{name...}", func(w http.ResponseWriter, r *http.Request) {
		name := path.Join("assets", r.PathValue("name"))
		if !a.isFile(name) {
			w.Header().Set("Cache-Control", "no-cache")
			http.NotFound(w, r)
			return
		}
		// The build puts a content hash in every asset's name: a changed file is a new URL.
		a.serveFile(w, r, name, "public, max-age=31536000, immutable")
	})
}

func (a *webAssets) isFile(name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	st, err := fs.Stat(a.files, name)
	return err == nil && !st.IsDir()
}

func (a *webAssets) serveFile(w http.ResponseWriter, r *http.Request, name, cacheControl string) {
	b, err := fs.ReadFile(a.files, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", cacheControl)
	if compressible(name) {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			gz, err := a.gzip(name, b)
			if err == nil {
				h.Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
				h.Set("Content-Encoding", "gzip")
				h.Set("Content-Length", fmt.Sprint(len(gz)))
				if r.Method != http.MethodHead {
					_, _ = w.Write(gz)
				}
				return
			}
		}
	}
	// The embedded files have no modification time; ServeContent picks the type by extension.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// gzip returns the asset compressed, compressing it on first use.
func (a *webAssets) gzip(name string, b []byte) ([]byte, error) {
	if gz, ok := a.gzipped.Load(name); ok {
		return gz.([]byte), nil
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	gz, _ := a.gzipped.LoadOrStore(name, buf.Bytes())
	return gz.([]byte), nil
}

// compressible reports whether an asset is text worth compressing (fonts and images are not).
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".js", ".css", ".json", ".svg", ".ttf":
		return true
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding lists gzip without refusing it (q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// servePage answers an HTML page that must be revalidated on every visit, so a new build's
// asset names reach browsers at once.
func servePage(w http.ResponseWriter, r *http.Request, page []byte) {
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(page))
}
