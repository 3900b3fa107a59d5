package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/slug"
	"github.com/steward-dev/steward/internal/db"
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

// quotaRestrictingStatuses are the statuses whose subscribers a quota cut would hurt (the issue's
// "live" subscriptions: active, trialing or past due).
var quotaRestrictingStatuses = []plansubscription.Status{
	plansubscription.StatusACTIVE, plansubscription.StatusTRIALING, plansubscription.StatusPAST_DUE,
}

// Plans lists plans by display order then name. Admins may include inactive plans; for anyone
// else includeInactive is ignored and only active plans are listed.
func (s *Service) Plans(ctx context.Context, includeInactive bool) ([]*ent.Plan, error) {
	q := s.clientFrom(ctx).Plan.Query()
	if !includeInactive || !authz.Allowed(ctx, authz.ManagePlans) {
		q.Where(plan.IsActive(true))
	}
	out, err := q.Order(ent.Asc(plan.FieldDisplayOrder), ent.Asc(plan.FieldName), ent.Asc(plan.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing plans: %w", err)
	}
	return out, nil
}

// Plan returns a plan by id. An inactive plan is visible to admins and its subscribers only, by
// the same row rule as node(id); anyone else gets NOT_FOUND.
func (s *Service) Plan(ctx context.Context, id string) (*ent.Plan, error) {
	p, err := s.clientFrom(ctx).Plan.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("plan")
	}
	if err != nil {
		return nil, fmt.Errorf("loading plan: %w", err)
	}
	return p, nil
}

// CreatePlan validates in and creates the plan (admin).
func (s *Service) CreatePlan(ctx context.Context, in PlanInput) (*ent.Plan, error) {
	if err := authz.Require(ctx, authz.ManagePlans); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Plan, error) { return s.createPlan(ctx, in) })
}

// createPlan is CreatePlan inside its transaction.
func (s *Service) createPlan(ctx context.Context, in PlanInput) (*ent.Plan, error) {
	name, err := validateText("name", in.Name, maxNameLen, true)
	if err != nil {
		return nil, err
	}
	desc := ""
	if in.Description != nil {
		if desc, err = validateText("description", *in.Description, maxDescLen, false); err != nil {
			return nil, err
		}
	}
	cur, err := money.ParseCurrency(in.Currency)
	if err != nil {
		return nil, err
	}
	price, err := money.ParseDecimal(in.Price, cur)
	if err == nil {
		err = money.CheckPrice(price, cur)
	}
	if err != nil {
		return nil, err
	}
	interval := plan.IntervalMONTH
	if in.Interval != nil {
		if err := plan.IntervalValidator(*in.Interval); err != nil {
			return nil, errs.Invalid("interval", "interval must be one of DAY, WEEK, MONTH, YEAR")
		}
		interval = *in.Interval
	}
	translations, err := validateTranslations(in.Translations)
	if err != nil {
		return nil, err
	}
	quotas, err := validateQuotas(in.Quotas)
	if err != nil {
		return nil, err
	}
	features, err := validateFeatures(in.Features)
	if err != nil {
		return nil, err
	}
	order := 0
	if in.DisplayOrder != nil {
		if *in.DisplayOrder < 0 {
			return nil, errs.Invalid("displayOrder", "display order must not be negative")
		}
		order = *in.DisplayOrder
	}
	if err := validateMetadata(in.Metadata); err != nil {
		return nil, err
	}
	active := true
	if in.IsActive != nil {
		active = *in.IsActive
	}
	c := s.clientFrom(ctx)
	sys := authz.As(ctx, authz.Billing)
	id, err := s.planID(ctx, c, in.ID, name)
	if err != nil {
		return nil, err
	}
	p, err := c.Plan.Create().SetID(id).SetName(name).SetDescription(desc).SetTranslations(translations).
		SetPriceMinor(price).SetCurrency(string(cur)).SetInterval(interval).SetQuotas(quotas).
		SetFeatures(features).SetIsActive(active).SetDisplayOrder(order).SetMetadata(in.Metadata).
		Save(sys)
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, errs.Conflict("a plan with this id already exists")
		}
		return nil, fmt.Errorf("creating plan: %w", err)
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.PlanCreated, EntityType: "Plan", EntityID: p.ID,
		Description: fmt.Sprintf("created plan %q (%s %s per %s)", p.Name, money.FormatDecimal(price, cur), cur, strings.ToLower(string(interval)))})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// planID returns the requested id after checking it, or a fresh readable one.
func (s *Service) planID(ctx context.Context, c *ent.Client, want *string, name string) (string, error) {
	sys := authz.As(ctx, authz.Billing)
	if want != nil && *want != "" {
		if !planIDPattern.MatchString(*want) {
			return "", errs.Invalid("id", "id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
		}
		taken, err := c.Plan.Query().Where(plan.ID(*want)).Exist(sys)
		if err != nil {
			return "", fmt.Errorf("checking plan id: %w", err)
		}
		if taken {
			return "", errs.Conflict("a plan with this id already exists")
		}
		return *want, nil
	}
	// The random suffix makes a clash unlikely; checking first keeps a PostgreSQL transaction
	// from being aborted by a unique violation.
	for range 5 {
		id := slug.New(name, s.random)
		taken, err := c.Plan.Query().Where(plan.ID(id)).Exist(sys)
		if err != nil {
			return "", fmt.Errorf("checking plan id: %w", err)
		}
		if !taken {
			return id, nil
		}
	}
	return "", errs.Conflict("could not find a free plan id; give one explicitly")
}

// UpdatePlan applies in to a plan (admin). Lowering a quota, or changing the interval, of a plan
// with live subscriptions is a CONFLICT: subscribers keep what they signed up for, and a new plan
// is the way to offer less.
func (s *Service) UpdatePlan(ctx context.Context, id string, in PlanUpdate) (*ent.Plan, error) {
	if err := authz.Require(ctx, authz.ManagePlans); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Plan, error) { return s.updatePlan(ctx, id, in) })
}

// updatePlan is UpdatePlan inside its transaction.
func (s *Service) updatePlan(ctx context.Context, id string, in PlanUpdate) (*ent.Plan, error) {
	c := s.clientFrom(ctx)
	old, err := s.lockPlan(ctx, c, id, true)
	if err != nil {
		return nil, err
	}
	upd := c.Plan.UpdateOne(old)
	changes := map[string]audit.Change{}
	if in.Name != nil {
		n, err := validateText("name", *in.Name, maxNameLen, true)
		if err != nil {
			return nil, err
		}
		if n != old.Name {
			upd.SetName(n)
			changes["name"] = audit.Change{Old: old.Name, New: n}
		}
	}
	if in.Description != nil {
		d, err := validateText("description", *in.Description, maxDescLen, false)
		if err != nil {
			return nil, err
		}
		if d != old.Description {
			upd.SetDescription(d)
			changes["description"] = audit.Change{Old: old.Description, New: d}
		}
	}
	if in.Translations != nil {
		t, err := validateTranslations(in.Translations)
		if err != nil {
			return nil, err
		}
		upd.SetTranslations(t)
		changes["translations"] = audit.Change{Old: old.Translations, New: t}
	}
	oldCur := money.Currency(old.Currency)
	cur := oldCur
	if in.Currency != nil {
		if cur, err = money.ParseCurrency(*in.Currency); err != nil {
			return nil, err
		}
	}
	if in.Price != nil || cur != oldCur {
		text := money.FormatDecimal(old.PriceMinor, oldCur)
		if in.Price != nil {
			text = *in.Price
		}
		price, err := money.ParseDecimal(text, cur)
		if err == nil && in.Price != nil {
			err = money.CheckPrice(price, cur)
		}
		if err != nil {
			if in.Price == nil {
				return nil, errs.Invalid("price", "the current price is not valid in "+string(cur)+"; give a new price with the currency")
			}
			return nil, err
		}
		if price != old.PriceMinor || cur != oldCur {
			upd.SetPriceMinor(price).SetCurrency(string(cur))
			changes["price"] = audit.Change{Old: money.FormatDecimal(old.PriceMinor, oldCur) + " " + string(oldCur), New: money.FormatDecimal(price, cur) + " " + string(cur)}
		}
	}
	if in.Features != nil {
		f, err := validateFeatures(in.Features)
		if err != nil {
			return nil, err
		}
		upd.SetFeatures(f)
		changes["features"] = audit.Change{Old: old.Features, New: f}
	}
	if in.DisplayOrder != nil {
		if *in.DisplayOrder < 0 {
			return nil, errs.Invalid("displayOrder", "display order must not be negative")
		}
		if *in.DisplayOrder != old.DisplayOrder {
			upd.SetDisplayOrder(*in.DisplayOrder)
			changes["displayOrder"] = audit.Change{Old: old.DisplayOrder, New: *in.DisplayOrder}
		}
	}
	if in.Metadata != nil {
		if err := validateMetadata(in.Metadata); err != nil {
			return nil, err
		}
		upd.SetMetadata(in.Metadata)
		changes["metadata"] = audit.Change{Old: old.Metadata, New: in.Metadata}
	}
	if in.IsActive != nil && *in.IsActive != old.IsActive {
		upd.SetIsActive(*in.IsActive)
		changes["isActive"] = audit.Change{Old: old.IsActive, New: *in.IsActive}
	}
	var quotas map[string]int64
	if in.Quotas != nil {
		if quotas, err = validateQuotas(in.Quotas); err != nil {
			return nil, err
		}
	}
	intervalChanged := in.Interval != nil && *in.Interval != old.Interval
	if intervalChanged {
		if err := plan.IntervalValidator(*in.Interval); err != nil {
			return nil, errs.Invalid("interval", "interval must be one of DAY, WEEK, MONTH, YEAR")
		}
	}
	lowered := loweredQuota(old.Quotas, quotas, in.Quotas != nil)
	if lowered != nil || intervalChanged {
		live, err := c.PlanSubscription.Query().
			Where(plansubscription.PlanID(id), plansubscription.StatusIn(quotaRestrictingStatuses...)).
			Count(authz.As(ctx, authz.Billing))
		if err != nil {
			return nil, fmt.Errorf("counting subscriptions: %w", err)
		}
		if live > 0 && lowered != nil {
			return nil, &errs.Error{Code: errs.CodeConflict,
				Message: fmt.Sprintf("cannot lower the %s quota from %d to %d: %d live subscription(s) use this plan; create a new plan with the lower quota and move subscribers to it instead",
					lowered.Metric, lowered.Old, lowered.New, live),
				Extra: map[string]any{"metric": string(lowered.Metric), "oldLimit": lowered.Old, "newLimit": lowered.New}}
		}
		if live > 0 && intervalChanged {
			return nil, errs.Conflict(fmt.Sprintf("cannot change the interval from %s to %s: %d live subscription(s) use this plan; create a new plan instead",
				old.Interval, *in.Interval, live))
		}
	}
	if intervalChanged {
		upd.SetInterval(*in.Interval)
		changes["interval"] = audit.Change{Old: old.Interval, New: *in.Interval}
	}
	if in.Quotas != nil {
		upd.SetQuotas(quotas)
		changes["quotas"] = audit.Change{Old: old.Quotas, New: quotas}
	}
	p, err := upd.Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return nil, fmt.Errorf("updating plan: %w", err)
	}
	if len(changes) > 0 {
		err = s.audit.Record(ctx, audit.Entry{Action: audit.PlanUpdated, EntityType: "Plan", EntityID: id,
			Description: fmt.Sprintf("updated plan %q", p.Name), Changes: changes})
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// quotaCut is the first quota an update would lower.
type quotaCut struct {
	Metric   metric.Metric
	Old, New int64
}

// loweredQuota finds a metric whose limit would go down. A metric left out becomes unlimited
// (a raise); a metric that was unlimited and gets a limit counts as "adding a metric", which the
// rules allow.
func loweredQuota(old, updated map[string]int64, replacing bool) *quotaCut {
	if !replacing {
		return nil
	}
	for _, m := range metric.All {
		o, had := old[string(m)]
		n, has := updated[string(m)]
		if had && has && n < o {
			return &quotaCut{Metric: m, Old: o, New: n}
		}
	}
	return nil
}

// lockPlan loads a plan, locking its row on PostgreSQL (FOR UPDATE when exclusive, FOR SHARE
// otherwise) so that a plan change and a new subscription to it cannot interleave. SQLite's
// single writer already orders them.
func (s *Service) lockPlan(ctx context.Context, c *ent.Client, id string, exclusive bool) (*ent.Plan, error) {
	q := c.Plan.Query().Where(plan.ID(id))
	if s.postgres {
		if exclusive {
			q.ForUpdate()
		} else {
			q.ForShare()
		}
	}
	p, err := q.Only(authz.As(ctx, authz.Billing))
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("plan")
	}
	if err != nil {
		return nil, fmt.Errorf("loading plan: %w", err)
	}
	return p, nil
}

// DeletePlan deletes a plan that nothing refers to (admin). A plan any subscription or payment
// refers to is a CONFLICT, so that history never dangles: deactivate it instead.
func (s *Service) DeletePlan(ctx context.Context, id string) (*ent.Plan, error) {
	if err := authz.Require(ctx, authz.ManagePlans); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Plan, error) { return s.deletePlan(ctx, id) })
}

// deletePlan is DeletePlan inside its transaction.
func (s *Service) deletePlan(ctx context.Context, id string) (*ent.Plan, error) {
	c := s.clientFrom(ctx)
	sys := authz.As(ctx, authz.Billing)
	p, err := s.lockPlan(ctx, c, id, true)
	if err != nil {
		return nil, err
	}
	subs, err := c.PlanSubscription.Query().Where(plansubscription.PlanID(id)).Count(sys)
	if err != nil {
		return nil, fmt.Errorf("counting subscriptions: %w", err)
	}
	txs, err := c.Transaction.Query().Where(transaction.PlanID(id)).Count(sys)
	if err != nil {
		return nil, fmt.Errorf("counting transactions: %w", err)
	}
	if subs > 0 || txs > 0 {
		return nil, errs.Conflict(fmt.Sprintf("plan %q is referred to by %d subscription(s) and %d payment(s); deactivate it instead of deleting it", p.Name, subs, txs))
	}
	if err := c.Plan.DeleteOne(p).Exec(sys); err != nil {
		if ent.IsConstraintError(err) {
			return nil, errs.Conflict("plan is in use; deactivate it instead of deleting it")
		}
		return nil, fmt.Errorf("deleting plan: %w", err)
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.PlanDeleted, EntityType: "Plan", EntityID: id,
		Description: fmt.Sprintf("deleted plan %q", p.Name)})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// TogglePlan flips a plan between active and inactive (admin). Inactive plans are hidden from
// users and cannot be subscribed to; existing subscriptions continue.
func (s *Service) TogglePlan(ctx context.Context, id string) (*ent.Plan, error) {
	if err := authz.Require(ctx, authz.ManagePlans); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Plan, error) { return s.togglePlan(ctx, id) })
}

// togglePlan is TogglePlan inside its transaction.
func (s *Service) togglePlan(ctx context.Context, id string) (*ent.Plan, error) {
	c := s.clientFrom(ctx)
	old, err := s.lockPlan(ctx, c, id, true)
	if err != nil {
		return nil, err
	}
	p, err := c.Plan.UpdateOne(old).SetIsActive(!old.IsActive).Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return nil, fmt.Errorf("toggling plan: %w", err)
	}
	action, verb := audit.PlanActivated, "activated"
	if !p.IsActive {
		action, verb = audit.PlanDeactivated, "deactivated"
	}
	err = s.audit.Record(ctx, audit.Entry{Action: action, EntityType: "Plan", EntityID: id,
		Description: fmt.Sprintf("%s plan %q", verb, p.Name),
		Changes:     map[string]audit.Change{"isActive": {Old: old.IsActive, New: p.IsActive}}})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// copySuffixes are the localized "(Copy)" suffixes of duplicated plans' translations.
var copySuffixes = map[string]string{
	"en": "(Copy)", "ru": "(копия)", "uk": "(копія)", "be": "(копія)", "kk": "(көшірме)",
	"de": "(Kopie)", "fr": "(copie)", "es": "(copia)", "it": "(copia)", "pt": "(cópia)",
	"pl": "(kopia)", "tr": "(kopya)", "zh": "(副本)", "ja": "(コピー)",
}

// copySuffix returns the suffix for a locale ("ru-RU" uses "ru"), English when unknown.
func copySuffix(locale string) string {
	base, _, _ := strings.Cut(strings.ToLower(locale), "-")
	if s, ok := copySuffixes[base]; ok {
		return s
	}
	return copySuffixes["en"]
}

// withSuffix appends suffix to name, shortening name so the result fits max characters.
func withSuffix(name, suffix string, max int) string {
	room := max - utf8.RuneCountInString(suffix) - 1
	if r := []rune(name); len(r) > room {
		name = strings.TrimSpace(string(r[:room]))
	}
	return name + " " + suffix
}

// DuplicatePlan copies a plan as "X (Copy)" with localized suffixes in its translations, inactive,
// one place lower in the display order, under a fresh id (admin).
func (s *Service) DuplicatePlan(ctx context.Context, id string) (*ent.Plan, error) {
	if err := authz.Require(ctx, authz.ManagePlans); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Plan, error) { return s.duplicatePlan(ctx, id) })
}

// duplicatePlan is DuplicatePlan inside its transaction.
func (s *Service) duplicatePlan(ctx context.Context, id string) (*ent.Plan, error) {
	c := s.clientFrom(ctx)
	src, err := s.lockPlan(ctx, c, id, false)
	if err != nil {
		return nil, err
	}
	name := withSuffix(src.Name, copySuffix("en"), maxNameLen)
	var translations map[string]map[string]string
	if len(src.Translations) > 0 {
		translations = make(map[string]map[string]string, len(src.Translations))
		for loc, t := range src.Translations {
			cp := map[string]string{"description": t["description"]}
			if t["name"] != "" {
				cp["name"] = withSuffix(t["name"], copySuffix(loc), maxNameLen)
			}
			translations[loc] = cp
		}
	}
	newID, err := s.planID(ctx, c, nil, src.Name)
	if err != nil {
		return nil, err
	}
	p, err := c.Plan.Create().SetID(newID).SetName(name).SetDescription(src.Description).
		SetTranslations(translations).SetPriceMinor(src.PriceMinor).SetCurrency(src.Currency).
		SetInterval(src.Interval).SetQuotas(src.Quotas).SetFeatures(src.Features).
		SetIsActive(false).SetDisplayOrder(src.DisplayOrder + 1).SetMetadata(src.Metadata).
		Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return nil, fmt.Errorf("duplicating plan: %w", err)
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.PlanDuplicated, EntityType: "Plan", EntityID: p.ID,
		Description: fmt.Sprintf("duplicated plan %q (%s) as %q", src.Name, src.ID, p.Name),
		Changes:     map[string]audit.Change{"sourcePlanId": {Old: nil, New: src.ID}}})
	if err != nil {
		return nil, err
	}
	return p, nil
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
	for _, t := range in {
		if !localePattern.MatchString(t.Locale) {
			return nil, errs.Invalid("translations", fmt.Sprintf("locale %q is not a language tag such as \"ru\" or \"pt-BR\"", t.Locale))
		}
		if _, dup := out[t.Locale]; dup {
			return nil, errs.Invalid("translations", fmt.Sprintf("locale %q is given twice", t.Locale))
		}
		name, err := validateText("translations", t.Name, maxNameLen, false)
		if err != nil {
			return nil, err
		}
		desc, err := validateText("translations", t.Description, maxDescLen, false)
		if err != nil {
			return nil, err
		}
		if name == "" && desc == "" {
			return nil, errs.Invalid("translations", fmt.Sprintf("translation %q has neither name nor description", t.Locale))
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

// PriceOf returns a plan's price as a decimal string in its currency.
func PriceOf(p *ent.Plan) money.Decimal {
	return money.Decimal(money.FormatDecimal(p.PriceMinor, money.Currency(p.Currency)))
}

// QuotasOf returns a plan's quotas in metric display order.
func QuotasOf(p *ent.Plan) []Quota {
	out := make([]Quota, 0, len(p.Quotas))
	for _, m := range metric.All {
		if l, ok := p.Quotas[string(m)]; ok {
			out = append(out, Quota{Metric: m, Limit: l})
		}
	}
	return out
}

// TranslationsOf returns a plan's translations sorted by locale.
func TranslationsOf(p *ent.Plan) []Translation {
	out := make([]Translation, 0, len(p.Translations))
	for loc, t := range p.Translations {
		out = append(out, Translation{Locale: loc, Name: t["name"], Description: t["description"]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Locale < out[j].Locale })
	return out
}

// LocalizedName returns a plan's name in locale (or its base language), falling back to the name.
func LocalizedName(p *ent.Plan, locale string) string {
	if t, ok := p.Translations[locale]; ok && t["name"] != "" {
		return t["name"]
	}
	base, _, _ := strings.Cut(locale, "-")
	if t, ok := p.Translations[base]; ok && t["name"] != "" {
		return t["name"]
	}
	return p.Name
}
