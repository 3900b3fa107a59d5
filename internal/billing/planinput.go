package billing

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/internal/money"
)

// Translation is a plan's name and description in one locale.
type Translation struct {
	Locale      string
	Name        string
	Description string
}

// Quota is a plan's limit on one metric per period. A metric without a Quota is unlimited.
type Quota struct {
	Metric metric.Metric
	Limit  int64
}

// PlanInput creates a plan. Nil pointers take the defaults: a generated id, an empty description,
// interval MONTH, active, display order 0.
type PlanInput struct {
	ID           *string
	Name         string
	Description  *string
	Translations []Translation
	// Price is a decimal string in Currency ("199.90").
	Price        string
	Currency     string
	Interval     *plan.Interval
	Quotas       []Quota
	Features     []string
	IsActive     *bool
	DisplayOrder *int
	Metadata     map[string]any
	// TrialDays is the free trial a self-serve subscriber gets once; nil or 0 for none.
	TrialDays *int
}

// PlanUpdate changes a plan. Nil fields (and nil slices and maps) stay as they are; an empty
// slice clears. Quotas, when given, replaces the whole set: a metric left out becomes unlimited.
type PlanUpdate struct {
	Name         *string
	Description  *string
	Translations []Translation
	Price        *string
	Currency     *string
	Interval     *plan.Interval
	Quotas       []Quota
	Features     []string
	IsActive     *bool
	DisplayOrder *int
	Metadata     map[string]any
	// MoveSubscribers moves live subscriptions onto a new price version at once, instead of at
	// their next renewal. Without a new price version it does nothing.
	MoveSubscribers bool
	TrialDays       *int
}

// Limits of plan fields, beyond those of the schema.
const (
	maxFeatures     = 100
	maxFeatureLen   = 255
	maxTranslations = 50
	maxMetadataJSON = 16 << 10
	maxNameLen      = 255
	maxDescLen      = 4096
)

var (
	planIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	localePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// Validate checks everything about a new plan that needs no database, and reports the first
// field at fault as a BAD_USER_INPUT error naming it (the API shows one field per error). Whether
// the id is free is decided when the plan is created.
func (in PlanInput) Validate() error {
	_, err := in.parse()
	return err
}

// newPlan is a PlanInput after validation: text trimmed, price in minor units, defaults filled.
type newPlan struct {
	id           string // empty: generate one from the name
	name         string
	description  string
	translations map[string]map[string]string
	price        int64
	currency     money.Currency
	interval     plan.Interval
	quotas       map[string]int64
	features     []string
	active       bool
	displayOrder int
	trialDays    int
	metadata     map[string]any
}

// parse validates in and returns its normalised values. The checks run in the order the API has
// always reported them, so a client sending several bad fields sees the same one first.
func (in PlanInput) parse() (newPlan, error) {
	out := newPlan{interval: plan.IntervalMONTH, active: true}
	var err error
	if out.name, err = validateText("name", in.Name, maxNameLen, true); err != nil {
		return newPlan{}, err
	}
	if in.Description != nil {
		if out.description, err = validateText("description", *in.Description, maxDescLen, false); err != nil {
			return newPlan{}, err
		}
	}
	if out.currency, err = money.ParseCurrency(in.Currency); err != nil {
		return newPlan{}, err
	}
	if out.price, err = parsePrice(in.Price, out.currency); err != nil {
		return newPlan{}, err
	}
	if in.Interval != nil {
		if err := validateInterval(*in.Interval); err != nil {
			return newPlan{}, err
		}
		out.interval = *in.Interval
	}
	if out.translations, err = validateTranslations(in.Translations); err != nil {
		return newPlan{}, err
	}
	if out.quotas, err = validateQuotas(in.Quotas); err != nil {
		return newPlan{}, err
	}
	if out.features, err = validateFeatures(in.Features); err != nil {
		return newPlan{}, err
	}
	if in.TrialDays != nil {
		if err := validateTrialDays(*in.TrialDays); err != nil {
			return newPlan{}, err
		}
		out.trialDays = *in.TrialDays
	}
	if in.DisplayOrder != nil {
		if err := validateDisplayOrder(*in.DisplayOrder); err != nil {
			return newPlan{}, err
		}
		out.displayOrder = *in.DisplayOrder
	}
	if err := validateMetadata(in.Metadata); err != nil {
		return newPlan{}, err
	}
	out.metadata = in.Metadata
	if in.IsActive != nil {
		out.active = *in.IsActive
	}
	if in.ID != nil && *in.ID != "" {
		if !planIDPattern.MatchString(*in.ID) {
			return newPlan{}, errs.Invalid("id", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
		}
		out.id = *in.ID
	}
	return out, nil
}

// Validate checks everything about a plan update that needs no database, and reports the first
// field at fault as a BAD_USER_INPUT error naming it. A price given without a currency is
// checked against the plan's own currency once the plan is loaded (see planEdit.against), as is
// the current price when only the currency changes.
func (in PlanUpdate) Validate() error {
	_, err := in.parse()
	return err
}

// planEdit is a PlanUpdate after validation. A nil pointer, or a false ...Set flag, leaves the
// field as it is.
type planEdit struct {
	name, description *string
	translations      map[string]map[string]string
	translationsSet   bool
	currency          *money.Currency
	// priceText is the price as given; price is its value when the input named the currency too.
	priceText    *string
	price        *int64
	features     []string
	featuresSet  bool
	displayOrder *int
	trialDays    *int
	metadata     map[string]any
	isActive     *bool
	interval     *plan.Interval
	quotas       map[string]int64
	quotasSet    bool
}

// parse validates in and returns its normalised values, in the order the API has always reported
// them.
func (in PlanUpdate) parse() (planEdit, error) {
	var out planEdit
	if in.Name != nil {
		n, err := validateText("name", *in.Name, maxNameLen, true)
		if err != nil {
			return planEdit{}, err
		}
		out.name = &n
	}
	if in.Description != nil {
		d, err := validateText("description", *in.Description, maxDescLen, false)
		if err != nil {
			return planEdit{}, err
		}
		out.description = &d
	}
	if in.Translations != nil {
		t, err := validateTranslations(in.Translations)
		if err != nil {
			return planEdit{}, err
		}
		out.translations, out.translationsSet = t, true
	}
	if in.Currency != nil {
		cur, err := money.ParseCurrency(*in.Currency)
		if err != nil {
			return planEdit{}, err
		}
		out.currency = &cur
	}
	if in.Price != nil {
		out.priceText = in.Price
		if out.currency != nil {
			p, err := parsePrice(*in.Price, *out.currency)
			if err != nil {
				return planEdit{}, err
			}
			out.price = &p
		}
	}
	if in.Features != nil {
		f, err := validateFeatures(in.Features)
		if err != nil {
			return planEdit{}, err
		}
		out.features, out.featuresSet = f, true
	}
	if in.TrialDays != nil {
		if err := validateTrialDays(*in.TrialDays); err != nil {
			return planEdit{}, err
		}
		out.trialDays = in.TrialDays
	}
	if in.DisplayOrder != nil {
		if err := validateDisplayOrder(*in.DisplayOrder); err != nil {
			return planEdit{}, err
		}
		out.displayOrder = in.DisplayOrder
	}
	if in.Metadata != nil {
		if err := validateMetadata(in.Metadata); err != nil {
			return planEdit{}, err
		}
		out.metadata = in.Metadata
	}
	out.isActive = in.IsActive
	if in.Quotas != nil {
		q, err := validateQuotas(in.Quotas)
		if err != nil {
			return planEdit{}, err
		}
		out.quotas, out.quotasSet = q, true
	}
	if in.Interval != nil {
		if err := validateInterval(*in.Interval); err != nil {
			return planEdit{}, err
		}
		out.interval = in.Interval
	}
	return out, nil
}

// planChange is what an edit does to one loaded plan: the values to write, the audit entry's
// changes, and what about it would hurt the plan's live subscribers.
type planChange struct {
	set     func(*ent.PlanUpdateOne)
	changes map[string]audit.Change
	// cut is the first quota the edit lowers; nil when none is.
	cut *quotaCut
	// newInterval is set when the edit changes the interval.
	newInterval *plan.Interval
}

// against resolves e on the plan old: it settles the price in the currency that will apply and
// keeps only the scalar fields that differ. Lists, maps and quotas that were given are always
// written and recorded, as a replacement. It needs no database, so the rules about what may change
// can be tested on plain values.
func (e planEdit) against(old *ent.Plan) (planChange, error) {
	var sets []func(*ent.PlanUpdateOne)
	out := planChange{changes: map[string]audit.Change{}}
	if e.name != nil && *e.name != old.Name {
		n := *e.name
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetName(n) })
		out.changes["name"] = audit.Change{Old: old.Name, New: n}
	}
	if e.description != nil && *e.description != old.Description {
		d := *e.description
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetDescription(d) })
		out.changes["description"] = audit.Change{Old: old.Description, New: d}
	}
	if e.translationsSet {
		t := e.translations
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetTranslations(t) })
		out.changes["translations"] = audit.Change{Old: old.Translations, New: t}
	}
	oldCur := money.Currency(old.Currency)
	price, cur, err := e.priceOn(old)
	if err != nil {
		return planChange{}, err
	}
	if price != old.PriceMinor || cur != oldCur {
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetPriceMinor(price).SetCurrency(string(cur)) })
		out.changes["price"] = audit.Change{Old: money.FormatDecimal(old.PriceMinor, oldCur) + " " + string(oldCur),
			New: money.FormatDecimal(price, cur) + " " + string(cur)}
	}
	if e.featuresSet {
		f := e.features
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetFeatures(f) })
		out.changes["features"] = audit.Change{Old: old.Features, New: f}
	}
	if e.trialDays != nil && *e.trialDays != old.TrialDays {
		d := *e.trialDays
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetTrialDays(d) })
		out.changes["trialDays"] = audit.Change{Old: old.TrialDays, New: d}
	}
	if e.displayOrder != nil && *e.displayOrder != old.DisplayOrder {
		o := *e.displayOrder
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetDisplayOrder(o) })
		out.changes["displayOrder"] = audit.Change{Old: old.DisplayOrder, New: o}
	}
	if e.metadata != nil {
		m := e.metadata
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetMetadata(m) })
		out.changes["metadata"] = audit.Change{Old: old.Metadata, New: m}
	}
	if e.isActive != nil && *e.isActive != old.IsActive {
		a := *e.isActive
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetIsActive(a) })
		out.changes["isActive"] = audit.Change{Old: old.IsActive, New: a}
	}
	if e.interval != nil && *e.interval != old.Interval {
		iv := *e.interval
		out.newInterval = &iv
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetInterval(iv) })
		out.changes["interval"] = audit.Change{Old: old.Interval, New: iv}
	}
	_, priceChanged := out.changes["price"]
	if _, ivChanged := out.changes["interval"]; priceChanged || ivChanged {
		// A new price version: live subscriptions keep the one they were sold at (see
		// Renewer.step for when they move onto this one).
		v := old.PriceVersion + 1
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetPriceVersion(v) })
		out.changes["priceVersion"] = audit.Change{Old: old.PriceVersion, New: v}
	}
	if e.quotasSet {
		q := e.quotas
		out.cut = loweredQuota(old.Quotas, q)
		sets = append(sets, func(u *ent.PlanUpdateOne) { u.SetQuotas(q) })
		out.changes["quotas"] = audit.Change{Old: old.Quotas, New: q}
	}
	out.set = func(u *ent.PlanUpdateOne) {
		for _, s := range sets {
			s(u)
		}
	}
	return out, nil
}

// priceOn returns the price and currency the plan will have. A new currency without a price
// re-reads the current amount in that currency, which fails when the currencies' fraction digits
// differ ("19.99" USD is no JPY amount): the caller must then give the price too.
func (e planEdit) priceOn(old *ent.Plan) (int64, money.Currency, error) {
	oldCur := money.Currency(old.Currency)
	cur := oldCur
	if e.currency != nil {
		cur = *e.currency
	}
	switch {
	case e.price != nil:
		return *e.price, cur, nil
	case e.priceText != nil:
		p, err := parsePrice(*e.priceText, cur)
		return p, cur, err
	case cur != oldCur:
		p, err := money.ParseDecimal(money.FormatDecimal(old.PriceMinor, oldCur), cur)
		if err != nil {
			return 0, "", errs.Invalid("price", "the current price is not valid in "+string(cur)+"; give a new price with the currency")
		}
		return p, cur, nil
	}
	return old.PriceMinor, cur, nil
}

// quotaCut is the first quota an update would lower.
type quotaCut struct {
	Metric   metric.Metric
	Old, New int64
}

// loweredQuota finds the first metric, in display order, whose limit would go down. A metric left
// out becomes unlimited (a raise); a metric that was unlimited and gets a limit counts as "adding
// a metric", which the rules allow.
func loweredQuota(old, updated map[string]int64) *quotaCut {
	for _, m := range metric.All {
		o, had := old[string(m)]
		n, has := updated[string(m)]
		if had && has && n < o {
			return &quotaCut{Metric: m, Old: o, New: n}
		}
	}
	return nil
}

// parsePrice reads a price in minor units of cur and applies the price bounds.
func parsePrice(text string, cur money.Currency) (int64, error) {
	price, err := money.ParseDecimal(text, cur)
	if err == nil {
		err = money.CheckPrice(price, cur)
	}
	if err != nil {
		return 0, err
	}
	return price, nil
}

func validateInterval(iv plan.Interval) error {
	if err := plan.IntervalValidator(iv); err != nil {
		return errs.Invalid("interval", "must be one of DAY, WEEK, MONTH, YEAR")
	}
	return nil
}

func validateTrialDays(days int) error {
	if days < 0 || days > maxTrialDays {
		return errs.Invalid("trialDays", fmt.Sprintf("trial days must be between 0 and %d", maxTrialDays))
	}
	return nil
}

func validateDisplayOrder(order int) error {
	if order < 0 {
		return errs.Invalid("displayOrder", "display order must not be negative")
	}
	return nil
}

func validateText(field, v string, max int, required bool) (string, error) {
	v = strings.TrimSpace(v)
	if required && v == "" {
		return "", errs.Invalid(field, "must not be empty")
	}
	if !utf8.ValidString(v) {
		return "", errs.Invalid(field, "must be valid UTF-8")
	}
	if utf8.RuneCountInString(v) > max {
		return "", errs.Invalid(field, fmt.Sprintf("must be at most %d characters", max))
	}
	return v, nil
}

func validateTranslations(in []Translation) (map[string]map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if len(in) > maxTranslations {
		return nil, errs.Invalid("translations", fmt.Sprintf("at most %d translations", maxTranslations))
	}
	out := make(map[string]map[string]string, len(in))
	// Each error names the item and its field ("translations.1.locale"), so a form can show it
	// at that input.
	for i, t := range in {
		item := fmt.Sprintf("translations.%d.", i)
		if !localePattern.MatchString(t.Locale) {
			return nil, errs.Invalid(item+"locale", fmt.Sprintf("%q is not a language tag such as \"ru\" or \"pt-BR\"", t.Locale))
		}
		if _, dup := out[t.Locale]; dup {
			return nil, errs.Invalid(item+"locale", fmt.Sprintf("%q is given twice", t.Locale))
		}
		name, err := validateText(item+"name", t.Name, maxNameLen, false)
		if err != nil {
			return nil, err
		}
		desc, err := validateText(item+"description", t.Description, maxDescLen, false)
		if err != nil {
			return nil, err
		}
		if name == "" && desc == "" {
			return nil, errs.Invalid(item+"name", fmt.Sprintf("translation %q needs a name or a description", t.Locale))
		}
		out[t.Locale] = map[string]string{"name": name, "description": desc}
	}
	return out, nil
}

func validateQuotas(in []Quota) (map[string]int64, error) {
	out := make(map[string]int64, len(in))
	for _, q := range in {
		if !q.Metric.Valid() {
			return nil, errs.Invalid("quotas", fmt.Sprintf("unknown metric %q", q.Metric))
		}
		if q.Limit < 0 {
			return nil, errs.Invalid("quotas", fmt.Sprintf("the %s quota must not be negative", q.Metric))
		}
		if err := metric.CheckLimit(q.Limit); err != nil {
			return nil, errs.Invalid("quotas", fmt.Sprintf("the %s quota %s", q.Metric, err))
		}
		if _, dup := out[string(q.Metric)]; dup {
			return nil, errs.Invalid("quotas", fmt.Sprintf("metric %s is given twice", q.Metric))
		}
		out[string(q.Metric)] = q.Limit
	}
	return out, nil
}

func validateFeatures(in []string) ([]string, error) {
	if len(in) > maxFeatures {
		return nil, errs.Invalid("features", fmt.Sprintf("at most %d features", maxFeatures))
	}
	out := make([]string, 0, len(in))
	for _, f := range in {
		f, err := validateText("features", f, maxFeatureLen, true)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func validateMetadata(m map[string]any) error {
	if m == nil {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return errs.Invalid("metadata", "must be a JSON object")
	}
	if len(b) > maxMetadataJSON {
		return errs.Invalid("metadata", fmt.Sprintf("must be at most %d bytes of JSON", maxMetadataJSON))
	}
	return nil
}
