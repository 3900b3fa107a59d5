package users

import (
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent/user"
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

// CreateInput is a new account made by an admin.
type CreateInput struct {
	Name, Email, Password string
	// Role defaults to the configured default role.
	Role            *string
	ProfileImageURL *string
}

// Validate checks everything about a new account that needs neither the database nor the
// settings, and reports the first field at fault as a BAD_USER_INPUT error naming it. The
// password is checked by the policy in the settings (its minimum length), and the email's
// uniqueness when the account is stored.
func (in CreateInput) Validate() error {
	_, err := in.parse()
	return err
}

// newAccount is a CreateInput after validation. role is nil when the default role applies.
type newAccount struct {
	name, email, image string
	role               *user.Role
}

// parse validates in and returns the normalised values. Fields are checked in the order the API
// reports them; the password, whose policy is a setting, is checked after these by Create.
func (in CreateInput) parse() (newAccount, error) {
	out := newAccount{image: "/user.png"}
	var err error
	if out.name, err = validateName("name", in.Name); err != nil {
		return newAccount{}, err
	}
	if out.email, err = NormalizeEmail("email", in.Email); err != nil {
		return newAccount{}, err
	}
	if in.Role != nil {
		r, err := parseRole(*in.Role)
		if err != nil {
			return newAccount{}, err
		}
		out.role = &r
	}
	if in.ProfileImageURL != nil {
		if out.image, err = validateImageURL("profileImageUrl", *in.ProfileImageURL); err != nil {
			return newAccount{}, err
		}
	}
	return out, nil
}

// UpdateInput changes an account; nil fields stay as they are.
type UpdateInput struct {
	Role, Name, Email, ProfileImageURL, Password *string
}

// Validate checks everything about an account change that needs neither the database nor the
// settings, and reports the first field at fault as a BAD_USER_INPUT error naming it. A new
// password is checked by the policy in the settings; the safeguards and the email's uniqueness
// need the stored accounts.
func (in UpdateInput) Validate() error {
	_, err := in.parse()
	return err
}

// accountEdit is an UpdateInput after validation; nil fields stay as they are.
type accountEdit struct {
	role               *user.Role
	name, email, image *string
	password           *string
}

// parse validates in, in the order the API has always reported its fields, and returns the
// normalised values.
func (in UpdateInput) parse() (accountEdit, error) {
	out := accountEdit{password: in.Password}
	if in.Role != nil {
		r, err := parseRole(*in.Role)
		if err != nil {
			return accountEdit{}, err
		}
		out.role = &r
	}
	if in.Name != nil {
		n, err := validateName("name", *in.Name)
		if err != nil {
			return accountEdit{}, err
		}
		out.name = &n
	}
	if in.Email != nil {
		e, err := NormalizeEmail("email", *in.Email)
		if err != nil {
			return accountEdit{}, err
		}
		out.email = &e
	}
	if in.ProfileImageURL != nil {
		u, err := validateImageURL("profileImageUrl", *in.ProfileImageURL)
		if err != nil {
			return accountEdit{}, err
		}
		out.image = &u
	}
	return out, nil
}
