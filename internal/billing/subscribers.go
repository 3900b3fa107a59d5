package billing

import (
	"context"
	"fmt"

	"entgo.io/contrib/entgql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/usagecounter"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// Subscriber is one subscription of a plan with its user and usage so far this period.
type Subscriber struct {
	Subscription *ent.PlanSubscription
	// User is nil when the account was deleted: billing history outlives it.
	User  *ent.User
	Usage UsageSummary
}

// SubscriberPage is one page of a plan's subscribers.
type SubscriberPage struct {
	Subscribers []Subscriber
	Cursors     []entgql.Cursor[string]
	PageInfo    entgql.PageInfo[string]
	TotalCount  int
}

// maxSubscribersPage bounds one page.
const maxSubscribersPage = 200

// Subscribers returns a page of planID's subscriptions, newest first (admins), each with its
// user and its usage of every metric in the current period against the plan's quotas; with live,
// only the current ones (ended subscriptions stay in a plan's history, but are not on it). A page
// costs a fixed number of statements whatever its size: the page, the plan, the users and the
// counters.
func (s *Service) Subscribers(ctx context.Context, planID string, first *int, after *entgql.Cursor[string], live bool) (*SubscriberPage, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	n := 50
	if first != nil {
		if *first < 0 || *first > maxSubscribersPage {
			return nil, errs.Invalid("first", fmt.Sprintf("must be between 0 and %d", maxSubscribersPage))
		}
		n = *first
	}
	c := s.clientFrom(ctx)
	sys := authz.As(ctx, authz.Billing)
	plan, err := c.Plan.Get(sys, planID)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("plan")
	}
	if err != nil {
		return nil, fmt.Errorf("loading plan: %w", err)
	}
	q := c.PlanSubscription.Query().Where(plansubscription.PlanID(planID))
	if live {
		q = q.Where(plansubscription.StatusIn(liveStatusValues...))
	}
	conn, err := q.
		Paginate(sys, after, &n, nil, nil, ent.WithPlanSubscriptionOrder(&ent.PlanSubscriptionOrder{
			Direction: entgql.OrderDirectionDesc, Field: ent.PlanSubscriptionOrderFieldCreatedAt}))
	if err != nil {
		return nil, errs.Invalid("after", "is not a valid cursor").Wrap(err)
	}
	page := &SubscriberPage{PageInfo: conn.PageInfo, TotalCount: conn.TotalCount}
	if len(conn.Edges) == 0 {
		return page, nil
	}
	userIDs := make([]string, len(conn.Edges))
	subIDs := make([]string, len(conn.Edges))
	for i, e := range conn.Edges {
		userIDs[i], subIDs[i] = e.Node.UserID, e.Node.ID
	}
	users, err := c.User.Query().Where(user.IDIn(userIDs...)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("loading subscribers: %w", err)
	}
	usersByID := make(map[string]*ent.User, len(users))
	for _, u := range users {
		usersByID[u.ID] = u
	}
	counters, err := c.UsageCounter.Query().Where(usagecounter.SubscriptionIDIn(subIDs...)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("loading usage counters: %w", err)
	}
	type key struct {
		sub string
		m   metric.Metric
	}
	now := s.now()
	quotas := plan.Quotas
	for _, e := range conn.Edges {
		sub := e.Node
		start, end := period.Current(sub.PeriodAnchor, now, intervalOf(plan))
		used := map[key][2]int64{}
		for _, ctr := range counters {
			if ctr.SubscriptionID == sub.ID && ctr.PeriodStart.Equal(start) {
				used[key{sub.ID, ctr.Metric}] = [2]int64{ctr.Used, ctr.Reserved}
			}
		}
		summary := UsageSummary{UserID: sub.UserID, Subscription: sub, PeriodStart: &start, PeriodEnd: &end}
		for _, m := range metric.All {
			u := used[key{sub.ID, m}]
			limit, limited := quotas[string(m)]
			summary.Metrics = append(summary.Metrics, makeCheck(m, 0, u[0], u[1], limit, limited, start, end))
		}
		page.Subscribers = append(page.Subscribers, Subscriber{Subscription: sub, User: usersByID[sub.UserID], Usage: summary})
		page.Cursors = append(page.Cursors, e.Cursor)
	}
	return page, nil
}
