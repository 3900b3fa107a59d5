package settings

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/steward-dev/steward/internal/errs"
)

// BannersKey is the section holding the banners every verified user sees.
const BannersKey = "banners"

// BannerType is a banner's severity, which sets its colour in the front end.
type BannerType string

// The banner types of Open WebUI, upper-cased like every steward enum.
const (
	BannerInfo    BannerType = "INFO"
	BannerSuccess BannerType = "SUCCESS"
	BannerWarning BannerType = "WARNING"
	BannerError   BannerType = "ERROR"
)

// Banner is one announcement. Dismissible banners can be closed by each user; the front end
// remembers the id, so a new id shows a banner again.
type Banner struct {
	ID          string     `json:"id"`
	Type        BannerType `json:"type"`
	Title       string     `json:"title"`
	Content     string     `json:"content"`
	Dismissible bool       `json:"dismissible"`
	Timestamp   time.Time  `json:"timestamp"`
}

// Banners is the ordered list of banners.
type Banners []Banner

// DefaultBanners is none.
func DefaultBanners() Banners { return Banners{} }

// Validate checks each banner; fields are named "<index>.<field>".
func (bs Banners) Validate() error {
	if len(bs) > 50 {
		return errs.Invalid("", "at most 50 banners")
	}
	seen := map[string]bool{}
	for i, b := range bs {
		f := func(name string) string { return fmt.Sprintf("%d.%s", i, name) }
		if b.ID == "" || len(b.ID) > 128 {
			return errs.Invalid(f("id"), "must be 1 to 128 characters")
		}
		if seen[b.ID] {
			return errs.Invalid(f("id"), "is used by another banner")
		}
		seen[b.ID] = true
		switch b.Type {
		case BannerInfo, BannerSuccess, BannerWarning, BannerError:
		default:
			return errs.Invalid(f("type"), "must be INFO, SUCCESS, WARNING or ERROR")
		}
		if utf8.RuneCountInString(b.Title) > 200 {
			return errs.Invalid(f("title"), "must be at most 200 characters")
		}
		if strings.TrimSpace(b.Content) == "" || utf8.RuneCountInString(b.Content) > 10000 {
			return errs.Invalid(f("content"), "must be 1 to 10000 characters")
		}
	}
	return nil
}

func (bs Banners) normalized() Banners {
	if bs == nil {
		return Banners{}
	}
	return bs
}

// BannerInput is a banner as an admin submits it: a missing id gets a fresh one, a missing
// timestamp the current time.
type BannerInput struct {
	ID          *string
	Type        BannerType
	Title       *string
	Content     string
	Dismissible *bool
	Timestamp   *time.Time
}

// banners turns inputs into banners, filling the defaults.
func bannersFrom(in []BannerInput, now time.Time) Banners {
	out := make(Banners, len(in))
	for i, b := range in {
		out[i] = Banner{ID: uuid.NewString(), Type: b.Type, Content: b.Content, Dismissible: true, Timestamp: now.UTC().Truncate(time.Second)}
		setIf(&out[i].ID, b.ID)
		setIf(&out[i].Title, b.Title)
		setIf(&out[i].Dismissible, b.Dismissible)
		if b.Timestamp != nil {
			out[i].Timestamp = b.Timestamp.UTC()
		}
	}
	return out
}
