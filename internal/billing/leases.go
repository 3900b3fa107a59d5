package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/quotareservation"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// Leases meters calls against budget leases, so that a busy gateway writes to the database once
// per lease and once per flush instead of twice per call, with quotas still exact.
//
// A lease is one quota reservation (a row in quota_reservations, counted in the counter's
// reserved budget like any hold) of several calls' worth of one metric for one user. Calls are
// admitted against it in memory while it has room; what they use is queued and written in
// batches every FlushInterval (usage events, counters, rollups, live updates), moving the
// consumed part from reserved to used. The lease's settled_amount counts, while it is active,
// the part of its hold already freed that way, so that expiry (the backstop if the process dies)
// frees only the rest. A lease stops admitting after Window, or after Idle without calls, and
// is settled, giving back what it did not use, once its last call has settled. A lease past its
// window whose user calls again within Idle is checked instead of replaced: when one read finds
// the user's subscription and plan giving the same terms, it admits for another window (up to
// Life), so that a user who calls every half minute does not wait for a transaction each time;
// without the read when no subscription or plan was written since (LeaseConfig.TermsWrites).
//
// Exactness: every lease is taken by bumpCounter within the quota, like a reservation, so the
// leases of all replicas together never exceed the limit, and calls are admitted in memory only
// within their lease. A lease takes at most 1/LeaseShare of the remaining budget; when that is
// less than two calls' worth, the call holds exactly its own amounts (a lease of one call), so
// the last calls before the limit are admitted one by one in the database, as without leases.
// When a call does not fit its user's lease, the lease's unused rest is given back in the same
// transaction that takes the new one, so one process never refuses a call for lack of budget
// that it holds itself.
//
// Renewing ahead: a call that finds its lease three-quarters used, or past half its window,
// starts taking the next lease in the background, so that a busy user's calls do not wait on
// the database when a lease runs out. The next lease is taken like any other (within the quota,
// at most 1/Share of what remains), so exactness is kept; the old one is closed when the new one
// is in place and gives its rest back once its calls have settled. Near the limit, where a lease
// would be a single call's worth, nothing is taken ahead.
type Leases struct {
	s   *Service
	cfg LeaseConfig

	mu     sync.Mutex
	users  map[string]*userLeases
	queue  []usedPart
	closed bool

	stop chan struct{}
	done chan struct{}
	// flushMu makes flushes one at a time.
	flushMu sync.Mutex
	// txMu makes this meter's transactions (takes, renewals, flushes) one at a time: they lock
	// the same lease rows, in orders that could otherwise deadlock (a take gives back leases a
	// flush may be finishing). It is never held while a user's mu is acquired.
	txMu sync.Mutex
	// renewals are the background renewals running; Close cancels and waits for them.
	renewals     sync.WaitGroup
	renewCtx     context.Context
	cancelRenews context.CancelFunc
	// takenByCalls and takenAhead count leases taken on a call's path and in the background;
	// extended counts windows extended after a read found the same terms.
	takenByCalls, takenAhead, extended atomic.Int64
}

// LeaseStats counts the leases a meter has taken.
type LeaseStats struct {
	// TakenByCalls were taken by a call that found its lease short, which waited for it.
	TakenByCalls int64
	// TakenAhead were taken in the background before the calls needed them.
	TakenAhead int64
	// Extended counts leases past their window that admitted for another one after a read found
	// the user's terms unchanged, instead of being replaced.
	Extended int64
}

// Stats returns the meter's counts so far.
func (l *Leases) Stats() LeaseStats {
	return LeaseStats{TakenByCalls: l.takenByCalls.Load(), TakenAhead: l.takenAhead.Load(), Extended: l.extended.Load()}
}

// LeaseConfig tunes Leases; zero values take the defaults.
type LeaseConfig struct {
	// Calls is how many calls' amounts a lease takes at most; below 2 every call holds exactly
	// its own amounts in the database (Service.HoldCall), as without leases.
	Calls int64
	// Share bounds a lease to 1/Share of the remaining quota (default 4), so that replicas
	// share what is left and the last calls are held one by one.
	Share int64
	// Window is how long a lease admits calls before the user's terms are read again (default
	// 10 s): a plan change reaches calls admitted under the leases of the old plan after at most
	// this long.
	Window time.Duration
	// Life bounds how long a lease is kept by extending its window (default 5 min, at least
	// Window); its row expires Life + HoldTTL after it was taken, which bounds how long a lease of
	// a process that died holds budget.
	Life time.Duration
	// Idle gives a lease back after this long without a new call (default: Window). Near the
	// limit leases are single calls, finished as soon as they settle, so an idle lease holds at
	// most 1/Share of a budget that was far from the limit.
	Idle time.Duration
	// FlushInterval is how often settled calls are written (default 20 ms).
	FlushInterval time.Duration
	// HoldTTL bounds a call; a lease expires Life + HoldTTL after it was taken (default 10 min).
	HoldTTL time.Duration
	// TermsWrites counts the writes that may have changed a subscription or a plan
	// (db.DB.WatchTables(TermsTables...)): a lease past its window is extended without reading
	// its user's terms again while it has not moved since they were last read. Nil reads them
	// every time. With replicas it must count theirs too, or be nil.
	TermsWrites func() uint64
	Logger      *slog.Logger
}

// TermsTables are the tables a user's terms (subscription, plan, limits) are read from.
var TermsTables = []string{"plan_subscriptions", "plans"}

// userLeases are one user's leases, one per metric; mu serializes the user's admissions.
type userLeases struct {
	mu     sync.Mutex
	leases map[metric.Metric]*lease
	// replaced are leases that a newer one replaced, waiting for their calls to end.
	replaced []*lease
	// renewing is set while a renewal runs in the background; none is started again before
	// renewAfter (after a renewal found no room).
	renewing   bool
	renewAfter time.Time
	// renewed is closed when the running renewal is over.
	renewed chan struct{}
}

// lease is one leased reservation. Fields are guarded by its user's mu.
type lease struct {
	id, userID string
	subID      *string
	planID     string
	metric     metric.Metric
	limit      int64
	limited    bool
	// start and end are the quota period the lease holds budget of (zero without one); status is
	// the subscription's when the lease was taken.
	start, end time.Time
	status     string
	// amount is the budget the lease still holds for calls; held is what admitted calls hold
	// of it. size is the amount it was taken with.
	amount, held, size int64
	inflight           int
	// used is the total its calls used, the settled_amount it ends with.
	used int64
	// admitUntil ends admissions by the window (revalidate extends it, up to lifeEnd); lastCall
	// is for the idle timeout.
	admitUntil, lifeEnd, lastCall time.Time
	// closed leases admit nothing more; finished ones are settled in the database.
	closed, finished bool
	// termsAt is LeaseConfig.TermsWrites's count from just before the lease's terms were last
	// read (when it was taken or extended).
	termsAt uint64
}

// leasedCall is a Call admitted against leases.
type leasedCall struct {
	leases  map[metric.Metric]*lease
	amounts map[metric.Metric]int64
}

// usedPart is one metric of one settled call, waiting to be written.
type usedPart struct {
	l       *lease
	amount  int64
	covered int64 // the part of amount the lease's hold covered, to move from reserved to used
	at      time.Time
	u       *CallUsage
	key     string
}

// NewLeases starts the lease meter of s; Close flushes and gives the leases back.
func NewLeases(s *Service, cfg LeaseConfig) *Leases {
	if cfg.Share < 2 {
		cfg.Share = 4
	}
	if cfg.Window <= 0 {
		cfg.Window = 10 * time.Second
	}
	if cfg.Idle <= 0 {
		cfg.Idle = cfg.Window
	}
	if cfg.Life <= 0 {
		cfg.Life = 5 * time.Minute
	}
	cfg.Life = max(cfg.Life, cfg.Window)
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = 20 * time.Millisecond
	}
	if cfg.HoldTTL <= 0 {
		cfg.HoldTTL = 10 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = s.logger
	}
	l := &Leases{s: s, cfg: cfg, users: map[string]*userLeases{}, stop: make(chan struct{}), done: make(chan struct{})}
	l.renewCtx, l.cancelRenews = context.WithCancel(context.Background())
	go l.run()
	return l
}

// HoldCall admits a call against the user's leases, taking new ones when they lack room; see
// Service.HoldCall for the contract, which is the same.
func (l *Leases) HoldCall(ctx context.Context, in CallHold) (Call, error) {
	if err := authz.Require(ctx, authz.MeterUsage(l.s.perms)); err != nil {
		return Call{}, err
	}
	if len(in.Amounts) == 0 {
		return Call{}, errs.Invalid("amounts", "at least one metric is required")
	}
	for m, a := range in.Amounts {
		if !m.Valid() {
			return Call{}, errs.Invalid("amounts", "unknown metric")
		}
		if a <= 0 || metric.CheckAmount(a) != nil {
			return Call{}, errs.Invalid("amount", "amounts must be positive and at most "+fmt.Sprint(metric.MaxAmount))
		}
	}
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if l.cfg.Calls < 2 || closed || in.UserID == "" {
		return l.s.HoldCall(ctx, in)
	}
	u := l.user(in.UserID)
	u.mu.Lock()
	defer u.mu.Unlock()
	var (
		now   time.Time
		short []metric.Metric
	)
	for {
		now, short = l.s.now(), short[:0]
		for _, m := range metric.All {
			if a, ok := in.Amounts[m]; ok && !u.leases[m].fits(a, now) {
				short = append(short, m)
			}
		}
		if len(short) == 0 || !u.renewing {
			break
		}
		// The renewal running holds budget this call may need: wait for it rather than be
		// refused for lack of what this process holds.
		renewed := u.renewed
		u.mu.Unlock()
		select {
		case <-renewed:
		case <-ctx.Done():
		}
		u.mu.Lock()
		if err := ctx.Err(); err != nil {
			return Call{}, err
		}
	}
	if len(short) > 0 {
		short = l.revalidate(ctx, u, in, short, now)
	}
	if len(short) > 0 {
		if err := l.take(ctx, u, in, short, now); err != nil {
			return Call{}, err
		}
	}
	lc := &leasedCall{leases: make(map[metric.Metric]*lease, len(in.Amounts)), amounts: maps.Clone(in.Amounts)}
	for m, a := range in.Amounts {
		le := u.leases[m]
		le.held += a
		le.inflight++
		le.lastCall = now
		if le.amount-le.held < a {
			// Full for a call like this one (or a lease of this call alone): the next call
			// takes a new lease, giving this one's rest back in the same transaction.
			le.closed = true
		}
		lc.leases[m] = le
	}
	// Only a lease running short of room is renewed from here: one near the end of its window is
	// renewed when a call ends (SettleCall), so that the renewal's write does not compete with
	// this call's first token.
	l.renewAhead(u, in.UserID, l.dueForRenewal(u, in.Amounts, now, false))
	return Call{UserID: in.UserID, leased: lc}, nil
}

// revalidate gives another window to the leases of the short metrics that lack nothing but time
// (their window ended, but not their life, their period or their room), when a read finds the
// user's subscription and plan giving them the same terms as when they were taken: one read on
// the call's path instead of a transaction that gives the lease back and takes another. It
// returns the metrics still short, for take. The caller holds u.mu.
func (l *Leases) revalidate(ctx context.Context, u *userLeases, in CallHold, short []metric.Metric, now time.Time) []metric.Metric {
	if !slices.ContainsFunc(short, func(m metric.Metric) bool { return u.leases[m].lapsed(in.Amounts[m], now) }) {
		return short
	}
	// Counted before the read, so that a write racing with it moves the count past termsAt.
	writes, watched := l.termsWrites()
	var sub *liveSub
	read := false
	still := make([]metric.Metric, 0, len(short))
	for _, m := range short {
		le := u.leases[m]
		if !le.lapsed(in.Amounts[m], now) {
			still = append(still, m)
			continue
		}
		// Unless a subscription or plan was written since the lease's terms were read, they are
		// the same: what time alone changes (the period's end) lapsed has checked.
		if !watched || le.termsAt != writes {
			if !read {
				exists, s, err := l.s.loadUserSub(ctx, l.s.client, in.UserID)
				if err != nil || !exists {
					return short // take reads again, and answers the error or the missing user
				}
				sub, read = s, true
			}
			if !le.sameTerms(sub, now) {
				still = append(still, m)
				continue
			}
		}
		le.termsAt = writes
		le.admitUntil = now.Add(l.cfg.Window)
		if le.admitUntil.After(le.lifeEnd) {
			le.admitUntil = le.lifeEnd
		}
		l.extended.Add(1)
	}
	return still
}

// termsWrites is LeaseConfig.TermsWrites's count, and whether there is one.
func (l *Leases) termsWrites() (uint64, bool) {
	if l.cfg.TermsWrites == nil {
		return 0, false
	}
	return l.cfg.TermsWrites(), true
}

// lapsed reports whether the lease would admit amount now but for its window.
func (le *lease) lapsed(amount int64, now time.Time) bool {
	return le != nil && !le.closed && !now.Before(le.admitUntil) && now.Before(le.lifeEnd) &&
		(le.subID == nil || now.Before(le.end)) && le.amount-le.held >= amount
}

// sameTerms reports whether the user's live subscription sub (nil for none) gives the lease what
// it was taken under: the same subscription, plan, status, period and limit.
func (le *lease) sameTerms(sub *liveSub, now time.Time) bool {
	var start, end time.Time
	ok := false
	if sub != nil {
		start, end, ok = sub.period(now)
	}
	if !ok {
		return le.subID == nil
	}
	limit, limited := sub.limit(le.metric)
	return le.subID != nil && *le.subID == sub.ID && le.planID == sub.PlanID && le.status == sub.Status &&
		le.start.Equal(start) && le.end.Equal(end) && le.limit == limit && le.limited == limited
}

// renewAhead starts renewing the due leases of u in the background. The caller holds u.mu.
func (l *Leases) renewAhead(u *userLeases, userID string, due map[metric.Metric]int64) {
	if len(due) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		u.renewing, u.renewed = true, make(chan struct{})
		l.renewals.Add(1)
		go l.renew(u, userID, due)
	}
}

// renewWhenLeft says when a lease is renewed ahead: with under a quarter of its size left (or
// under half its window).
const renewWhenLeft = 4

// dueForRenewal returns the metrics (with the amounts of a call like this one) whose leases the
// next calls will soon find short: under a quarter of their room left, or, byTime, past half
// their window. The caller holds u.mu.
func (l *Leases) dueForRenewal(u *userLeases, amounts map[metric.Metric]int64, now time.Time, byTime bool) map[metric.Metric]int64 {
	if u.renewing || now.Before(u.renewAfter) {
		return nil
	}
	var due map[metric.Metric]int64
	for m, a := range amounts {
		le := u.leases[m] // the current lease (a settling call's may have been replaced)
		if le == nil || le.size < 2*a {
			continue // none, or a lease of one call: near the limit, calls are held one by one
		}
		if le.closed || le.amount-le.held < le.size/renewWhenLeft || (byTime && le.admitUntil.Sub(now) < l.cfg.Window/2) {
			if due == nil {
				due = map[metric.Metric]int64{}
			}
			due[m] = a
		}
	}
	return due
}

// renewTimeout bounds a background renewal.
const renewTimeout = 10 * time.Second

// renew takes the user's next leases of the due metrics in the background and puts them in place
// of the current ones, which are closed and give their rest back once their calls have settled.
// A renewal that finds no room (or fails) changes nothing: the calls go on against the current
// leases, and the one that finds them short takes a lease itself, as without renewals.
func (l *Leases) renew(u *userLeases, userID string, due map[metric.Metric]int64) {
	defer l.renewals.Done()
	ctx, cancel := context.WithTimeout(authz.As(l.renewCtx, authz.Billing), renewTimeout)
	defer cancel()
	u.mu.Lock()
	was := maps.Clone(u.leases)
	u.mu.Unlock()
	now := l.s.now()
	var taken []*lease
	l.txMu.Lock()
	writes, _ := l.termsWrites()
	err := db.InTx(ctx, l.s.client, func(ctx context.Context, c *ent.Client) error {
		taken = nil
		exists, sub, err := l.s.loadUserSub(ctx, c, userID)
		if err != nil || !exists {
			return err
		}
		for _, m := range metric.All { // the order HoldCall locks counters in
			a, ok := due[m]
			if !ok {
				continue
			}
			le, err := l.leaseAhead(ctx, c, sub, userID, m, a, now)
			if err != nil {
				return err
			}
			if le != nil {
				taken = append(taken, le)
			}
		}
		return nil
	})
	l.txMu.Unlock()
	l.mu.Lock()
	stopping := l.closed
	l.mu.Unlock()
	u.mu.Lock()
	defer u.mu.Unlock()
	u.renewing = false
	defer close(u.renewed)
	if err != nil && ctx.Err() == nil {
		l.cfg.Logger.Warn("renewing a user's budget leases ahead (calls take them as they need them)", "user_id", userID, "err", err)
	}
	if err != nil || len(taken) < len(due) {
		u.renewAfter = now.Add(time.Second)
	}
	for _, le := range taken {
		cur := u.leases[le.metric]
		if stopping || (cur != was[le.metric] && cur.fits(due[le.metric], now)) {
			// A call took a lease meanwhile (or the meter is closing): this one is not needed.
			le.closed = true
			u.replaced = append(u.replaced, le)
			continue
		}
		if cur != nil {
			cur.closed = true
			u.replaced = append(u.replaced, cur)
		}
		le.termsAt = writes
		u.leases[le.metric] = le
		l.takenAhead.Add(1)
	}
}

// fits reports whether the lease can admit amount more now.
func (le *lease) fits(amount int64, now time.Time) bool {
	return le != nil && !le.closed && now.Before(le.admitUntil) && (le.subID == nil || now.Before(le.end)) &&
		le.amount-le.held >= amount
}

// user returns the user's leases, creating the entry.
func (l *Leases) user(id string) *userLeases {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.users[id]
	if u == nil {
		u = &userLeases{leases: map[metric.Metric]*lease{}}
		l.users[id] = u
	}
	return u
}

// take gives back the unused rest of the user's leases of the short metrics and takes new ones
// that fit in, all in one transaction: on a refusal nothing changes, in memory or in the
// database. The caller holds u.mu.
func (l *Leases) take(ctx context.Context, u *userLeases, in CallHold, short []metric.Metric, now time.Time) error {
	s := l.s
	type given struct {
		old   *lease
		freed int64
	}
	var (
		gave  []given
		taken []*lease
	)
	// Its own transaction rather than a group commit (callTx): it locks this user's counters only,
	// in metric order, as flushes (of any replica) lock theirs.
	l.txMu.Lock()
	defer l.txMu.Unlock()
	writes, _ := l.termsWrites()
	err := db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		gave, taken = nil, nil
		exists, sub, err := s.loadUserSub(ctx, c, in.UserID)
		if err != nil {
			return err
		}
		if !exists {
			return errs.NotFound("user")
		}
		for _, m := range short {
			// Any unused rest goes back, a closed lease's too (its calls may run for minutes),
			// and that of leases a renewal replaced, so that nothing this process holds is
			// missing from the new lease.
			olds := []*lease{u.leases[m]}
			for _, r := range u.replaced {
				if r.metric == m {
					olds = append(olds, r)
				}
			}
			for _, old := range olds {
				if old == nil || old.finished {
					continue
				}
				freed, err := l.giveBack(ctx, c, old, old.amount-old.held, now)
				if err != nil {
					return err
				}
				gave = append(gave, given{old, freed})
			}
			le, err := l.lease(ctx, c, sub, in.UserID, m, in.Amounts[m], now)
			if err != nil {
				return err
			}
			taken = append(taken, le)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, g := range gave {
		g.old.amount -= g.freed
		g.old.closed = true // an old lease is replaced: it only waits for its calls
	}
	for _, le := range taken {
		if old := u.leases[le.metric]; old != nil {
			u.replaced = append(u.replaced, old)
		}
		le.termsAt = writes
		u.leases[le.metric] = le
	}
	l.takenByCalls.Add(int64(len(taken)))
	return nil
}

// lease takes a new lease of metric m for a call needing amount: as many calls' worth as the
// configuration and the remaining quota allow, else exactly amount, else QUOTA_EXCEEDED.
func (l *Leases) lease(ctx context.Context, c *ent.Client, sub *liveSub, userID string, m metric.Metric, amount int64, now time.Time) (*lease, error) {
	return l.takeLease(ctx, c, sub, userID, m, amount, now, false)
}

// leaseAhead takes a lease for the calls to come, like lease, but only one of several calls'
// worth: nil when the quota leaves less.
func (l *Leases) leaseAhead(ctx context.Context, c *ent.Client, sub *liveSub, userID string, m metric.Metric, amount int64, now time.Time) (*lease, error) {
	return l.takeLease(ctx, c, sub, userID, m, amount, now, true)
}

func (l *Leases) takeLease(ctx context.Context, c *ent.Client, sub *liveSub, userID string, m metric.Metric, amount int64, now time.Time, ahead bool) (*lease, error) {
	s := l.s
	le := &lease{userID: userID, metric: m, admitUntil: now.Add(l.cfg.Window), lifeEnd: now.Add(l.cfg.Life), lastCall: now}
	size := min(amount*l.cfg.Calls, metric.MaxAmount)
	create := c.QuotaReservation.Create().SetUserID(userID).SetMetric(m).
		SetExpiresAt(now.Add(l.cfg.Life + l.cfg.HoldTTL)).SetCreatedAt(now).SetUpdatedAt(now).SetPeriodStart(now)
	var start, end time.Time
	ok := false
	if sub != nil {
		start, end, ok = sub.period(now)
	}
	if ok {
		limit, limited := sub.limit(m)
		if limited {
			used, reserved, err := s.readCounter(ctx, c, sub.ID, m, start)
			if err != nil {
				return nil, err
			}
			if share := (limit - used - reserved) / l.cfg.Share; share < 2*amount {
				if ahead {
					return nil, nil
				}
				size = amount // close to the limit: this call alone, exactly
			} else {
				size = min(size, share)
			}
		}
		_, _, fit, err := s.bumpCounter(ctx, c, sub.ID, userID, m, start, end, 0, size, limit, limited, now)
		if err == nil && !fit && ahead {
			return nil, nil
		}
		if err == nil && !fit && size > amount {
			size = amount // another replica took budget meanwhile: try this call alone
			_, _, fit, err = s.bumpCounter(ctx, c, sub.ID, userID, m, start, end, 0, size, limit, limited, now)
		}
		if err == nil && !fit && amount <= limit {
			var freed int64
			if freed, err = s.expireCounterReservations(ctx, c, sub.ID, m, start, now); err == nil && freed > 0 {
				_, _, fit, err = s.bumpCounter(ctx, c, sub.ID, userID, m, start, end, 0, size, limit, limited, now)
			}
		}
		if err != nil {
			return nil, err
		}
		if !fit {
			return nil, s.quotaExceeded(ctx, c, sub, m, start, end, amount, limit, now)
		}
		create.SetSubscriptionID(sub.ID).SetPeriodStart(start)
		subID := sub.ID
		le.subID, le.planID, le.status, le.limit, le.limited, le.start, le.end = &subID, sub.PlanID, sub.Status, limit, limited, start, end
	}
	r, err := create.SetAmount(size).Save(authz.As(ctx, authz.Billing))
	if err != nil {
		return nil, fmt.Errorf("creating lease: %w", err)
	}
	le.id, le.amount, le.size = r.ID, size, size
	return le, nil
}

// giveBack frees n of an active lease's hold (its unused rest) and returns how much it freed: 0
// when the lease is no longer active (it expired, and expiry freed its hold).
func (l *Leases) giveBack(ctx context.Context, c *ent.Client, le *lease, n int64, now time.Time) (int64, error) {
	if n <= 0 {
		return 0, nil
	}
	active, err := l.free(ctx, c, le, n, now)
	if err != nil || !active {
		return 0, err
	}
	if le.subID != nil {
		if _, err := c.ExecContext(ctx, l.s.rebind(`UPDATE usage_counters SET reserved = reserved - ?, updated_at = ? WHERE subscription_id = ? AND metric = ? AND period_start = ?`),
			n, now, *le.subID, string(le.metric), le.start); err != nil {
			return 0, fmt.Errorf("giving back leased budget: %w", err)
		}
	}
	return n, nil
}

// free counts n more of an active lease's hold as freed (settled_amount); false when the lease is
// no longer active.
func (l *Leases) free(ctx context.Context, c *ent.Client, le *lease, n int64, now time.Time) (bool, error) {
	res, err := c.ExecContext(ctx, l.s.rebind(`UPDATE quota_reservations SET settled_amount = COALESCE(settled_amount, 0) + ?, updated_at = ? WHERE id = ? AND status = 'ACTIVE'`),
		n, now, le.id)
	if err != nil {
		return false, fmt.Errorf("updating lease: %w", err)
	}
	rows, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("updating lease: %w", err)
	}
	return rows == 1, nil
}

// SettleCall records what a call used; a leased call's usage is queued and written within
// FlushInterval (Flush writes it at once).
func (l *Leases) SettleCall(ctx context.Context, c Call, u CallUsage) error {
	if c.leased == nil {
		return l.s.SettleCall(ctx, c, u)
	}
	if err := authz.Require(ctx, authz.MeterUsage(l.s.perms)); err != nil {
		return err
	}
	for _, m := range metric.All {
		if a := u.Amounts[m]; a < 0 || metric.CheckAmount(a) != nil {
			return errs.Invalid("actualAmount", "actual amounts must be between 0 and "+fmt.Sprint(metric.MaxAmount))
		}
	}
	if err := validateRecord(RecordInput{UserID: "-", Metric: metric.Requests, ModelID: u.ModelID, ChatID: u.ChatID, Metadata: u.Metadata}); err != nil {
		return err
	}
	usr := l.user(c.UserID)
	now := l.s.now()
	callKey := "gateway-call:" + newEventID()
	usr.mu.Lock()
	parts := make([]usedPart, 0, len(c.leased.leases))
	for _, m := range metric.All {
		le, ok := c.leased.leases[m]
		if !ok {
			continue
		}
		used := u.Amounts[m]
		le.held -= c.leased.amounts[m]
		le.inflight--
		covered := min(used, le.amount-le.held)
		le.amount -= covered
		le.used += used
		parts = append(parts, usedPart{l: le, amount: used, covered: covered, at: now, u: &u, key: callKey + ":" + string(m)})
	}
	// Queued before the user's lock is let go: a flush that finds the lease without calls
	// (under that lock) then finds this usage in the queue too (see Flush).
	l.mu.Lock()
	l.queue = append(l.queue, parts...)
	l.mu.Unlock()
	l.renewAhead(usr, c.UserID, l.dueForRenewal(usr, c.leased.amounts, now, true))
	usr.mu.Unlock()
	return nil
}

// ReleaseCall frees a call that used nothing; a leased call's hold returns to its lease.
func (l *Leases) ReleaseCall(ctx context.Context, c Call) error {
	if c.leased == nil {
		return l.s.ReleaseCall(ctx, c)
	}
	if err := authz.Require(ctx, authz.MeterUsage(l.s.perms)); err != nil {
		return err
	}
	u := l.user(c.UserID)
	u.mu.Lock()
	defer u.mu.Unlock()
	for m, le := range c.leased.leases {
		le.held -= c.leased.amounts[m]
		le.inflight--
	}
	return nil
}

// run flushes every FlushInterval until Close.
func (l *Leases) run() {
	defer close(l.done)
	t := time.NewTicker(l.cfg.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			if err := l.Flush(context.Background()); err != nil {
				l.cfg.Logger.Error("writing metered gateway calls (retried at the next flush)", "err", err)
			}
		}
	}
}

// Close stops leasing, writes what was settled and gives back every lease whose calls have
// ended; call it after the calls have settled (Gateway.Close) and before the database closes.
// A lease with calls still running is freed by its expiry.
func (l *Leases) Close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.closed = true
	l.mu.Unlock()
	l.cancelRenews()
	l.renewals.Wait()
	close(l.stop)
	<-l.done
	for range 3 { // a failed flush keeps its work for the next try
		err := l.Flush(context.Background())
		if err == nil {
			return
		}
		l.cfg.Logger.Error("writing metered gateway calls at shutdown", "err", err)
	}
}

// Flush writes the settled calls and settles the leases that are done (closed, or idle or past
// their life, and without calls running), in one transaction; on failure everything is kept
// for the next flush. A lease past its window but not idle stays: its user's next call may
// extend it (revalidate).
func (l *Leases) Flush(ctx context.Context) error {
	l.flushMu.Lock()
	defer l.flushMu.Unlock()
	now := l.s.now()
	l.mu.Lock()
	stopping := l.closed
	users := make([]string, 0, len(l.users))
	for id := range l.users {
		users = append(users, id)
	}
	l.mu.Unlock()
	// Done leases are picked before the queue is taken: the usage of their calls was queued
	// before their last call let go of the user's lock, so it is written in this transaction,
	// before the lease's rest is freed. Freeing the rest first would let the counter show budget
	// as free that the queued usage is about to take.
	var done []*lease
	slices.Sort(users)
	for _, id := range users {
		l.mu.Lock()
		u := l.users[id]
		l.mu.Unlock()
		u.mu.Lock()
		current := make([]*lease, 0, len(u.leases)+len(u.replaced))
		for _, m := range metric.All {
			if le := u.leases[m]; le != nil {
				current = append(current, le)
			}
		}
		for _, le := range append(current, u.replaced...) {
			if le.finished {
				continue
			}
			if stopping || !now.Before(le.lifeEnd) || now.Sub(le.lastCall) >= l.cfg.Idle || (le.subID != nil && !now.Before(le.end)) {
				le.closed = true
			}
			if le.closed && le.inflight == 0 {
				done = append(done, le)
			}
		}
		u.mu.Unlock()
	}
	l.mu.Lock()
	parts := l.queue
	l.queue = nil
	l.mu.Unlock()
	if len(parts) == 0 && len(done) == 0 {
		return nil
	}
	ctx = authz.As(ctx, authz.Billing)
	l.txMu.Lock()
	err := db.InTx(ctx, l.s.client, func(ctx context.Context, c *ent.Client) error {
		return l.write(ctx, c, parts, done, now)
	})
	l.txMu.Unlock()
	if err != nil {
		l.mu.Lock()
		l.queue = append(parts, l.queue...)
		l.mu.Unlock()
		return err
	}
	// User entries stay (one small map per user who called): dropping one could orphan a lease
	// that a concurrent HoldCall is taking on it.
	for _, le := range done {
		l.mu.Lock()
		u := l.users[le.userID]
		l.mu.Unlock()
		u.mu.Lock()
		le.finished = true
		if u.leases[le.metric] == le {
			delete(u.leases, le.metric)
		}
		u.replaced = slices.DeleteFunc(u.replaced, func(r *lease) bool { return r.finished })
		u.mu.Unlock()
	}
	return nil
}

// eventsPerInsert bounds one multi-row insert of usage events on SQLite (11 parameters each); a
// power of two (see insertEvents).
const eventsPerInsert = 64

// write records the settled parts: their usage events, then per lease the counter (consumed
// budget moves from reserved to used), the daily rollup and the live update.
func (l *Leases) write(ctx context.Context, c *ent.Client, parts []usedPart, done []*lease, now time.Time) error {
	s := l.s
	// A call's parts share its metadata: encoded once per call.
	metas := map[*CallUsage][]byte{}
	events := make([]eventRow, len(parts))
	for i, p := range parts {
		meta, ok := metas[p.u]
		if !ok && p.u.Metadata != nil {
			meta, _ = json.Marshal(p.u.Metadata) // validated when settled
			metas[p.u] = meta
		}
		events[i] = eventRow{id: newEventID(), at: p.at, userID: p.l.userID, subID: p.l.subID, metric: p.l.metric, amount: p.amount,
			key: &p.key, modelID: p.u.ModelID, chatID: p.u.ChatID, meta: meta}
	}
	if _, err := s.insertEvents(ctx, c, events, ""); err != nil {
		return fmt.Errorf("recording metered calls: %w", err)
	}
	totals := map[*lease]*leaseTotal{}
	var order []*lease
	rollups := dailySums{}
	for _, p := range parts {
		t := totals[p.l]
		if t == nil {
			t = &leaseTotal{}
			totals[p.l] = t
			order = append(order, p.l)
		}
		t.used += p.amount
		t.covered += p.covered
		rollups.add(p.at, p.l.metric, p.l.planID, p.amount)
	}
	finishing := make(map[*lease]bool, len(done))
	for _, le := range done {
		finishing[le] = true
		if totals[le] == nil {
			order = append(order, le)
		}
	}
	// One order for the counters' row locks, the one takes and renewals (of every replica) use:
	// by user, then metric; each lease's usage is moved before it is finished, so that finishing
	// frees only what its calls did not use.
	slices.SortFunc(order, func(a, b *lease) int {
		if a.userID != b.userID {
			return strings.Compare(a.userID, b.userID)
		}
		if d := slices.Index(metric.All, a.metric) - slices.Index(metric.All, b.metric); d != 0 {
			return d
		}
		return strings.Compare(a.id, b.id)
	})
	counters, err := l.moveAllUsed(ctx, c, order, totals, now)
	if err != nil {
		return err
	}
	for _, le := range order {
		if finishing[le] {
			if err := l.finish(ctx, c, le, now); err != nil {
				return err
			}
		}
	}
	for _, le := range order {
		if err := l.announceLease(ctx, c, le, totals[le], counters, now); err != nil {
			return err
		}
	}
	return s.writeDailySums(ctx, c, rollups)
}

// leaseTotal is what a lease's calls settled since the last flush: used, and the part of it the
// lease's hold covered.
type leaseTotal struct{ used, covered int64 }

// counterKey names a usage counter: a subscription's metric in the quota period that starts
// at start (Unix nanoseconds: one instant is one key, whatever its time zone).
type counterKey struct {
	subID  string
	metric metric.Metric
	start  int64
}

func (le *lease) counter() counterKey {
	return counterKey{subID: *le.subID, metric: le.metric, start: le.start.UnixNano()}
}

// moveAllUsed moves what the leases' settled calls used (totals; order lists the leases, sorted)
// from reserved to used on their counters and returns the counters' used and reserved after it.
// What a lease's hold covered is counted as freed on the lease (its settled_amount) when the
// lease is still active, and only then taken off the counter's reserved budget: a lease that
// expired was freed whole by expiry.
//
// Two statements for all the leases (three on PostgreSQL, which first locks the counters in the
// order every take and flush locks them, so that replicas cannot deadlock), rather than two per
// lease: sent one by one, they were most of a flush, and a flush every 20 ms was a fifth of the
// gateway's CPU at 200 streams.
func (l *Leases) moveAllUsed(ctx context.Context, c *ent.Client, order []*lease, totals map[*lease]*leaseTotal, now time.Time) (map[counterKey][2]int64, error) {
	s := l.s
	var freeing []*lease
	for _, le := range order {
		if t := totals[le]; t != nil && t.covered > 0 {
			freeing = append(freeing, le)
		}
	}
	active := map[string]bool{}
	if len(freeing) > 0 {
		var q strings.Builder
		args := make([]any, 0, 2*len(freeing)+1)
		args = append(args, now)
		q.WriteString(`UPDATE quota_reservations SET settled_amount = COALESCE(settled_amount, 0) + v.column2, updated_at = ? FROM (VALUES `)
		q.WriteString(s.valuesRows(len(freeing), "text", "bigint"))
		for _, le := range freeing {
			args = append(args, le.id, totals[le].covered)
		}
		q.WriteString(`) AS v WHERE quota_reservations.id = v.column1 AND quota_reservations.status = 'ACTIVE' RETURNING quota_reservations.id`)
		rows, err := c.QueryContext(ctx, s.rebind(q.String()), args...)
		if err != nil {
			return nil, fmt.Errorf("updating leases: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("updating leases: %w", err)
			}
			active[id] = true
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("updating leases: %w", err)
		}
	}
	// One update per counter: two leases of one counter (a renewal and the lease it replaced)
	// add up, as an UPDATE ... FROM applies one source row per target row.
	// The counters of leases that only finish are locked too: finishing gives their rest back.
	sums := map[counterKey]*leaseTotal{}
	starts := map[counterKey]time.Time{} // as the leases hold them, bound as they were written
	var locked, keys []counterKey
	for _, le := range order {
		if le.subID == nil {
			continue
		}
		k := le.counter()
		if _, ok := starts[k]; !ok {
			starts[k] = le.start
			locked = append(locked, k)
		}
		t := totals[le]
		if t == nil {
			continue
		}
		sum := sums[k]
		if sum == nil {
			sum = &leaseTotal{}
			sums[k] = sum
			keys = append(keys, k)
		}
		sum.used += t.used
		if active[le.id] {
			sum.covered += t.covered
		}
	}
	if s.postgres && len(locked) > 0 {
		if err := l.lockCounters(ctx, c, locked, starts); err != nil {
			return nil, err
		}
	}
	after := make(map[counterKey][2]int64, len(keys))
	if len(keys) == 0 {
		return after, nil
	}
	var q strings.Builder
	args := make([]any, 0, 5*len(keys)+1)
	args = append(args, now)
	q.WriteString(`UPDATE usage_counters SET used = used + v.column4, reserved = reserved - v.column5, updated_at = ? FROM (VALUES `)
	q.WriteString(s.valuesRows(len(keys), "text", "text", "timestamptz", "bigint", "bigint"))
	for _, k := range keys {
		args = append(args, k.subID, string(k.metric), starts[k], sums[k].used, sums[k].covered)
	}
	q.WriteString(`) AS v WHERE usage_counters.subscription_id = v.column1 AND usage_counters.metric = v.column2 AND usage_counters.period_start = v.column3
RETURNING usage_counters.subscription_id, usage_counters.metric, usage_counters.period_start, usage_counters.used, usage_counters.reserved`)
	rows, err := c.QueryContext(ctx, s.rebind(q.String()), args...)
	if err != nil {
		return nil, fmt.Errorf("recording metered usage: %w", err)
	}
	for rows.Next() {
		var (
			sub, m     string
			start      time.Time
			used, resv int64
		)
		if err := rows.Scan(&sub, &m, &start, &used, &resv); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("reading usage counter: %w", err)
		}
		after[counterKey{subID: sub, metric: metric.Metric(m), start: start.UnixNano()}] = [2]int64{used, resv}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("recording metered usage: %w", err)
	}
	for _, k := range keys {
		if _, ok := after[k]; !ok {
			return nil, fmt.Errorf("usage counter of subscription %s for %s is missing", k.subID, k.metric)
		}
	}
	return after, nil
}

// lockCounters locks the counters of keys (PostgreSQL) by user, then metric, as takes and
// renewals lock theirs, one at a time: rows are locked in the order the sort hands them over.
func (l *Leases) lockCounters(ctx context.Context, c *ent.Client, keys []counterKey, starts map[counterKey]time.Time) error {
	var q strings.Builder
	args := make([]any, 0, 3*len(keys))
	q.WriteString(`SELECT 1 FROM usage_counters JOIN (VALUES `)
	q.WriteString(l.s.valuesRows(len(keys), "text", "text", "timestamptz"))
	for _, k := range keys {
		args = append(args, k.subID, string(k.metric), starts[k])
	}
	q.WriteString(`) AS v ON usage_counters.subscription_id = v.column1 AND usage_counters.metric = v.column2 AND usage_counters.period_start = v.column3 ORDER BY usage_counters.user_id, CASE usage_counters.metric`)
	for i, m := range metric.All {
		fmt.Fprintf(&q, " WHEN '%s' THEN %d", m, i)
	}
	q.WriteString(` END, usage_counters.period_start FOR UPDATE OF usage_counters`)
	rows, err := c.QueryContext(ctx, l.s.rebind(q.String()), args...)
	if err != nil {
		return fmt.Errorf("locking usage counters: %w", err)
	}
	for rows.Next() { // the rows are locked as they are read
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("locking usage counters: %w", err)
	}
	return nil
}

// valuesRows is a VALUES list of n (at least 1) rows of parameters of these types: PostgreSQL
// does not infer the types of parameters there, SQLite needs no types.
func (s *Service) valuesRows(n int, types ...string) string {
	var row strings.Builder
	row.WriteByte('(')
	for i, t := range types {
		if i > 0 {
			row.WriteString(", ")
		}
		if s.postgres {
			row.WriteString("CAST(? AS " + t + ")")
		} else {
			row.WriteByte('?')
		}
	}
	row.WriteByte(')')
	return strings.Repeat(row.String()+", ", n-1) + row.String()
}

// announceLease publishes what a lease's calls used since the last flush (t, nil when none
// settled) with its counter after the flush (counters), and raises the quota's alerts.
func (l *Leases) announceLease(ctx context.Context, c *ent.Client, le *lease, t *leaseTotal, counters map[counterKey][2]int64, now time.Time) error {
	if t == nil {
		return nil
	}
	check := unlimitedCheck(le.metric, 0, 0, 0, nil, nil)
	if le.subID != nil {
		v := counters[le.counter()]
		check = makeCheck(le.metric, 0, v[0], v[1], le.limit, le.limited, le.start, le.end)
	}
	alertSub := le.subID
	if !now.Before(le.end) {
		alertSub = nil // the period is over: no alert for it
	}
	return l.s.announceUsage(ctx, c, le.userID, alertSub, t.used, check)
}

// finish settles a lease whose calls have all settled: settled_amount becomes what its calls used,
// and the rest of its hold is freed. A lease that expired meanwhile was freed by expiry.
func (l *Leases) finish(ctx context.Context, c *ent.Client, le *lease, now time.Time) error {
	status := quotareservation.StatusSETTLED
	if le.used == 0 {
		status = quotareservation.StatusRELEASED
	}
	// The status first, returning the hold still counted (the settled_amount freed so far is
	// subtracted); expiry claims the row the same way, so exactly one of them frees the rest.
	rest, found, err := claimHold(ctx, c, l.s.rebind(`UPDATE quota_reservations SET status = ?, updated_at = ?
WHERE id = ? AND status = 'ACTIVE' RETURNING amount - COALESCE(settled_amount, 0)`), string(status), now, le.id)
	if err != nil {
		return fmt.Errorf("settling lease: %w", err)
	}
	if !found {
		return nil
	}
	if _, err := c.ExecContext(ctx, l.s.rebind(`UPDATE quota_reservations SET settled_amount = ? WHERE id = ?`), le.used, le.id); err != nil {
		return fmt.Errorf("settling lease: %w", err)
	}
	if le.subID == nil || rest <= 0 {
		return nil
	}
	if _, err := c.ExecContext(ctx, l.s.rebind(`UPDATE usage_counters SET reserved = reserved - ?, updated_at = ? WHERE subscription_id = ? AND metric = ? AND period_start = ?`),
		rest, now, *le.subID, string(le.metric), le.start); err != nil {
		return fmt.Errorf("giving back leased budget: %w", err)
	}
	return nil
}
