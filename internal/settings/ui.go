package settings

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/steward-dev/steward/internal/errs"
)

// UIKey is the section holding what the front end shows everyone: its name and default language.
const UIKey = "ui"

// UI is Open WebUI's WEBUI_NAME and ui.default_locale.
type UI struct {
	// Name is the platform's name, on the sign-in page and in the title.
	Name string `json:"name"`
	// DefaultLocale is the language the front end starts in (a BCP 47 tag such as "en-US");
	// empty lets the browser choose.
	DefaultLocale string `json:"defaultLocale"`
}

// DefaultUI is Open WebUI's defaults.
func DefaultUI() UI { return UI{Name: "Open WebUI"} }

// localeTag is a BCP 47 language tag's shape: a language, then subtags.
var localeTag = regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)

// Validate checks the name's length and the locale's shape.
func (u UI) Validate() error {
	if n := utf8.RuneCountInString(u.Name); strings.TrimSpace(u.Name) == "" || n > 128 {
		return errs.Invalid("name", "must be 1 to 128 characters")
	}
	if u.DefaultLocale != "" && (len(u.DefaultLocale) > 35 || !localeTag.MatchString(u.DefaultLocale)) {
		return errs.Invalid("defaultLocale", "must be a language tag such as en-US, or empty")
	}
	return nil
}

func (u UI) normalized() UI {
	u.Name, u.DefaultLocale = strings.TrimSpace(u.Name), strings.TrimSpace(u.DefaultLocale)
	return u
}

// UIPatch changes the fields that are set and keeps the others.
type UIPatch struct {
	Name          *string
	DefaultLocale *string
}

func (p UIPatch) apply(u UI) UI {
	setIf(&u.Name, p.Name)
	setIf(&u.DefaultLocale, p.DefaultLocale)
	return u.normalized()
}

// UpdateUI changes the front end's name and default language.
func (s *Service) UpdateUI(ctx context.Context, p UIPatch) (UI, error) {
	return update(ctx, s, UIKey, func(u UI) (UI, error) { return p.apply(u), nil })
}

// UI returns the front end's name and default language to anyone: the sign-in page shows them.
func (s *Store) UI(ctx context.Context) (UI, error) {
	u := DefaultUI()
	if _, err := s.Get(ctx, UIKey, &u); err != nil {
		return UI{}, err
	}
	return u.normalized(), nil
}
