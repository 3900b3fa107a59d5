package users

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/steward-dev/steward/internal/errs"
)

// NormalizeEmail validates an address and returns its canonical, lower-cased form.
func NormalizeEmail(field, email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || len(e) > 320 || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", errs.Invalid(field, "is not a valid email address")
	}
	return e, nil
}

// validateName trims a display name and checks its length.
func validateName(field, name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" || utf8.RuneCountInString(n) > 255 {
		return "", errs.Invalid(field, "must be 1 to 255 characters")
	}
	return n, nil
}

// validatePassword applies the password policy: a minimum length, at most 72 bytes more than
// anyone types (long inputs only cost hashing time), and not only white space.
func validatePassword(field, password string, minLength int) error {
	n := utf8.RuneCountInString(password)
	if n < minLength {
		return errs.Invalid(field, "must be at least "+strconv.Itoa(minLength)+" characters")
	}
	if len(password) > 256 {
		return errs.Invalid(field, "must be at most 256 bytes")
	}
	if strings.TrimSpace(password) == "" {
		return errs.Invalid(field, "must not be only white space")
	}
	return nil
}

// validateImageURL accepts http(s) URLs, data: image URIs (Open WebUI stores avatars that way) and
// site-relative paths such as the default "/user.png".
func validateImageURL(field, u string) (string, error) {
	u = strings.TrimSpace(u)
	switch {
	case u == "":
		return "/user.png", nil
	case len(u) > 4096*64:
		return "", errs.Invalid(field, "is too long")
	case strings.HasPrefix(u, "data:image/"):
		return u, nil
	case strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//"):
		return u, nil
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", errs.Invalid(field, "must be an http(s) URL, a data:image URI or a path")
	}
	return u, nil
}
