package oidc

import (
	"errors"
	"net/url"
	"slices"
	"strings"
)

// Redirects is the allow-list of where a finished sign-in may send the browser: paths of the
// front end, and absolute URLs of the front end's origin or an allowed origin. Anything else is
// refused, so /oauth/{provider}/login cannot be used as an open redirect.
type Redirects struct {
	home    string
	origin  string // the front end's origin, "" when it is a path on this host
	origins []string
}

// NewRedirects builds the allow-list: frontend is the front end's URL (WEBUI_URL; empty means
// "/" on this host) and origins are further allowed origins (CORS_ALLOW_ORIGIN).
func NewRedirects(frontend string, origins []string) (Redirects, error) {
	r := Redirects{home: "/"}
	if frontend != "" {
		u, err := url.Parse(frontend)
		if err != nil {
			return Redirects{}, errors.New("WEBUI_URL is not a URL")
		}
		switch {
		case u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/"):
		case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil:
			r.origin = u.Scheme + "://" + u.Host
			r.origins = append(r.origins, r.origin)
		default:
			return Redirects{}, errors.New("WEBUI_URL must be an http(s) URL or a path")
		}
		r.home = u.String()
	}
	for _, o := range origins {
		if o != "*" && o != "" {
			r.origins = append(r.origins, strings.TrimSuffix(o, "/"))
		}
	}
	return r, nil
}

// Home is where a sign-in goes when no target was asked for.
func (r Redirects) Home() string { return r.home }

// Origin is the front end's origin, or "" when it is served from this host.
func (r Redirects) Origin() string { return r.origin }

// Resolve returns the URL to send the browser to for target, or an error when target is not
// allowed. An empty target is Home.
func (r Redirects) Resolve(target string) (string, error) {
	if target == "" {
		return r.home, nil
	}
	if len(target) > 2048 || strings.ContainsAny(target, "\\\r\n\t\x00") {
		return "", errors.New("redirect is not an allowed URL")
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", errors.New("redirect is not a URL")
	}
	if u.Scheme == "" && u.Host == "" && u.User == nil && strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//") {
		return r.origin + u.String(), nil
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		slices.Contains(r.origins, u.Scheme+"://"+u.Host) {
		return u.String(), nil
	}
	return "", errors.New("redirect must be a path of the front end or a URL of an allowed origin")
}
