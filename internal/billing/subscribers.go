package billing

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect/sql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/predicate"
	"github.com/steward-dev/steward/ent/usagecounter"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing/period"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
	"github.com/steward-dev/steward/third_party/entgql"
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

// SubscribersInput names a page of a plan's subscribers and what the caller reads of it: a page
// reads only that (the total, the users, the usage summaries).
type SubscribersInput struct {
	PlanID string
	// First is the page size (50 when nil); After the cursor of the last subscriber seen.
	First *int
	After *entgql.Cursor[string]
	// Live keeps only the current subscriptions.
	Live bool
	// Count asks for TotalCount; Usage for each subscriber's Usage.
	Count, Usage bool
	// Users, when set, loads each subscriber's User; it narrows the users' query to what the
	// caller reads of them (entgql's field collection), or leaves it whole.
	Users func(*ent.UserQuery) error
	// Subscriptions, when set, reads of the subscriptions only what it selects (entgql's field
	// collection) and the columns the page itself reads: their id and creation (the cursor) and
	// their user. Nil reads them whole.
	Subscriptions func(*ent.PlanSubscriptionQuery) error
}

// subscriberColumns are the columns of a subscription the page reads itself.
var subscriberColumns = []string{plansubscription.FieldID, plansubscription.FieldCreatedAt, plansubscription.FieldUserID}

// totalColumn carries the page's total on each of its rows.
const totalColumn = "steward_total_count"

// Subscribers returns a page of a plan's subscriptions, newest first (admins), with what in asks
// for: the total, each subscription's user, its usage of every metric in the current period
// against the plan's quotas. With Live, only the current ones (ended subscriptions stay in a
// plan's history, but are not on it). A page costs a fixed number of statements whatever its
// size: the page (with its total when asked), the users when asked, the plan and the counters
// when usage is asked. The caller has found the plan; an unknown one has no subscribers.
func (s *Service) Subscribers(ctx context.Context, in SubscribersInput) (*SubscriberPage, error) {
	if err := authz.Require(ctx, authz.ManageSubscriptions); err != nil {
		return nil, err
	}
	n := 50
	if in.First != nil {
		if *in.First < 0 || *in.First > maxSubscribersPage {
			return nil, errs.Invalid("first", fmt.Sprintf("must be between 0 and %d", maxSubscribersPage))
		}
		n = *in.First
	}
	c := s.clientFrom(ctx)
	sys := authz.As(ctx, authz.Billing)
	preds := []predicate.PlanSubscription{plansubscription.PlanID(in.PlanID)}
	if in.Live {
		preds = append(preds, plansubscription.StatusIn(liveStatusValues...))
	}
	q := c.PlanSubscription.Query().Where(preds...)
	if in.Subscriptions != nil {
		if err := in.Subscriptions(q); err != nil {
			return nil, err
		}
		// The collection selects nothing when it meets a field it does not know (the query then
		// reads every column); the statement's columns tell which happened.
		q.Modify(func(sel *sql.Selector) {
			selected := sel.UnqualifiedColumns()
			for _, c := range subscriberColumns {
				if !slices.Contains(selected, c) {
					sel.AppendSelect(sel.C(c))
				}
			}
		})
	}
	if in.Count {
		// The total rides on the page's statement as a scalar subquery, which both databases
		// evaluate once; it reads the (plan_id, status, created_at) index only.
		q.Modify(func(sel *sql.Selector) {
			t := sql.Table(plansubscription.Table)
			count := sql.Dialect(sel.Dialect()).Select(sql.Count("*")).From(t).Where(sql.EQ(t.C(plansubscription.FieldPlanID), in.PlanID))
			if in.Live {
				vals := make([]any, len(liveStatusValues))
				for i, v := range liveStatusValues {
					vals[i] = string(v)
				}
				count.Where(sql.In(t.C(plansubscription.FieldStatus), vals...))
			}
			sel.AppendSelectExprAs(count, totalColumn)
		})
	}
	// Newest first, ties by id, as entgql's pager of PlanSubscription orders and reads cursors.
	for _, p := range entgql.CursorsPredicate(in.After, nil, plansubscription.FieldID, plansubscription.FieldCreatedAt, entgql.OrderDirectionDesc) {
		q = q.Where(predicate.PlanSubscription(p))
	}
	subs, err := q.Order(ent.Desc(plansubscription.FieldCreatedAt), ent.Desc(plansubscription.FieldID)).Limit(n + 1).All(sys)
	if err != nil {
		if in.After != nil {
			return nil, errs.Invalid("after", "is not a valid cursor").Wrap(err)
		}
		return nil, fmt.Errorf("loading subscribers: %w", err)
	}
	page := &SubscriberPage{PageInfo: entgql.PageInfo[string]{HasPreviousPage: in.After != nil}}
	if len(subs) > n {
		page.PageInfo.HasNextPage = true
		subs = subs[:n]
	}
	if in.Count {
		if page.TotalCount, err = s.subscribersTotal(sys, c, subs, preds); err != nil {
			return nil, err
		}
	}
	if len(subs) == 0 {
		return page, nil
	}
	var usersByID map[string]*ent.User
	if in.Users != nil {
		if usersByID, err = subscribersUsers(sys, c, subs, in.Users); err != nil {
			return nil, err
		}
	}
	var usage func(*ent.PlanSubscription) UsageSummary
	if in.Usage {
		if usage, err = s.subscribersUsage(sys, c, in.PlanID, subs); err != nil {
			return nil, err
		}
	}
	for _, sub := range subs {
		sr := Subscriber{Subscription: sub, User: usersByID[sub.UserID]}
		if usage != nil {
			sr.Usage = usage(sub)
		}
		page.Subscribers = append(page.Subscribers, sr)
		page.Cursors = append(page.Cursors, entgql.Cursor[string]{ID: sub.ID, Value: sub.CreatedAt})
	}
	page.PageInfo.StartCursor = &page.Cursors[0]
	page.PageInfo.EndCursor = &page.Cursors[len(page.Cursors)-1]
	return page, nil
}

// subscribersTotal reads the total that the page's rows carry; a page past the end has no row to
// carry it, so it is counted on its own then.
func (s *Service) subscribersTotal(ctx context.Context, c *ent.Client, subs []*ent.PlanSubscription, preds []predicate.PlanSubscription) (int, error) {
	if len(subs) == 0 {
		n, err := c.PlanSubscription.Query().Where(preds...).Count(ctx)
		if err != nil {
			return 0, fmt.Errorf("counting subscribers: %w", err)
		}
		return n, nil
	}
	v, err := subs[0].Value(totalColumn)
	if err != nil {
		return 0, err
	}
	if u, ok := v.(*sql.UnknownType); ok {
		v = *u
	}
	switch n := v.(type) {
	case int64:
		return int(n), nil
	case int32:
		return int(n), nil
	case int:
		return n, nil
	}
	return 0, fmt.Errorf("billing: unexpected count %T", v)
}

// subscribersUsers loads the users of a page in one statement, shaped as the caller reads them.
// A deleted account has no user: billing history outlives it.
func subscribersUsers(ctx context.Context, c *ent.Client, subs []*ent.PlanSubscription, shape func(*ent.UserQuery) error) (map[string]*ent.User, error) {
	ids := make([]string, len(subs))
	for i, sub := range subs {
		ids[i] = sub.UserID
	}
	q := c.User.Query().Where(user.IDIn(ids...))
	if err := shape(q); err != nil {
		return nil, err
	}
	users, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading subscribers: %w", err)
	}
	byID := make(map[string]*ent.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	return byID, nil
}

// subscribersUsage loads the plan's quotas and the page's counters and returns each
// subscription's usage summary of the current period.
func (s *Service) subscribersUsage(ctx context.Context, c *ent.Client, planID string, subs []*ent.PlanSubscription) (func(*ent.PlanSubscription) UsageSummary, error) {
	plan, err := c.Plan.Get(ctx, planID)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("plan")
	}
	if err != nil {
		return nil, fmt.Errorf("loading plan: %w", err)
	}
	subIDs := make([]string, len(subs))
	for i, sub := range subs {
		subIDs[i] = sub.ID
	}
	counters, err := c.UsageCounter.Query().Where(usagecounter.SubscriptionIDIn(subIDs...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading usage counters: %w", err)
	}
	type key struct {
		sub string
		m   metric.Metric
	}
	now := s.now()
	return func(sub *ent.PlanSubscription) UsageSummary {
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
			limit, limited := plan.Quotas[string(m)]
			summary.Metrics = append(summary.Metrics, makeCheck(m, 0, u[0], u[1], limit, limited, start, end))
		}
		return summary
	}, nil
}
