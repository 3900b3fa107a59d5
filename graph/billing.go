package graph

import (
	"time"

	"github.com/steward-dev/steward/graph/model"
	"github.com/steward-dev/steward/internal/analytics"
	"github.com/steward-dev/steward/internal/billing"
)

// Conversions from the generated billing inputs to the domain's.

func translations(in []*model.PlanTranslationInput) []billing.Translation {
	if in == nil {
		return nil
	}
	out := make([]billing.Translation, 0, len(in))
	for _, t := range in {
		tr := billing.Translation{Locale: t.Locale}
		if t.Name != nil {
			tr.Name = *t.Name
		}
		if t.Description != nil {
			tr.Description = *t.Description
		}
		out = append(out, tr)
	}
	return out
}

func quotas(in []*model.PlanQuotaInput) []billing.Quota {
	if in == nil {
		return nil
	}
	out := make([]billing.Quota, 0, len(in))
	for _, q := range in {
		out = append(out, billing.Quota{Metric: q.Metric, Limit: int64(q.Limit)})
	}
	return out
}

func planInput(in model.CreatePlanInput) billing.PlanInput {
	return billing.PlanInput{
		ID: in.ID, Name: in.Name, Description: in.Description, Translations: translations(in.Translations),
		Price: string(in.Price), Currency: in.Currency, Interval: in.Interval, Quotas: quotas(in.Quotas),
		Features: in.Features, IsActive: in.IsActive, DisplayOrder: in.DisplayOrder, Metadata: in.Metadata, TrialDays: in.TrialDays,
	}
}

func planUpdate(in model.UpdatePlanInput) billing.PlanUpdate {
	var price *string
	if in.Price != nil {
		p := string(*in.Price)
		price = &p
	}
	return billing.PlanUpdate{
		Name: in.Name, Description: in.Description, Translations: translations(in.Translations),
		Price: price, Currency: in.Currency, Interval: in.Interval, Quotas: quotas(in.Quotas),
		Features: in.Features, IsActive: in.IsActive, DisplayOrder: in.DisplayOrder, Metadata: in.Metadata, TrialDays: in.TrialDays,
		MoveSubscribers: in.MoveSubscribers != nil && *in.MoveSubscribers,
	}
}

func recordInput(in model.RecordUsageInput) billing.RecordInput {
	return billing.RecordInput{
		UserID: in.UserID, Metric: in.Metric, Amount: int64(in.Amount), IdempotencyKey: in.IdempotencyKey,
		ModelID: in.ModelID, ChatID: in.ChatID, Metadata: in.Metadata, Enforce: in.Enforce != nil && *in.Enforce,
	}
}

func seconds(n *int) time.Duration {
	if n == nil {
		return 0
	}
	return time.Duration(*n) * time.Second
}

func flag(b *bool) bool { return b != nil && *b }

func changePreview(pv billing.ChangePreview) *model.PlanChangePreview {
	m := func(minor int64) *analytics.Money { return &analytics.Money{Currency: pv.Currency, AmountMinor: minor} }
	return &model.PlanChangePreview{Kind: model.PlanChangeKind(pv.Kind), CurrentPlanID: pv.CurrentPlanID, PlanID: pv.PlanID,
		EffectiveAt: pv.EffectiveAt, Price: m(pv.PriceMinor), Credit: m(pv.CreditMinor), AmountDue: m(pv.DueMinor)}
}

func changePlanPayload(res billing.ChangeResult) *model.ChangePlanPayload {
	out := &model.ChangePlanPayload{Preview: changePreview(res.Preview), Subscription: res.Subscription, Transaction: res.Transaction}
	if res.ConfirmationURL != "" {
		out.ConfirmationURL = &res.ConfirmationURL
	}
	return out
}

func moveResult(res billing.MoveResult) *model.MoveSubscribersResult {
	out := &model.MoveSubscribersResult{DryRun: res.DryRun, AtPeriodEnd: res.AtPeriodEnd, Subscriptions: res.Subscriptions,
		MrrChange: []*analytics.Money{}, QuotaConflicts: []*model.QuotaConflict{}}
	for _, a := range res.MRRChange {
		out.MrrChange = append(out.MrrChange, &analytics.Money{Currency: a.Currency, AmountMinor: a.Minor})
	}
	for _, q := range res.QuotaConflicts {
		out.QuotaConflicts = append(out.QuotaConflicts, &model.QuotaConflict{Metric: q.Metric, Limit: int(q.Limit), Subscriptions: q.Subscriptions})
	}
	return out
}
