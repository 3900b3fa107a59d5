package graph

import (
	"time"

	"github.com/steward-dev/steward/graph/model"
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
		Features: in.Features, IsActive: in.IsActive, DisplayOrder: in.DisplayOrder, Metadata: in.Metadata,
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
		Features: in.Features, IsActive: in.IsActive, DisplayOrder: in.DisplayOrder, Metadata: in.Metadata,
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
