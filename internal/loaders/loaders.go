// Package loaders batches the lookups that nested GraphQL fields make (a page of users each
// asking for its groups) into one query per field. Loaders are built per operation, in the
// GraphQL server's AroundResponses, so each query, mutation and subscription event starts with an
// empty cache and never sees another's data; their batch functions use the operation's
// transaction client, so mutation payloads see their own uncommitted rows.
package loaders

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/graph-gophers/dataloader/v7"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/analytics"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// DefaultWait is how long a loader collects keys before it runs its batch: long enough for the
// resolvers of one list to queue their keys, short enough not to show in latency.
const DefaultWait = 2 * time.Millisecond

// ErrMissing is returned when a resolver runs without loaders in its context (a wiring bug).
var ErrMissing = errors.New("loaders: none in context")

// Loaders are the batched lookups of one operation. Each is built when the operation first uses
// it: most operations (a quota check, a mutation) use none, and building all six cost every
// request 18 allocations.
type Loaders struct {
	client *ent.Client // also for priming
	src    Sources
	wait   time.Duration

	groupsByUserID              lazy[string, []*ent.Group]
	memberCountByGroupID        lazy[string, int]
	userByID                    lazy[string, *ent.User]
	planByID                    lazy[string, *ent.Plan]
	planStatsByPlanID           lazy[string, analytics.PlanStats]
	currentSubscriptionByUserID lazy[string, *ent.PlanSubscription]
}

// Sources are the domain services some loaders batch through.
type Sources struct {
	Analytics *analytics.Service
	Billing   *billing.Service
}

// New returns fresh loaders over client that wait for keys for wait (DefaultWait when zero).
func New(client *ent.Client, src Sources, wait time.Duration) *Loaders {
	if wait <= 0 {
		wait = DefaultWait
	}
	return &Loaders{client: client, src: src, wait: wait}
}

// lazy is a loader built on first use; resolvers may ask for it concurrently.
type lazy[K comparable, V any] struct {
	once   sync.Once
	loader *dataloader.Loader[K, V]
}

// get returns the loader, built from batch and wait the first time.
func (z *lazy[K, V]) get(batch func() dataloader.BatchFunc[K, V], wait time.Duration) *dataloader.Loader[K, V] {
	z.once.Do(func() { z.loader = dataloader.NewBatchedLoader(batch(), dataloader.WithWait[K, V](wait)) })
	return z.loader
}

// groups loads each user's groups, by name. The viewer's privacy rules apply, so callers check
// that the viewer may see the user's groups first.
func (l *Loaders) groups() *dataloader.Loader[string, []*ent.Group] {
	return l.groupsByUserID.get(func() dataloader.BatchFunc[string, []*ent.Group] {
		return groupsByUserID(l.client)
	}, l.wait)
}

// memberCounts counts each group's members.
func (l *Loaders) memberCounts() *dataloader.Loader[string, int] {
	return l.memberCountByGroupID.get(func() dataloader.BatchFunc[string, int] {
		return memberCountByGroupID(l.client)
	}, l.wait)
}

// users loads users; an unknown id is a NOT_FOUND error for that key.
func (l *Loaders) users() *dataloader.Loader[string, *ent.User] {
	return l.userByID.get(func() dataloader.BatchFunc[string, *ent.User] { return userByID(l.client) }, l.wait)
}

// plans loads plans under the viewer's privacy rules; a plan the viewer may not see is a
// NOT_FOUND error for that key.
func (l *Loaders) plans() *dataloader.Loader[string, *ent.Plan] {
	return l.planByID.get(func() dataloader.BatchFunc[string, *ent.Plan] { return planByID(l.client) }, l.wait)
}

// planStats loads each plan's subscription statistics (one statement per batch).
func (l *Loaders) planStats() *dataloader.Loader[string, analytics.PlanStats] {
	return l.planStatsByPlanID.get(func() dataloader.BatchFunc[string, analytics.PlanStats] {
		return planStatsByPlanID(l.src.Analytics)
	}, l.wait)
}

// currentSubscriptions loads each user's current subscription, nil for none.
func (l *Loaders) currentSubscriptions() *dataloader.Loader[string, *ent.PlanSubscription] {
	return l.currentSubscriptionByUserID.get(func() dataloader.BatchFunc[string, *ent.PlanSubscription] {
		return currentSubscriptionByUserID(l.src.Billing)
	}, l.wait)
}

type ctxKey struct{}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the loaders of ctx, or ErrMissing.
func From(ctx context.Context) (*Loaders, error) {
	if l, ok := ctx.Value(ctxKey{}).(*Loaders); ok {
		return l, nil
	}
	return nil, ErrMissing
}

// Middleware builds fresh loaders for every GraphQL response: once per query or mutation, and
// once per event of a subscription, whose connection would otherwise keep a stale cache.
func Middleware(client *ent.Client, src Sources, wait time.Duration) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(With(ctx, New(client, src, wait)))
	}
}

// Plan loads a plan through the operation's loader; (nil, nil) when the viewer cannot see it.
func Plan(ctx context.Context, id string) (*ent.Plan, error) {
	l, err := From(ctx)
	if err != nil {
		return nil, err
	}
	p, err := l.plans().Load(ctx, id)()
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil
	}
	return p, err
}

// PlanStats loads a plan's statistics through the operation's loader.
func PlanStats(ctx context.Context, planID string) (analytics.PlanStats, error) {
	l, err := From(ctx)
	if err != nil {
		return analytics.PlanStats{}, err
	}
	return l.planStats().Load(ctx, planID)()
}

// CurrentSubscription loads a user's current subscription through the operation's loader; nil
// when there is none (or the viewer may not see it).
func CurrentSubscription(ctx context.Context, userID string) (*ent.PlanSubscription, error) {
	l, err := From(ctx)
	if err != nil {
		return nil, err
	}
	return l.currentSubscriptions().Load(ctx, userID)()
}

// GroupsOfUser loads a user's groups through the operation's loader.
func GroupsOfUser(ctx context.Context, userID string) ([]*ent.Group, error) {
	l, err := From(ctx)
	if err != nil {
		return nil, err
	}
	return l.groups().Load(ctx, userID)()
}

// MemberCount loads a group's member count through the operation's loader.
func MemberCount(ctx context.Context, groupID string) (int, error) {
	l, err := From(ctx)
	if err != nil {
		return 0, err
	}
	return l.memberCounts().Load(ctx, groupID)()
}

// User loads a user through the operation's loader; (nil, nil) when there is no such user.
func User(ctx context.Context, id string) (*ent.User, error) {
	l, err := From(ctx)
	if err != nil {
		return nil, err
	}
	u, err := l.users().Load(ctx, id)()
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

// fail gives every key the same error.
func fail[V any](n int, err error) []*dataloader.Result[V] {
	out := make([]*dataloader.Result[V], n)
	for i := range out {
		out[i] = &dataloader.Result[V]{Error: err}
	}
	return out
}

// memberColumn carries, on each group row of groupsOfUsers, the member it was joined for.
const memberColumn = "member_user_id"

// groupsOfUsers reads the groups of users in one statement: the groups joined with the users'
// memberships. The Group privacy rules apply to the groups (a viewer who is not an admin sees
// only groups it belongs to); the membership rows only map groups to the users asked for, whom
// the caller has checked the viewer may see (User.groups is @private).
// shape, when set, narrows the query to what the operation reads of the groups.
func groupsOfUsers(ctx context.Context, client *ent.Client, userIDs []string, shape func(*ent.GroupQuery) error) (map[string][]*ent.Group, error) {
	ids := make([]any, len(userIDs))
	for i, id := range userIDs {
		ids[i] = id
	}
	q := db.ClientFrom(ctx, client).Group.Query()
	if shape != nil {
		if err := shape(q); err != nil {
			return nil, err
		}
	}
	rows, err := q.Modify(func(s *sql.Selector) {
		m := sql.Table(membership.Table)
		s.Join(m).On(s.C(group.FieldID), m.C(membership.FieldGroupID)).
			Where(sql.In(m.C(membership.FieldUserID), ids...)).
			AppendSelectAs(m.C(membership.FieldUserID), memberColumn)
	}).All(ctx)
	if err != nil {
		return nil, err
	}
	byUser := make(map[string][]*ent.Group, len(userIDs))
	for _, g := range rows {
		v, err := g.Value(memberColumn)
		if err != nil {
			return nil, err
		}
		uid, err := memberID(v)
		if err != nil {
			return nil, err
		}
		byUser[uid] = append(byUser[uid], g)
	}
	for _, gs := range byUser {
		sort.Slice(gs, func(a, b int) bool {
			if gs[a].Name != gs[b].Name {
				return gs[a].Name < gs[b].Name
			}
			return gs[a].ID < gs[b].ID
		})
	}
	return byUser, nil
}

// memberID reads the joined user id, which the drivers scan as text or bytes.
func memberID(v any) (string, error) {
	if u, ok := v.(*sql.UnknownType); ok {
		v = *u
	}
	switch id := v.(type) {
	case string:
		return id, nil
	case []byte:
		return string(id), nil
	}
	return "", fmt.Errorf("loaders: unexpected member id %T", v)
}

func groupsByUserID(client *ent.Client) dataloader.BatchFunc[string, []*ent.Group] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[[]*ent.Group] {
		byUser, err := groupsOfUsers(ctx, client, keys, nil)
		if err != nil {
			return fail[[]*ent.Group](len(keys), err)
		}
		out := make([]*dataloader.Result[[]*ent.Group], len(keys))
		for i, k := range keys {
			gs := byUser[k]
			if gs == nil {
				gs = []*ent.Group{}
			}
			out[i] = &dataloader.Result[[]*ent.Group]{Data: gs}
		}
		return out
	}
}

// PrimeGroupsOfUsers loads the groups of users in one statement into the operation's loader, so
// that a page's User.groups resolvers answer from it instead of each waiting for the loader's
// batch (which a loaded machine splits). Callers prime only when the page selects groups, and
// only for users whose groups the viewer may see; shape (optional) narrows the groups' query to
// the columns the operation selects, as entgql's field collection does.
func PrimeGroupsOfUsers(ctx context.Context, users []*ent.User, shape func(*ent.GroupQuery) error) error {
	l, err := From(ctx)
	if err != nil || len(users) == 0 {
		return err
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	byUser, err := groupsOfUsers(ctx, l.client, ids, shape)
	if err != nil {
		return err
	}
	for _, id := range ids {
		gs := byUser[id]
		if gs == nil {
			gs = []*ent.Group{}
		}
		l.groups().Prime(ctx, id, gs)
	}
	return nil
}

func memberCountByGroupID(client *ent.Client) dataloader.BatchFunc[string, int] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[int] {
		var rows []struct {
			GroupID string `json:"group_id"`
			Count   int    `json:"count"`
		}
		// The membership rows of other users are hidden from non-admins, but a member who may
		// see the group may see how many people are in it.
		err := db.ClientFrom(ctx, client).Membership.Query().Where(membership.GroupIDIn(keys...)).
			GroupBy(membership.FieldGroupID).Aggregate(ent.Count()).Scan(authz.As(ctx, authz.Directory), &rows)
		if err != nil {
			return fail[int](len(keys), err)
		}
		counts := make(map[string]int, len(rows))
		for _, r := range rows {
			counts[r.GroupID] = r.Count
		}
		out := make([]*dataloader.Result[int], len(keys))
		for i, k := range keys {
			out[i] = &dataloader.Result[int]{Data: counts[k]}
		}
		return out
	}
}

func userByID(client *ent.Client) dataloader.BatchFunc[string, *ent.User] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[*ent.User] {
		users, err := db.ClientFrom(ctx, client).User.Query().Where(user.IDIn(keys...)).All(ctx)
		if err != nil {
			return fail[*ent.User](len(keys), err)
		}
		byID := make(map[string]*ent.User, len(users))
		for _, u := range users {
			byID[u.ID] = u
		}
		out := make([]*dataloader.Result[*ent.User], len(keys))
		for i, k := range keys {
			if u, ok := byID[k]; ok {
				out[i] = &dataloader.Result[*ent.User]{Data: u}
			} else {
				out[i] = &dataloader.Result[*ent.User]{Error: errs.NotFound("user")}
			}
		}
		return out
	}
}

// PrimeUsers loads the users of ids (repeats and unknown ids allowed) in one statement into the
// operation's UserByID loader, so that a page's fields naming a user (an audit entry's actor)
// answer from it instead of each waiting for the loader's batch. An unknown id is primed as no
// user, which User reports as (nil, nil), as the batch would. The rows are whole, as the loader's
// own are: the loader is shared by every field of the operation, and a row narrowed to one page's
// selection would answer another field that reads more.
func PrimeUsers(ctx context.Context, ids []string) error {
	l, err := From(ctx)
	if err != nil || len(ids) == 0 {
		return err
	}
	seen := make(map[string]struct{}, len(ids))
	keys := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, ok := seen[id]; !ok {
			seen[id] = struct{}{}
			keys = append(keys, id)
		}
	}
	for i, r := range userByID(l.client)(ctx, keys) {
		switch {
		case r.Error == nil:
			l.users().Prime(ctx, keys[i], r.Data)
		case errors.Is(r.Error, errs.ErrNotFound):
			l.users().Prime(ctx, keys[i], nil)
		default:
			return r.Error
		}
	}
	return nil
}

func planStatsByPlanID(svc *analytics.Service) dataloader.BatchFunc[string, analytics.PlanStats] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[analytics.PlanStats] {
		if svc == nil {
			return fail[analytics.PlanStats](len(keys), errors.New("loaders: no analytics service"))
		}
		stats, err := svc.PlanStats(ctx, keys)
		if err != nil {
			return fail[analytics.PlanStats](len(keys), err)
		}
		out := make([]*dataloader.Result[analytics.PlanStats], len(keys))
		for i, k := range keys {
			// A plan without subscriptions has zero statistics, not an error.
			out[i] = &dataloader.Result[analytics.PlanStats]{Data: stats[k]}
		}
		return out
	}
}

func currentSubscriptionByUserID(svc *billing.Service) dataloader.BatchFunc[string, *ent.PlanSubscription] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[*ent.PlanSubscription] {
		if svc == nil {
			return fail[*ent.PlanSubscription](len(keys), errors.New("loaders: no billing service"))
		}
		subs, err := svc.CurrentSubscriptions(ctx, keys)
		if err != nil {
			return fail[*ent.PlanSubscription](len(keys), err)
		}
		out := make([]*dataloader.Result[*ent.PlanSubscription], len(keys))
		for i, k := range keys {
			out[i] = &dataloader.Result[*ent.PlanSubscription]{Data: subs[k]}
		}
		return out
	}
}

func planByID(client *ent.Client) dataloader.BatchFunc[string, *ent.Plan] {
	return func(ctx context.Context, keys []string) []*dataloader.Result[*ent.Plan] {
		plans, err := db.ClientFrom(ctx, client).Plan.Query().Where(plan.IDIn(keys...)).All(ctx)
		if err != nil {
			return fail[*ent.Plan](len(keys), err)
		}
		byID := make(map[string]*ent.Plan, len(plans))
		for _, p := range plans {
			byID[p.ID] = p
		}
		out := make([]*dataloader.Result[*ent.Plan], len(keys))
		for i, k := range keys {
			if p, ok := byID[k]; ok {
				out[i] = &dataloader.Result[*ent.Plan]{Data: p}
			} else {
				out[i] = &dataloader.Result[*ent.Plan]{Error: errs.NotFound("plan")}
			}
		}
		return out
	}
}
