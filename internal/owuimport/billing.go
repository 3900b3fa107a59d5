package owuimport

// The billing fork's tables (backend/open_webui/models/billing.py and its migration
// b2f8a9c1d5e3_add_billing_tables): billing_plan, billing_subscription, billing_usage and
// billing_transaction, with epoch-second timestamps and Numeric(10,2) money. billing_audit_log
// is absent from the fork's migrations that could be read; when a table of that name is present
// (id, user_id, action, entity_type, entity_id, description, changes, created_at) its rows are
// carried into steward's audit log as imported entries (see importBillingAudit).

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/transaction"
	"github.com/steward-dev/steward/ent/usagecounter"
	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/internal/money"
)

var intervals = map[string]plan.Interval{
	"day": plan.IntervalDAY, "daily": plan.IntervalDAY, "week": plan.IntervalWEEK, "weekly": plan.IntervalWEEK,
	"month": plan.IntervalMONTH, "monthly": plan.IntervalMONTH, "year": plan.IntervalYEAR, "yearly": plan.IntervalYEAR,
}

func (r *run) importPlans(ctx context.Context) error {
	if len(r.snap.plans) > 0 {
		r.rep.counts("plans")
	}
	for i, p := range r.snap.plans {
		if err := r.importPlan(ctx, p); err != nil {
			return fmt.Errorf("plan %s: %w", p.str("id"), err)
		}
		r.tick("plans", i+1, len(r.snap.plans))
	}
	return nil
}

func (r *run) importPlan(ctx context.Context, p row) error {
	id := p.str("id")
	if id == "" || strings.TrimSpace(p.str("name")) == "" {
		r.rep.skip("plans", id, "a plan without an id or a name")
		return nil
	}
	cur, err := money.ParseCurrency(strings.ToUpper(orDefault(p.str("currency"), "RUB")))
	if err != nil {
		r.rep.skip("plans", id, fmt.Sprintf("the currency %q is not one steward supports", p.str("currency")))
		return nil
	}
	interval, ok := intervals[strings.ToLower(p.str("interval"))]
	if !ok {
		r.rep.skip("plans", id, fmt.Sprintf("the interval %q is not day, week, month or year", p.str("interval")))
		return nil
	}
	price, err := p.minor("price", cur.Exponent())
	if err != nil {
		r.rep.skip("plans", id, err.Error())
		return nil
	}
	quotas := map[string]int64{}
	for k, v := range p.object("quotas") {
		m := metric.Metric(strings.ToUpper(k))
		n, isNum := v.(float64)
		if !m.Valid() || !isNum || n < 0 {
			r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("plan %s: quota %s=%v is not a metric steward meters; dropped", id, k, v))
			continue
		}
		quotas[string(m)] = int64(n)
	}
	var features []string
	if l, ok := p.json("features").([]any); ok {
		for _, f := range l {
			if s, ok := f.(string); ok {
				features = append(features, s)
			}
		}
	}
	translations := map[string]map[string]string{}
	if p.str("name_ru") != "" || p.str("description_ru") != "" {
		translations["ru"] = map[string]string{"name": p.str("name_ru"), "description": p.str("description_ru")}
	}
	meta := p.object("metadata")
	if meta == nil {
		meta = p.object("plan_extra_metadata")
	}
	order := max(int(p.int64("display_order")), 0)
	name, desc, active := strings.TrimSpace(p.str("name")), p.str("description"), p.boolean("is_active", true)

	old, err := r.c.Plan.Get(ctx, id)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	outcome := unchanged
	if old == nil {
		q := r.c.Plan.Create().SetID(id).SetName(name).SetDescription(desc).SetTranslations(translations).
			SetPriceMinor(price).SetCurrency(string(cur)).SetInterval(interval).SetQuotas(quotas).SetFeatures(features).
			SetIsActive(active).SetDisplayOrder(order).SetMetadata(meta)
		if t, ok := p.epoch("created_at"); ok {
			q.SetCreatedAt(micro(t))
		}
		if t, ok := p.epoch("updated_at"); ok {
			q.SetUpdatedAt(micro(t))
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		outcome = created
	} else if old.Name != name || old.Description != desc || !sameJSON(old.Translations, translations) || old.PriceMinor != price ||
		old.Currency != string(cur) || old.Interval != interval || !sameJSON(old.Quotas, quotas) || !sameJSON(old.Features, features) ||
		old.IsActive != active || old.DisplayOrder != order || !sameJSON(old.Metadata, meta) {
		err := old.Update().SetName(name).SetDescription(desc).SetTranslations(translations).SetPriceMinor(price).
			SetCurrency(string(cur)).SetInterval(interval).SetQuotas(quotas).SetFeatures(features).SetIsActive(active).
			SetDisplayOrder(order).SetMetadata(meta).Exec(ctx)
		if err != nil {
			return err
		}
		outcome = updated
	}
	r.rep.count("plans", outcome)
	r.plans[id] = period.Interval(strings.ToLower(string(interval)))
	return nil
}

var subscriptionStatuses = map[string]plansubscription.Status{
	"active": plansubscription.StatusACTIVE, "trialing": plansubscription.StatusTRIALING,
	"past_due": plansubscription.StatusPAST_DUE, "canceled": plansubscription.StatusCANCELED,
	"cancelled": plansubscription.StatusCANCELED, "paused": plansubscription.StatusPAUSED,
	"expired": plansubscription.StatusCANCELED,
}

// current reports whether a status counts as the user's current subscription (at most one).
func current(s plansubscription.Status) bool { return s != plansubscription.StatusCANCELED }

func (r *run) importSubscriptions(ctx context.Context) error {
	if len(r.snap.subs) == 0 {
		return nil
	}
	r.rep.counts("subscriptions")
	// Newest first: where the source holds several current subscriptions of one user, the
	// newest is kept (steward allows one) and the others are reported.
	subs := append([]row(nil), r.snap.subs...)
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].int64("created_at") > subs[j].int64("created_at") })
	currentOf := map[string]string{}
	for i, s := range subs {
		if err := r.importSubscription(ctx, s, currentOf); err != nil {
			return fmt.Errorf("subscription %s: %w", s.str("id"), err)
		}
		r.tick("subscriptions", i+1, len(subs))
	}
	return nil
}

func (r *run) importSubscription(ctx context.Context, s row, currentOf map[string]string) error {
	id, uid, pid := s.str("id"), s.str("user_id"), s.str("plan_id")
	switch {
	case id == "":
		r.rep.skip("subscriptions", "", "a subscription without an id")
		return nil
	case !r.users[uid]:
		r.rep.skip("subscriptions", id, fmt.Sprintf("its account %s was not imported", uid))
		return nil
	case r.plans[pid] == "":
		r.rep.skip("subscriptions", id, fmt.Sprintf("its plan %s was not imported", pid))
		return nil
	}
	status, ok := subscriptionStatuses[strings.ToLower(s.str("status"))]
	if !ok {
		r.rep.skip("subscriptions", id, fmt.Sprintf("the status %q is unknown", s.str("status")))
		return nil
	}
	start, ok1 := s.epoch("current_period_start")
	end, ok2 := s.epoch("current_period_end")
	if !ok1 || !ok2 || !end.After(start) {
		r.rep.skip("subscriptions", id, "its current period is missing or empty")
		return nil
	}
	if current(status) {
		if other, taken := currentOf[uid]; taken {
			r.rep.conflict("subscriptions", id, fmt.Sprintf("the account already has a newer current subscription (%s)", other))
			return nil
		}
		held, err := r.c.PlanSubscription.Query().Where(plansubscription.UserID(uid), plansubscription.IDNEQ(id),
			plansubscription.StatusNEQ(plansubscription.StatusCANCELED)).Only(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		if held != nil {
			r.rep.conflict("subscriptions", id, fmt.Sprintf("the account already has a current steward subscription (%s)", held.ID))
			return nil
		}
		currentOf[uid] = id
	}
	var trialEnd, canceledAt, endedAt *time.Time
	if t, ok := s.epoch("trial_end"); ok {
		t = micro(t)
		trialEnd = &t
	}
	if !current(status) {
		t, ok := s.epoch("updated_at")
		if !ok {
			t = end
		}
		t = micro(t)
		canceledAt, endedAt = &t, &t
	}
	cancelAtEnd := s.boolean("cancel_at_period_end", false)
	old, err := r.c.PlanSubscription.Get(ctx, id)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	outcome := unchanged
	switch {
	case old == nil:
		p, err := r.c.Plan.Get(ctx, pid)
		if err != nil {
			return fmt.Errorf("loading plan %s: %w", pid, err)
		}
		q := r.c.PlanSubscription.Create().SetID(id).SetUserID(uid).SetPlanID(pid).SetStatus(status).
			SetPeriodAnchor(micro(start)).SetCurrentPeriodStart(micro(start)).SetCurrentPeriodEnd(micro(end)).
			SetCancelAtPeriodEnd(cancelAtEnd).SetNillableTrialEnd(trialEnd).SetNillableCanceledAt(canceledAt).SetNillableEndedAt(endedAt).
			// Sold at the plan's price as imported; a subscription of a priced plan that no
			// payment of the source covers was assigned, not sold, and stays out of MRR.
			SetPriceMinor(p.PriceMinor).SetCurrency(p.Currency).SetInterval(plansubscription.Interval(p.Interval)).
			SetPriceVersion(p.PriceVersion).SetComplimentary(p.PriceMinor > 0 && !r.paid(id))
		if r.paid(id) {
			q.SetPaidThrough(micro(end))
		}
		pausedAt := micro(start) // without a creation time: no later than the row starts
		if t, ok := s.epoch("created_at"); ok {
			q.SetCreatedAt(micro(t))
			pausedAt = micro(t)
		}
		if status == plansubscription.StatusPAUSED {
			// The source keeps no pause history: paused since it started, as steward marks a pause
			// (see ent/schema/plansubscription.go), so it never counts in MRR.
			q.SetPausedAt(pausedAt)
		}
		if t, ok := s.epoch("updated_at"); ok {
			q.SetUpdatedAt(micro(t))
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		outcome = created
	case old.UserID != uid:
		r.rep.conflict("subscriptions", id, fmt.Sprintf("steward holds this id for another account (%s)", old.UserID))
		return nil
	case old.PlanID != pid || old.Status != status || !old.CurrentPeriodStart.Equal(micro(start)) ||
		!old.CurrentPeriodEnd.Equal(micro(end)) || old.CancelAtPeriodEnd != cancelAtEnd || !reflect.DeepEqual(timeOf(old.TrialEnd), timeOf(trialEnd)):
		u := old.Update().SetPlanID(pid).SetStatus(status).SetCurrentPeriodStart(micro(start)).SetCurrentPeriodEnd(micro(end)).
			SetCancelAtPeriodEnd(cancelAtEnd).SetNillableTrialEnd(trialEnd).SetNillableCanceledAt(canceledAt).SetNillableEndedAt(endedAt)
		switch { // the pause mark follows the source's status, as on a first import
		case status == plansubscription.StatusPAUSED && old.PausedAt == nil:
			u.SetPausedAt(old.CreatedAt)
		case status != plansubscription.StatusPAUSED && current(status):
			u.ClearPausedAt()
		}
		err := u.Exec(ctx)
		if err != nil {
			return err
		}
		outcome = updated
	}
	r.rep.count("subscriptions", outcome)
	anchor := micro(start)
	if old != nil {
		anchor = old.PeriodAnchor // steward's periods follow the anchor it first stored
	}
	r.subs[id] = subscription{planID: pid, anchor: anchor}
	return nil
}

// paid reports whether a succeeded payment of the source covers subscription id.
func (r *run) paid(id string) bool {
	if r.paidSubs == nil {
		r.paidSubs = map[string]bool{}
		for _, t := range r.snap.txs {
			if strings.EqualFold(t.str("status"), "succeeded") {
				r.paidSubs[t.str("subscription_id")] = true
			}
		}
	}
	return r.paidSubs[id]
}

func timeOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// usageKey is the idempotency key an imported usage row is stored under: a second import finds
// the row by it and adds nothing.
func usageKey(id string) string { return "openwebui:" + id }

func (r *run) importUsage(ctx context.Context) error {
	if len(r.snap.usage) == 0 {
		return nil
	}
	r.rep.counts("usage events")
	for i, u := range r.snap.usage {
		if err := r.importUsageRow(ctx, u); err != nil {
			return fmt.Errorf("usage %s: %w", u.str("id"), err)
		}
		r.tick("usage events", i+1, len(r.snap.usage))
	}
	return nil
}

func (r *run) importUsageRow(ctx context.Context, u row) error {
	id, uid := u.str("id"), u.str("user_id")
	m := metric.Metric(strings.ToUpper(u.str("metric")))
	switch {
	case id == "":
		r.rep.skip("usage events", "", "a usage row without an id")
		return nil
	case !r.users[uid]:
		r.rep.skip("usage events", id, fmt.Sprintf("its account %s was not imported", uid))
		return nil
	case !m.Valid():
		r.rep.skip("usage events", id, fmt.Sprintf("the metric %q is not one steward meters", u.str("metric")))
		return nil
	case u.int64("amount") < 0:
		r.rep.skip("usage events", id, "a negative amount")
		return nil
	}
	exists, err := r.c.UsageEvent.Query().Where(usageevent.IdempotencyKey(usageKey(id))).Exist(ctx)
	if err != nil {
		return err
	}
	if exists {
		r.rep.count("usage events", unchanged)
		return nil
	}
	q := r.c.UsageEvent.Create().SetUserID(uid).SetMetric(m).SetAmount(u.int64("amount")).
		SetIdempotencyKey(usageKey(id)).SetModelID(u.str("model_id")).SetChatID(u.str("chat_id"))
	sid := u.str("subscription_id")
	sub, hasSub := r.subs[sid]
	if hasSub {
		q.SetSubscriptionID(sid)
	}
	if meta := u.object("metadata"); meta != nil {
		q.SetMetadata(meta)
	} else if meta := u.object("extra_metadata"); meta != nil {
		q.SetMetadata(meta)
	}
	at, ok := u.epoch("created_at")
	if !ok {
		at = r.im.cfg.Now().UTC()
	}
	q.SetCreatedAt(micro(at))
	if err := q.Exec(ctx); err != nil {
		return err
	}
	r.rep.count("usage events", created)
	if !hasSub {
		return nil
	}
	// The quota counter of the event's period, computed as billing computes it (from the
	// subscription's anchor and its plan's interval), so usage in the current period still
	// counts against the quota after the switch. Only new events are added: a re-run adds nothing.
	start, end := period.Current(sub.anchor, at, r.plans[sub.planID])
	return r.c.UsageCounter.Create().SetSubscriptionID(sid).SetUserID(uid).SetMetric(m).
		SetPeriodStart(start).SetPeriodEnd(end).SetUsed(u.int64("amount")).
		OnConflictColumns(usagecounter.FieldSubscriptionID, usagecounter.FieldMetric, usagecounter.FieldPeriodStart).
		AddUsed(u.int64("amount")).Exec(ctx)
}

// subscription is what the rows after it need of an imported subscription.
type subscription struct {
	planID string
	anchor time.Time
}

var transactionStatuses = map[string]transaction.Status{
	"pending": transaction.StatusPENDING, "succeeded": transaction.StatusSUCCEEDED, "failed": transaction.StatusFAILED,
	"canceled": transaction.StatusCANCELED, "cancelled": transaction.StatusCANCELED, "refunded": transaction.StatusREFUNDED,
}

func (r *run) importTransactions(ctx context.Context) error {
	if len(r.snap.txs) == 0 {
		return nil
	}
	r.rep.counts("transactions")
	for i, t := range r.snap.txs {
		if err := r.importTransaction(ctx, t); err != nil {
			return fmt.Errorf("transaction %s: %w", t.str("id"), err)
		}
		r.tick("transactions", i+1, len(r.snap.txs))
	}
	return nil
}

func (r *run) importTransaction(ctx context.Context, t row) error {
	id, uid := t.str("id"), t.str("user_id")
	if id == "" || !r.users[uid] {
		r.rep.skip("transactions", id, fmt.Sprintf("its account %s was not imported", uid))
		return nil
	}
	status, ok := transactionStatuses[strings.ToLower(t.str("status"))]
	if !ok {
		r.rep.skip("transactions", id, fmt.Sprintf("the status %q is unknown", t.str("status")))
		return nil
	}
	cur, err := money.ParseCurrency(strings.ToUpper(orDefault(t.str("currency"), "RUB")))
	if err != nil {
		r.rep.skip("transactions", id, fmt.Sprintf("the currency %q is not one steward supports", t.str("currency")))
		return nil
	}
	amount, err := t.minor("amount", cur.Exponent())
	if err != nil {
		r.rep.skip("transactions", id, err.Error())
		return nil
	}
	var subID, planID, paymentID *string
	if sid := t.str("subscription_id"); r.subs[sid].planID != "" {
		pid := r.subs[sid].planID
		subID, planID = &sid, &pid
	}
	provider := ""
	if p := t.str("yookassa_payment_id"); p != "" {
		provider, paymentID = "yookassa", &p
		other, err := r.c.Transaction.Query().Where(transaction.ProviderPaymentID(p), transaction.IDNEQ(id)).Only(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		if other != nil {
			r.rep.conflict("transactions", id, fmt.Sprintf("the payment %s is recorded by another steward transaction (%s)", p, other.ID))
			return nil
		}
	}
	meta := t.object("metadata")
	if meta == nil {
		meta = t.object("extra_metadata")
	}
	var processed *time.Time
	if status != transaction.StatusPENDING {
		if at, ok := t.epoch("updated_at"); ok {
			at = micro(at)
			processed = &at
		}
	}
	old, err := r.c.Transaction.Get(ctx, id)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	outcome := unchanged
	switch {
	case old == nil:
		q := r.c.Transaction.Create().SetID(id).SetUserID(uid).SetNillablePlanID(planID).SetNillableSubscriptionID(subID).
			SetAmountMinor(amount).SetCurrency(string(cur)).SetStatus(status).SetProvider(provider).
			SetNillableProviderPaymentID(paymentID).SetDescription(t.str("description")).SetReceiptURL(t.str("receipt_url")).
			SetMetadata(meta).SetNillableProcessedAt(processed)
		if at, ok := t.epoch("created_at"); ok {
			q.SetCreatedAt(micro(at))
		}
		if at, ok := t.epoch("updated_at"); ok {
			q.SetUpdatedAt(micro(at))
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		outcome = created
	case old.UserID != uid:
		r.rep.conflict("transactions", id, fmt.Sprintf("steward holds this id for another account (%s)", old.UserID))
		return nil
	case old.Status != status || old.AmountMinor != amount || old.Currency != string(cur) || old.Description != t.str("description") ||
		old.ReceiptURL != t.str("receipt_url"):
		err := old.Update().SetStatus(status).SetAmountMinor(amount).SetCurrency(string(cur)).SetDescription(t.str("description")).
			SetReceiptURL(t.str("receipt_url")).SetNillableProcessedAt(processed).Exec(ctx)
		if err != nil {
			return err
		}
		outcome = updated
	}
	r.rep.count("transactions", outcome)
	return nil
}

// importBillingAudit carries the fork's billing audit entries into steward's audit log. They
// cannot join the hash chain as what steward did, so each becomes an entry of its own action,
// IMPORTED_AUDIT_ENTRY, recorded by whoever runs the import, with the original actor, action,
// entity, time and changes in its changes; its entity is the source entry, so that a second run
// skips what the first carried.
func (r *run) importBillingAudit(ctx context.Context) error {
	if len(r.snap.billingAudit) == 0 {
		return nil
	}
	r.rep.counts("billing audit log")
	ids := make([]string, 0, len(r.snap.billingAudit))
	for _, a := range r.snap.billingAudit {
		ids = append(ids, a.str("id"))
	}
	done, err := r.c.AuditLog.Query().Where(auditlog.Action(string(audit.ImportedAuditEntry)),
		auditlog.EntityType(importedAuditEntity), auditlog.EntityIDIn(ids...)).
		Select(auditlog.FieldEntityID).Strings(authz.As(ctx, authz.AuditWriter))
	if err != nil {
		return fmt.Errorf("reading imported audit entries: %w", err)
	}
	seen := make(map[string]bool, len(done))
	for _, id := range done {
		seen[id] = true
	}
	for i, a := range r.snap.billingAudit {
		r.tick("billing audit log", i+1, len(r.snap.billingAudit))
		id := a.str("id")
		if id == "" || seen[id] {
			r.rep.count("billing audit log", unchanged)
			continue
		}
		at, _ := a.epoch("created_at")
		changes := map[string]audit.Change{
			"action": {New: a.str("action")}, "actor": {New: a.str("user_id")},
			"entityType": {New: a.str("entity_type")}, "entityId": {New: a.str("entity_id")},
			"at": {New: at.UTC().Format(time.RFC3339)},
		}
		if c := a.json("changes"); c != nil {
			changes["changes"] = audit.Change{New: c}
		}
		err := r.im.cfg.Audit.Record(ctx, audit.Entry{Action: audit.ImportedAuditEntry, EntityType: importedAuditEntity, EntityID: id,
			Description: fmt.Sprintf("Open WebUI billing audit, %s: %s %s %s by %s: %s", at.UTC().Format(time.RFC3339),
				a.str("action"), a.str("entity_type"), a.str("entity_id"), orDefault(a.str("user_id"), "the system"), a.str("description")),
			Changes: changes})
		if err != nil {
			return err
		}
		r.rep.count("billing audit log", created)
	}
	return nil
}

// importedAuditEntity is the entity type of imported audit entries; their entity id is the
// source entry's.
const importedAuditEntity = "OpenWebUIBillingAuditEntry"

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
