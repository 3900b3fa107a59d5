package billing

import (
	"context"
	"fmt"
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
	np, err := in.parse()
	if err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Plan, error) { return s.createPlan(ctx, np) })
}

// createPlan is CreatePlan inside its transaction, with its input already validated.
func (s *Service) createPlan(ctx context.Context, np newPlan) (*ent.Plan, error) {
	c := s.clientFrom(ctx)
	id, err := s.planID(ctx, c, np.id, np.name)
	if err != nil {
		return nil, err
	}
	p, err := c.Plan.Create().SetID(id).SetName(np.name).SetDescription(np.description).SetTranslations(np.translations).
		SetPriceMinor(np.price).SetCurrency(string(np.currency)).SetInterval(np.interval).SetQuotas(np.quotas).
		SetFeatures(np.features).SetIsActive(np.active).SetDisplayOrder(np.displayOrder).SetMetadata(np.metadata).SetTrialDays(np.trialDays).
		Save(authz.As(ctx, authz.Billing))
	if err != nil {
		if ent.IsConstraintError(err) {
			return nil, errs.Conflict("a plan with this id already exists")
		}
		return nil, fmt.Errorf("creating plan: %w", err)
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.PlanCreated, EntityType: "Plan", EntityID: p.ID,
		Description: fmt.Sprintf("created plan %q (%s %s per %s)", p.Name, money.FormatDecimal(np.price, np.currency), np.currency, strings.ToLower(string(np.interval)))})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// planID returns want when it is free (PlanInput.Validate checked its form), or, when want is
// empty, a fresh readable id made from the name.
func (s *Service) planID(ctx context.Context, c *ent.Client, want, name string) (string, error) {
	sys := authz.As(ctx, authz.Billing)
	if want != "" {
		taken, err := c.Plan.Query().Where(plan.ID(want)).Exist(sys)
		if err != nil {
			return "", fmt.Errorf("checking plan id: %w", err)
		}
		if taken {
			return "", errs.Conflict("a plan with this id already exists")
		}
		return want, nil
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
	// Bad input is refused before the transaction, so it never waits for the plan's lock.
	edit, err := in.parse()
	if err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.Plan, error) {
		p, err := s.updatePlan(ctx, id, edit)
		if err != nil || !in.MoveSubscribers {
			return p, err
		}
		return p, s.moveOntoPrice(ctx, s.clientFrom(ctx), p)
	})
}

// updatePlan is UpdatePlan inside its transaction: load, resolve, check, apply, audit.
func (s *Service) updatePlan(ctx context.Context, id string, edit planEdit) (*ent.Plan, error) {
	c := s.clientFrom(ctx)
	// Locked for the rest of the transaction, so no subscription to the plan can start between
	// the subscriber check below and the write.
	old, err := s.lockPlan(ctx, c, id, true)
	if err != nil {
		return nil, err
	}
	change, err := edit.against(old)
	if err != nil {
		return nil, err
	}
	if err := s.checkSubscribersKeepTerms(ctx, c, old, change); err != nil {
		return nil, err
	}
	upd := c.Plan.UpdateOne(old)
	change.set(upd)
	p, err := upd.Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return nil, fmt.Errorf("updating plan: %w", err)
	}
	// A no-op update (every given value equal to the stored one) leaves no audit entry.
	if len(change.changes) == 0 {
		return p, nil
	}
	err = s.audit.Record(ctx, audit.Entry{Action: audit.PlanUpdated, EntityType: "Plan", EntityID: id,
		Description: fmt.Sprintf("updated plan %q", p.Name), Changes: change.changes})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// checkSubscribersKeepTerms refuses a change that would take from live subscribers what they
// signed up for: a lower quota or another interval. It counts subscribers only when the change
// does either, so the common edits (text, price, raises) cost no query.
func (s *Service) checkSubscribersKeepTerms(ctx context.Context, c *ent.Client, old *ent.Plan, change planChange) error {
	if change.cut == nil && change.newInterval == nil {
		return nil
	}
	live, err := c.PlanSubscription.Query().
		Where(plansubscription.PlanID(old.ID), plansubscription.StatusIn(quotaRestrictingStatuses...)).
		Count(authz.As(ctx, authz.Billing))
	if err != nil {
		return fmt.Errorf("counting subscriptions: %w", err)
	}
	return subscriberTermsRule(live, old.Interval, change)
}

// subscriberTermsRule is the rule itself, given the number of live subscriptions: a quota cut is
// reported before an interval change, with the numbers a client needs to explain it.
func subscriberTermsRule(live int, oldInterval plan.Interval, change planChange) error {
	if live == 0 {
		return nil
	}
	if cut := change.cut; cut != nil {
		return &errs.Error{Code: errs.CodeConflict,
			Message: fmt.Sprintf("cannot lower the %s quota from %d to %d: %d live subscription(s) use this plan; create a new plan with the lower quota and move subscribers to it instead",
				cut.Metric, cut.Old, cut.New, live),
			Extra: map[string]any{"metric": string(cut.Metric), "oldLimit": cut.Old, "newLimit": cut.New}}
	}
	if change.newInterval != nil {
		return errs.Conflict(fmt.Sprintf("cannot change the interval from %s to %s: %d live subscription(s) use this plan; create a new plan instead",
			oldInterval, *change.newInterval, live))
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
	newID, err := s.planID(ctx, c, "", src.Name)
	if err != nil {
		return nil, err
	}
	p, err := c.Plan.Create().SetID(newID).SetName(name).SetDescription(src.Description).
		SetTranslations(translations).SetPriceMinor(src.PriceMinor).SetCurrency(src.Currency).
		SetInterval(src.Interval).SetQuotas(src.Quotas).SetFeatures(src.Features).
		SetIsActive(false).SetDisplayOrder(src.DisplayOrder + 1).SetMetadata(src.Metadata).SetTrialDays(src.TrialDays).
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
